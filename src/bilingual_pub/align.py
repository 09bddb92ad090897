"""Texts + catalogs -> Document: every segment paired with its translation.

The missing-translation policy lives here and only here: a segment without a
translation (or with a fuzzy one) shows its source text in the partner
language, is marked as standing in, and is reported as a warning; in strict
mode the warnings become one error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from bilingual_pub.catalogs.pofile import PoFile, translation_text
from bilingual_pub.config import BookConfig
from bilingual_pub.errors import BuildError
from bilingual_pub.model import (
    Heading,
    Segment,
    SegmentKind,
    SourceLocation,
    SourceText,
    text_segments,
)

log = logging.getLogger(__name__)


class Status(str, Enum):
    TRANSLATED = "translated"
    FUZZY = "fuzzy"
    MISSING = "missing"


@dataclass(frozen=True)
class Pair:
    """One segment in both languages."""

    id: str  # stable per position: "t01-s0042"
    kind: SegmentKind
    location: SourceLocation
    source_lang: str
    texts: Mapping[str, str]  # language -> inline Markdown
    status: Status

    def text(self, lang: str) -> str:
        return self.texts[lang]

    def stands_in(self, lang: str) -> bool:
        """True where the source text is shown because the translation is missing or fuzzy."""
        return lang != self.source_lang and self.status is not Status.TRANSLATED


@dataclass(frozen=True)
class Chapter:
    number: int
    text: SourceText
    pairs: Mapping[Segment, Pair]

    @property
    def id(self) -> str:
        return f"t{self.number:02d}"

    def pair(self, segment: Segment) -> Pair:
        return self.pairs[segment]

    @property
    def title(self) -> Pair | None:
        for block in self.text.blocks:
            if isinstance(block, Heading):
                return self.pairs[block.segment]
        return None


@dataclass(frozen=True)
class AlignWarning:
    location: SourceLocation
    catalog: str
    status: Status
    lang: str

    def __str__(self) -> str:
        what = "no translation" if self.status is Status.MISSING else "fuzzy translation"
        return (
            f"{self.location}: {what} into {self.lang!r} ({self.catalog}); "
            "the source text stands in"
        )


@dataclass(frozen=True)
class Document:
    config: BookConfig
    chapters: tuple[Chapter, ...]
    warnings: tuple[AlignWarning, ...] = field(default=())

    @property
    def languages(self) -> tuple[str, str]:
        return self.config.languages


def align_text(
    text: SourceText, catalog: PoFile | None, *, number: int, target: str, catalog_path: str
) -> tuple[Chapter, list[AlignWarning]]:
    pairs: dict[Segment, Pair] = {}
    warnings: list[AlignWarning] = []
    for position, segment in enumerate(text_segments(text), start=1):
        message = catalog.catalog.get(segment.text) if catalog else None
        translation = translation_text(message) if message is not None else ""
        if not translation:
            status = Status.MISSING
        elif message is not None and message.fuzzy:
            status = Status.FUZZY
        else:
            status = Status.TRANSLATED
        if status is not Status.TRANSLATED and segment.text:
            warnings.append(AlignWarning(segment.location, catalog_path, status, target))
        shown = translation if status is Status.TRANSLATED else segment.text
        pairs[segment] = Pair(
            id=f"t{number:02d}-s{position:04d}",
            kind=segment.kind,
            location=segment.location,
            source_lang=text.lang,
            texts={text.lang: segment.text, target: shown},
            status=status,
        )
    return Chapter(number=number, text=text, pairs=pairs), warnings


def align(config: BookConfig, texts: list[tuple[SourceText, PoFile | None, str]]) -> Document:
    """Pair every text with its catalog.  ``texts`` holds (text, catalog, catalog path)."""
    chapters: list[Chapter] = []
    warnings: list[AlignWarning] = []
    for number, (text, catalog, catalog_path) in enumerate(texts, start=1):
        chapter, found = align_text(
            text,
            catalog,
            number=number,
            target=config.other_language(text.lang),
            catalog_path=catalog_path,
        )
        chapters.append(chapter)
        warnings.extend(found)
    return Document(config=config, chapters=tuple(chapters), warnings=tuple(warnings))


def enforce(document: Document, *, strict: bool) -> None:
    """Log every stand-in; in strict mode, refuse to build."""
    for warning in document.warnings:
        log.warning("%s", warning)
    if strict and document.warnings:
        first = document.warnings[0]
        raise BuildError(
            f"{len(document.warnings)} segment(s) without a finished translation (--strict); "
            "first: "
            f"{first.status.value} translation into {first.lang!r} in {first.catalog}",
            first.location.path,
            first.location.line,
        )

"""Texts + catalogs -> Document: every segment paired with its translation.

The missing-translation policy lives here and only here: a segment without a
translation shows its source text in the partner language, marked as standing
in; a fuzzy translation is shown, marked as needing review.  Both are reported
as warnings.  Nothing the source holds goes missing: a footnote call or an image
that a translation dropped is put back at the end of it, with a warning.  In
strict mode the warnings about what an edition reads become one error.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from bilingual_pub.catalogs.messages import PoFile, translation_text
from bilingual_pub.config import BookConfig
from bilingual_pub.errors import BuildError
from bilingual_pub.markdown import notes_and_images
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
        """True where the source text is shown because there is no translation."""
        return lang != self.source_lang and self.status is Status.MISSING

    def needs_review(self, lang: str) -> bool:
        """True where a fuzzy translation is shown: it exists, but needs checking."""
        return lang != self.source_lang and self.status is Status.FUZZY

    def mark(self, lang: str) -> str | None:
        """The label key of the mark the text in ``lang`` carries, if any."""
        if self.stands_in(lang):
            return "untranslated"
        if self.needs_review(lang):
            return "review"
        return None


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
        if self.status is Status.MISSING:
            shown = "no translation", "the source text stands in"
        else:
            shown = "fuzzy translation", "shown marked for review"
        return f"{self.location}: {shown[0]} into {self.lang!r} ({self.catalog}); {shown[1]}"


@dataclass(frozen=True)
class RestoredWarning:
    """A translation lacked footnote calls or images of its source: they were put back."""

    location: SourceLocation
    catalog: str
    lang: str
    kind: SegmentKind
    restored: tuple[str, ...]  # "footnote [^boats]", "image (map.png)"

    def __str__(self) -> str:
        return (
            f"{self.location}: the translation into {self.lang!r} ({self.catalog}) lacks "
            f"{', '.join(self.restored)}; shown at the end of the {self.kind.value}"
        )


class Notice(Protocol):
    """A warning about what the editions in one language show."""

    @property
    def location(self) -> SourceLocation: ...

    @property
    def lang(self) -> str: ...


DocumentWarning = AlignWarning | RestoredWarning


@dataclass(frozen=True)
class Document:
    config: BookConfig
    chapters: tuple[Chapter, ...]
    warnings: tuple[DocumentWarning, ...] = field(default=())

    @property
    def languages(self) -> tuple[str, str]:
        return self.config.languages


def restore_dropped(source: str, translation: str) -> tuple[str, tuple[str, ...]]:
    """The translation, with each footnote call and image of the source it lacks put at its
    end (calls right after the last word, images after a space), and what was put back."""
    wanted = notes_and_images(source)
    if not wanted:
        return translation, ()
    present = Counter(found.what for found in notes_and_images(translation))
    missing = []
    for item in wanted:
        if present[item.what]:
            present[item.what] -= 1
        else:
            missing.append(item)
    if not missing:
        return translation, ()
    # a trailing backslash would escape the first bracket put back
    shown = translation + " " if translation.endswith("\\") else translation
    shown += "".join(item.markdown if item.is_call else " " + item.markdown for item in missing)
    return shown, tuple(item.what for item in missing)


def align_text(
    text: SourceText, catalog: PoFile | None, *, number: int, target: str, catalog_path: str
) -> tuple[Chapter, list[DocumentWarning]]:
    pairs: dict[Segment, Pair] = {}
    warnings: list[DocumentWarning] = []
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
        shown, restored = (
            restore_dropped(segment.text, translation)
            if status is not Status.MISSING
            else (segment.text, ())
        )
        if restored:
            warnings.append(
                RestoredWarning(segment.location, catalog_path, target, segment.kind, restored)
            )
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
    warnings: list[DocumentWarning] = []
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


def read_by(
    notices: Sequence[DocumentWarning], languages: Collection[str]
) -> list[DocumentWarning]:
    """The warnings about text that editions in ``languages`` show."""
    return [notice for notice in notices if notice.lang in languages]


def enforce(notices: Sequence[Notice], *, strict: bool) -> None:
    """Log every warning about what the editions being built read; in strict mode, refuse."""
    for notice in notices:
        log.warning("%s", notice)
    if strict and notices:
        first = notices[0].location
        raise BuildError(
            f"{len(notices)} warning(s) about the translations these editions read (--strict)",
            first.path,
            first.line,
        )

"""Texts + catalogs -> Document: every segment of every text paired with its translation.

This is where the book's texts meet their catalogs; the writers read the Document
it makes (the values are in model.py).  The missing-translation policy lives here
and only here: a segment without a translation shows its source text in the
partner language, marked as standing in; a fuzzy translation is shown, marked as
needing review.  Both are reported as warnings.  Nothing the source holds goes
missing: a footnote call or an image that a translation dropped is put back at
the end of it, with a warning.  In strict mode the warnings about what an edition
reads become one error.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Sequence

from bilingual_pub.catalogs.messages import PoFile, translation_text
from bilingual_pub.config import BookConfig
from bilingual_pub.errors import BuildError
from bilingual_pub.markdown import notes_and_images
from bilingual_pub.model import (
    Chapter,
    Document,
    DocumentWarning,
    Notice,
    Pair,
    RestoredWarning,
    Segment,
    SourceText,
    Status,
    TextCatalog,
    TranslationWarning,
    text_segments,
)

log = logging.getLogger(__name__)


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


def make_chapter(
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
            warnings.append(TranslationWarning(segment.location, catalog_path, status, target))
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


def make_document(config: BookConfig, texts: Sequence[TextCatalog]) -> Document:
    """Pair every text with its catalog."""
    chapters: list[Chapter] = []
    warnings: list[DocumentWarning] = []
    for number, (text, catalog, catalog_path) in enumerate(texts, start=1):
        chapter, found = make_chapter(
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

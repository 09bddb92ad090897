"""What the front matter of an edition says (title page, colophon, contents), in its languages.

Every function gives one line per language of the edition, each with the language it
is really in (labels.py falls back to English where its table lacks a language): a
monolingual edition speaks its own language, the parallel edition both of its own.
The PDF's and the EPUB's front matter both take their words from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from bilingual_pub.editions import Edition
from bilingual_pub.model import Document
from bilingual_pub.render.labels import (
    Label,
    filled,
    label,
    one_per_language,
    translated_into,
    translation_credit,
)


def labels_in(key: str, edition: Edition) -> list[Label]:
    """A label in each language of the edition: "Contents", or "Contents" and "Índice"."""
    return one_per_language(label(key, lang) for lang in edition.languages)


def joined(labels: Sequence[Label]) -> str:
    """Labels on one line, where markup cannot tell their languages apart (a page title)."""
    return " / ".join(item.text for item in labels)


def translation_credits(document: Document, edition: Edition) -> list[Label]:
    """The translators and the language they translated into: "Translated into Spanish by …"."""
    config = document.config
    if not config.translators:
        return []
    into = translated_into(config.languages, (chapter.text.lang for chapter in document.chapters))
    return one_per_language(
        translation_credit(config.translators, into, lang) for lang in edition.languages
    )


def typeset_lines(document: Document, edition: Edition) -> list[Label]:
    """The PDF colophon's word on the type and the tools."""
    font = document.config.pdf.font
    return one_per_language(filled("typeset", lang, font=font) for lang in edition.languages)

"""The EPUB's package metadata: identifier, dates, languages, accessibility."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import UTC, datetime
from typing import NamedTuple

from bilingual_pub.config import BookConfig
from bilingual_pub.editions import Edition
from bilingual_pub.errors import BuildError
from bilingual_pub.render.epub.job import EpubJob, config_location
from bilingual_pub.render.labels import label, language_name

log = logging.getLogger(__name__)


def book_identifier(config: BookConfig, edition: Edition) -> str:
    """Stable across builds, so readers keep their place: the ISBN, or a UUID from slug + edition.

    One ISBN cannot name three products, so ``epub.isbn`` identifies the parallel edition only.
    """
    if config.epub.isbn and edition.parallel:
        return f"urn:isbn:{checked_isbn(config)}"
    name = f"bilingual-pub:{config.slug}:{edition.name}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def checked_isbn(config: BookConfig) -> str:
    """The ISBN without hyphens or spaces; a typo is an error, not a wrong product number."""
    raw = config.epub.isbn or ""
    isbn = "".join(ch for ch in raw.upper() if ch not in "- ")
    if re.fullmatch(r"97[89]\d{10}", isbn):
        weighted = sum(
            int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(isbn)
        )
        valid = weighted % 10 == 0
    elif re.fullmatch(r"\d{9}[\dX]", isbn):
        values = [10 if digit == "X" else int(digit) for digit in isbn]
        valid = sum(value * (10 - position) for position, value in enumerate(values)) % 11 == 0
    else:
        valid = False
    if not valid:
        where = config_location(config, "epub.isbn")
        raise BuildError(
            f"epub.isbn: {raw!r} is not a valid ISBN-13 or ISBN-10", where.path, where.line
        )
    return isbn


def publication_date(config: BookConfig) -> str:
    """``dc:date`` must be a W3C date: a year like "2026" is one, free text is not."""
    if not config.year or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", config.year):
        return config.year
    log.warning(
        "book.toml: year %r is not a date like 2026; the EPUB metadata leaves it out", config.year
    )
    return ""


def metadata_languages(config: BookConfig, edition: Edition) -> list[str]:
    """The edition's languages, the book's source language first."""
    return sorted(edition.languages, key=lambda lang: lang != config.source_language)


def modified_stamp(moment: datetime) -> str:
    """``dcterms:modified`` wants exactly CCYY-MM-DDThh:mm:ssZ, in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Accessibility(NamedTuple):
    modes: tuple[str, ...]
    sufficient: tuple[str, ...]
    features: tuple[str, ...]
    summary: str
    summary_lang: str


def accessibility(job: EpubJob) -> Accessibility:
    """schema.org accessibility metadata, true to what this edition contains."""
    visual = job.facts.uses_images or job.cover_href is not None
    described = not job.facts.images_without_text
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ]
    if visual and described:
        features.append("alternativeText")
    main = job.edition.main_language
    summary_label = label("summary_common", main)
    lang = summary_label.lang
    if job.edition.parallel:
        first, second = (language_name(code, lang) for code in job.languages)
        summary = label("summary_parallel", lang).text.format(first=first, second=second)
    else:
        summary = label("summary_single", lang).text.format(language=language_name(main, lang))
    summary += summary_label.text
    if visual and described:
        summary += label("summary_images", lang).text
    if job.facts.stand_ins:
        summary += label("summary_stand_ins", lang).text
    if job.facts.reviews:
        summary += label("summary_reviews", lang).text
    return Accessibility(
        modes=("textual", "visual") if visual else ("textual",),
        sufficient=("textual",) if described else ("textual,visual",),
        features=tuple(features),
        summary=summary,
        summary_lang=lang,
    )

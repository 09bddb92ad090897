"""Book-wide statistics and checks over every text's catalog.

They take the texts and their catalogs as the project has read them (``TextCatalog``),
not the project itself: the catalogs package stays below the project layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bilingual_pub.catalogs.checks import MISSING_CATALOG, check_catalog
from bilingual_pub.catalogs.extract import extract
from bilingual_pub.catalogs.messages import PoFile
from bilingual_pub.catalogs.stats import TextStats, catalog_stats
from bilingual_pub.model import Finding, SourceText

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class TextCatalog:
    """A text and the catalog translating it."""

    text: SourceText
    language: str  # the catalog's language: the text's other one
    path: str  # where the catalog is, as the user names it (relative to the book)
    po: PoFile | None  # None: no catalog yet


def book_stats(
    catalogs: Sequence[TextCatalog], *, slug: str, languages: tuple[str, str]
) -> tuple[list[TextStats], TextStats]:
    """Per-text progress (measured against the current texts, not stale catalogs) and the total."""
    rows: list[TextStats] = []
    both = "/".join(languages)
    total = TextStats(text="total", source_language=both, language=both)
    for entry in catalogs:
        text = entry.text
        template = extract(text, project=slug, created=_EPOCH)
        row = catalog_stats(
            entry.po,
            template=template,
            text=text.stem,
            source_language=text.lang,
            language=entry.language,
        )
        rows.append(row)
        total.add(row)
    return rows, total


def check_catalogs(catalogs: Sequence[TextCatalog]) -> list[Finding]:
    """Every finding of every check on every catalog, in file order."""
    findings: list[Finding] = []
    for entry in catalogs:
        if entry.po is None:
            findings.append(
                Finding(
                    entry.path, 1, MISSING_CATALOG.level, MISSING_CATALOG.name,
                    "no catalog yet: run 'bilingual-pub update'",
                )
            )
            continue
        findings.extend(
            check_catalog(
                entry.po,
                path=entry.path,
                source_language=entry.text.lang,
                target_language=entry.language,
            )
        )
    return findings

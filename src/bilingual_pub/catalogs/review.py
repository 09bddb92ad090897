"""Project-wide statistics and checks over every text's catalog."""

from __future__ import annotations

from datetime import UTC, datetime

from bilingual_pub.catalogs.checks import MISSING_CATALOG, OFF, check_catalog
from bilingual_pub.catalogs.extract import extract
from bilingual_pub.catalogs.glossary import load_glossary
from bilingual_pub.catalogs.stats import TextStats, catalog_stats
from bilingual_pub.model import Finding, Level
from bilingual_pub.project import Project

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def book_stats(project: Project) -> tuple[list[TextStats], TextStats]:
    """Per-text progress (measured against the current texts, not stale catalogs) and the total."""
    rows: list[TextStats] = []
    languages = project.config.languages
    both = "/".join(languages)
    total = TextStats(text="total", source_language=both, language=both)
    for text in project.texts():
        template = extract(text, project=project.config.slug, created=_EPOCH)
        row = catalog_stats(
            project.read_catalog(text),
            template=template,
            text=text.stem,
            source_language=text.lang,
            language=project.target_language(text),
        )
        rows.append(row)
        total.add(row)
    return rows, total


def check_catalogs(project: Project) -> list[Finding]:
    """Every finding of every check on every catalog, in file order, at the book's levels."""
    findings: list[Finding] = []
    levels = project.config.checks
    glossary = load_glossary(project.config) if levels.get("glossary") != OFF else None
    for text in project.texts():
        path = project.po_path(text)
        po = project.read_catalog(text)
        if po is None:
            level = levels.get(MISSING_CATALOG.name, MISSING_CATALOG.level)
            if level != OFF:
                findings.append(
                    Finding(
                        project.relative(path), 1, Level(level), MISSING_CATALOG.name,
                        "no catalog yet: run 'bilingual-pub update'",
                    )
                )
            continue
        findings.extend(
            check_catalog(
                po,
                path=project.relative(path),
                source_language=text.lang,
                target_language=project.target_language(text),
                levels=levels,
                glossary=glossary,
            )
        )
    return findings

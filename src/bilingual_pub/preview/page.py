"""The book as the preview shows it: each text's segments beside their translations, with
their state (translated, fuzzy, untranslated), the catalog line that holds them and what
``check`` finds there; rendered to HTML with the toolkit's own templates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from bilingual_pub.catalogs.checks import check_catalog
from bilingual_pub.catalogs.messages import PoFile, translation_text
from bilingual_pub.model import Finding, SegmentKind, SourceText, text_segments
from bilingual_pub.project import Project

TRANSLATED, FUZZY, UNTRANSLATED = "translated", "fuzzy", "untranslated"


@dataclass(frozen=True)
class SegmentPreview:
    id: str
    kind: str
    texts: dict[str, str]  # language -> the text shown (the fuzzy suggestion included)
    state: str
    where: str  # "locales/es/LC_MESSAGES/02-juarez.po:46", or the text's line
    findings: tuple[str, ...]


@dataclass(frozen=True)
class ChapterPreview:
    id: str
    title: str
    source: str  # the text's path
    catalog: str  # its catalog's path
    segments: tuple[SegmentPreview, ...]
    findings: tuple[str, ...]  # check findings on no segment of the text (the header, say)

    def count(self, state: str) -> int:
        return sum(1 for segment in self.segments if segment.state == state)


@dataclass(frozen=True)
class BookPreview:
    title: str
    languages: tuple[str, str]
    chapters: tuple[ChapterPreview, ...]


def read_preview(root: Path) -> BookPreview:
    """The book at ``root`` as the preview shows it; raises the project's errors (a bad
    book.toml, text or catalog) as the build would."""
    project = Project.open(root)
    config = project.config
    chapters = tuple(
        _chapter(project, text, number) for number, text in enumerate(project.texts(), start=1)
    )
    return BookPreview(config.titles[config.languages[0]], config.languages, chapters)


def _chapter(project: Project, text: SourceText, number: int) -> ChapterPreview:
    catalog = project.read_catalog(text)
    catalog_path = project.relative(project.po_path(text))
    target = project.target_language(text)
    findings: dict[int, list[Finding]] = defaultdict(list)
    if catalog is not None:
        for finding in check_catalog(
            catalog, path=catalog_path, source_language=text.lang, target_language=target
        ):
            findings[finding.line].append(finding)
    segments = []
    for position, segment in enumerate(text_segments(text), start=1):
        state, shown, line = _translation(catalog, segment.text)
        where = f"{catalog_path}:{line}" if line else str(segment.location)
        segments.append(
            SegmentPreview(
                id=f"t{number:02d}-s{position:04d}",
                kind=segment.kind.value,
                texts={text.lang: segment.text, target: shown},
                state=state,
                where=where,
                findings=tuple(f"{f.kind}: {f.message}" for f in findings.pop(line or -1, [])),
            )
        )
    title = next(
        (s.texts[text.lang] for s in segments if s.kind == SegmentKind.HEADING.value), text.path
    )
    rest = tuple(str(finding) for found in findings.values() for finding in found)
    return ChapterPreview(
        f"t{number:02d}", title, text.path, catalog_path, tuple(segments), rest
    )


def _translation(catalog: PoFile | None, source: str) -> tuple[str, str, int | None]:
    """The segment's state, the translation shown, and its catalog line."""
    message = catalog.catalog.get(source) if catalog is not None else None
    if message is None:
        return UNTRANSLATED, "", None
    shown = translation_text(message)
    if not shown:
        return UNTRANSLATED, "", message.lineno
    return (FUZZY if message.fuzzy else TRANSLATED), shown, message.lineno


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bilingual_pub", "templates/preview"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_content(book: BookPreview | None, error: str | None) -> str:
    """The part of the page that changes: the error line, the contents, the chapters."""
    return _templates().get_template("content.html").render(book=book, error=error)


def render_page(book: BookPreview | None, error: str | None, version: int) -> str:
    """The whole page, with the script that keeps it up to date."""
    content = render_content(book, error)
    title = book.title if book is not None else "bilingual-pub preview"
    return _templates().get_template("page.html").render(
        title=title, content=content, version=version
    )

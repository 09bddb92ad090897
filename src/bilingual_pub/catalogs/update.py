"""The ``update`` command: every text's template extracted and merged into its catalog.

Writes only what changed (a change of dates alone is none), carries a renamed text's
translations over to its new name, and reports catalogs whose text is gone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bilingual_pub.catalogs.extract import extract
from bilingual_pub.catalogs.headers import (
    CATALOG_DATES,
    TEMPLATE_DATES,
    catalog_header,
    header_value,
    same_ignoring,
    set_header_field,
)
from bilingual_pub.catalogs.merge import MergeReport, merge
from bilingual_pub.catalogs.messages import PoFile
from bilingual_pub.catalogs.orphans import claim_orphans, singular_msgids, text_named_by
from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.collector import collector_paused
from bilingual_pub.errors import BookError
from bilingual_pub.files import project_lock, remove_temporaries, write_text_if_changed
from bilingual_pub.model import SourceText, text_segments
from bilingual_pub.project import TEXTS_DIR, Project, build_time

log = logging.getLogger(__name__)


@dataclass
class UpdateResult:
    text: str
    language: str
    report: MergeReport
    written: list[str]
    # the catalog of a renamed text the translations came from (then removed)
    carried_from: str | None = None


def _read_existing(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def update(
    project: Project, progress: Callable[[str, int, int], None] | None = None
) -> list[UpdateResult]:
    """Extract every text's POT and merge it into the catalog of the other language.

    A new text takes over the catalog of a text that is gone when they share most
    segments (a rename); catalogs whose text is gone and that no text takes over
    are reported and left alone.
    """
    results: list[UpdateResult] = []
    created = build_time()
    with project_lock(project.root), collector_paused():
        texts = project.texts()
        # Read every catalog first: a malformed one stops the run before anything is written.
        old_catalogs = {text.stem: project.read_catalog(text) for text in texts}
        renamed = _renamed_from(project, [t for t in texts if old_catalogs[t.stem] is None])
        for text in texts:  # what a killed update left half-written (never a catalog itself)
            for path in (project.pot_path(text), project.po_path(text)):
                for leftover in remove_temporaries(path):
                    log.info("removed %s, left by an interrupted update", leftover.name)
        for step, text in enumerate(texts, start=1):
            if progress:
                progress(text.stem, step, len(texts))
            source = renamed.get(text.stem)
            old = old_catalogs[text.stem] if source is None else source[1]
            result = _update_text(project, text, old, created, source[0] if source else None)
            results.append(result)
        _report_orphans(project)
    return results


def _renamed_from(project: Project, new_texts: list[SourceText]) -> dict[str, tuple[Path, PoFile]]:
    """New text's stem -> the catalog (path, contents) of the text it was renamed from."""
    claims: dict[str, tuple[Path, PoFile]] = {}
    for target in dict.fromkeys(project.target_language(t) for t in new_texts):
        orphans = {
            path: read_po(path, project.relative(path)) for path in project.orphan_catalogs(target)
        }
        if not orphans:
            continue
        segments = {
            text.stem: {s.text for s in text_segments(text) if s.text}
            for text in new_texts
            if project.target_language(text) == target
        }
        msgids = {path: singular_msgids(po) for path, po in orphans.items()}
        for stem, path in claim_orphans(segments, msgids).items():
            claims[stem] = (path, orphans[path])
    return claims


def _report_orphans(project: Project) -> None:
    """A warning for every catalog whose text is gone: kept, never deleted."""
    orphans = [path for lang in project.config.languages for path in project.orphan_catalogs(lang)]
    for path in dict.fromkeys(orphans):
        log.warning(
            "%s: its text %s is gone; the catalog is kept (give the text its old name, "
            "or delete the catalog if the text is not coming back)",
            project.relative(path), text_named_by(path, TEXTS_DIR),
        )


def _update_text(
    project: Project,
    text: SourceText,
    old: PoFile | None,
    created: datetime,
    renamed_from: Path | None = None,
) -> UpdateResult:
    template = extract(text, project=project.config.slug, created=created)
    pot_path = project.pot_path(text)
    old_pot = pot_path if renamed_from is None else pot_path.with_name(f"{renamed_from.stem}.pot")
    written_ids = _written_ids(old_pot, old, template)
    # The catalog is written before its template: the old template then still says what
    # the toolkit wrote when an update is killed in between (see _written_ids).
    template_text = _changed_template(pot_path, template)
    written = []
    target = project.target_language(text)
    merged, report = merge(
        template,
        old,
        header=catalog_header(
            project=project.config.slug, created=created, language=target, source_lang=text.lang
        ),
        threshold=project.config.catalogs.fuzzy_threshold,
        written=written_ids,
    )
    if old is None:
        language_name = _language_name(target)
        merged.header_comments = [
            f"{language_name} translation of {text.path}.",
            "Kept in step with the text by 'bilingual-pub update'; translate with any PO editor.",
        ]
    po_path = project.po_path(text)
    if renamed_from is not None:
        po_path = renamed_from.with_name(f"{text.stem}.po")
        old_text = text_named_by(renamed_from, TEXTS_DIR)
        merged.header_comments = [c.replace(old_text, text.path) for c in merged.header_comments]
    rendered = render_po(merged)
    current = _read_existing(po_path)
    # a catalog whose only change would be the template's date is left alone (no date churn)
    if not (current is not None and same_ignoring(current, rendered, CATALOG_DATES)):
        write_text_if_changed(po_path, rendered)
        written.append(project.relative(po_path))
    if template_text is not None and write_text_if_changed(pot_path, template_text):
        written.append(project.relative(pot_path))
    _report_typed_over(project.relative(renamed_from or po_path), report)
    log.info("%s -> %s: %s", text.path, target, report)
    result = UpdateResult(text=text.stem, language=target, report=report, written=written)
    if renamed_from is not None:
        result.carried_from = _retire(project, renamed_from, old_pot, text)
    return result


def _written_ids(pot_path: Path, old: PoFile | None, template: PoFile) -> set[str] | None:
    """The msgids of the template ``old`` was merged with, when some of them vanished.

    None when that template cannot be read: no msgid is then taken for typed by a person.
    """
    if old is None:
        return None
    if singular_msgids(old) <= singular_msgids(template):
        return set()  # nothing vanished: no need to read the old template
    try:
        previous = read_po(pot_path, str(pot_path))
    except (OSError, BookError):
        return None
    return singular_msgids(previous)


def _report_typed_over(catalog: str, report: MergeReport) -> None:
    for msgid, line in report.typed_over:
        shown = msgid if len(msgid) <= 50 else msgid[:49] + "…"
        log.warning(
            "%s:%s: msgid %r is in no template this text had (a translation typed over the "
            "source text?); kept as an obsolete entry, and the segment is back to translate",
            catalog, line or 1, shown,
        )


def _retire(project: Project, catalog: Path, template: Path, text: SourceText) -> str:
    """Remove a renamed text's old catalog and template, once the new one is written."""
    label = project.relative(catalog)
    catalog.unlink()
    template.unlink(missing_ok=True)
    log.info("%s: translations carried over from %s (removed)", text.path, label)
    return label


def _changed_template(pot_path: Path, template: PoFile) -> str | None:
    """The POT to write, or None when only its dates would change.

    An unchanged POT keeps its dates: the template's header then carries them, so
    the catalog merged from it does not churn either.
    """
    rendered = render_po(template)
    previous = _read_existing(pot_path)
    if previous is not None and same_ignoring(previous, rendered, TEMPLATE_DATES):
        for name in TEMPLATE_DATES:
            value = header_value(previous, name)
            if value:
                template.header = set_header_field(template.header, name, value)
        return None
    return rendered


def _language_name(code: str) -> str:
    from babel import Locale

    try:
        return str(Locale.parse(code.replace("-", "_")).get_display_name("en")).capitalize()
    except (ValueError, LookupError):
        return code

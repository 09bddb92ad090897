"""``bilingual-pub align``: one text of a project, its existing translation, its catalog."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bilingual_pub.catalogs.headers import format_po_date, set_header_field
from bilingual_pub.catalogs.messages import PoFile, translation_text
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.errors import CatalogError, SourceError
from bilingual_pub.files import project_lock, write_text_if_changed
from bilingual_pub.importing.aligner import BAND, Alignment, align
from bilingual_pub.importing.apply import Outcome, apply, proposals
from bilingual_pub.importing.reading import Translation, read_translation
from bilingual_pub.importing.report import AlignReport, build_report
from bilingual_pub.importing.scoring import (
    LengthModel,
    Scorer,
    all_features,
    estimate_model,
    pair_model,
)
from bilingual_pub.model import Segment, SourceText, text_segments
from bilingual_pub.project import Project, build_time

log = logging.getLogger(__name__)

CHANGES = (Outcome.WRITTEN, Outcome.REPLACED, Outcome.CONFIRMED)


@dataclass(frozen=True)
class AlignOptions:
    confirm: bool = False  # write the entries as finished, not fuzzy
    overwrite: bool = False  # replace a msgstr the catalog already has
    band: int = BAND


def find_text(project: Project, path: Path) -> SourceText:
    """The book's text at ``path`` (from here, or else from the project's folder)."""
    wanted = path.resolve() if path.exists() else (project.root / path).resolve()
    for text in project.texts():
        if (project.root / text.path).resolve() == wanted:
            return text
    names = ", ".join(text.path for text in project.texts())
    raise SourceError(f"not one of the book's texts ({names})", str(path))


# enough finished pairs to measure a book's length model: further catalogs are not read
ENOUGH_PAIRS = 1000


def book_model(project: Project, text: SourceText, own: PoFile | None = None) -> LengthModel:
    """The length model of the book's finished translations in this text's direction.

    ``own`` is the text's catalog, already read; the others are read as needed.
    """
    target = project.target_language(text)
    pairs: list[tuple[str, str]] = []
    others = [other for other in project.texts() if other.lang == text.lang]
    for other in others:
        po = own if other is text and own is not None else project.read_catalog(other)
        for message in po.messages() if po is not None else ():
            string = translation_text(message)
            if string and not message.fuzzy and not message.pluralizable:
                pairs.append((str(message.id), string))
        if len(pairs) >= ENOUGH_PAIRS:
            break
    return estimate_model(pairs, pair_model(text.lang, target))


def align_segments(
    segments: list[Segment], translation: Translation, model: LengthModel, band: int
) -> list[Alignment]:
    scorer = Scorer(model, kinds=translation.structured)
    source = all_features([(s.text, s.kind) for s in segments])
    target = all_features([(b.text, b.kind) for b in translation.blocks])
    return align(source, target, scorer, band=band)


def align_translation(
    project: Project, text_path: Path, translation_path: Path, options: AlignOptions
) -> AlignReport:
    """Align ``translation_path`` with the text at ``text_path`` and fill its catalog."""
    text = find_text(project, text_path)
    po_path = project.po_path(text)
    catalog_name = project.relative(po_path)
    display = project.relative(translation_path)
    with project_lock(project.root):
        po = project.read_catalog(text)
        if po is None:
            raise CatalogError(
                f"no catalog for {text.path} yet: run 'bilingual-pub update' first", catalog_name
            )
        translation = read_translation(
            translation_path, display=display, languages=project.config.languages
        )
        model = book_model(project, text, po)
        segments = [segment for segment in text_segments(text) if segment.text]
        alignments = align_segments(segments, translation, model, options.band)
        proposed = proposals(segments, translation.blocks, alignments)
        outcomes = apply(po, proposed, confirm=options.confirm, overwrite=options.overwrite)
        written = False
        if any(outcome in CHANGES for outcome in outcomes):
            stamp = format_po_date(build_time())
            po.header = set_header_field(po.header, "PO-Revision-Date", stamp)
            written = write_text_if_changed(po_path, render_po(po))
    log.info("%s: aligned with %s (%s length model)", text.path, display, model.origin)
    return build_report(
        segments=segments,
        translation=translation,
        alignments=alignments,
        proposed=proposed,
        outcomes=outcomes,
        places=(text.path, catalog_name, model),
        written=written,
    )

"""The facing edition: languages[0] on the left-hand pages, languages[1] on the right.

Real builds read back with pdfplumber and pypdf (tests/facing_layout.py joins each
spread into one wide page and reads it like the parallel edition).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bilingual_pub.render.pdf.repair as pdf_repair
from pypdf import PdfReader

from bilingual_pub.build import BuildRequest, build, load_document, make_context
from bilingual_pub.editions import Edition
from bilingual_pub.model import Paragraph, footnote_numbers
from bilingual_pub.project import Project
from bilingual_pub.render.html import ChapterView, chapter_views
from bilingual_pub.render.inline import plain_text
from bilingual_pub.render.pdf.facing import on_both_pages
from tests.bookgen import copy_sample_book, write_book, write_notes_book
from tests.facing_layout import check_facing_pdf, same_spread
from tests.pdf_layout import LayoutReport, stranded_headings

# the parallel tests' fixture book: a long pair over several pages, 1-vs-4-line headings,
# lists, quotes, a note, a figure
FIXTURE = {"chapters": 2, "paragraphs": 40, "seed": 3}


def facing_views(project: Project) -> list[ChapterView]:
    edition = Edition("facing", project.config.languages)
    views = chapter_views(load_document(project), edition, make_context(project))
    return on_both_pages(views, edition.languages)


def note_texts(project: Project) -> dict[str, list[str]]:
    """Each note's first paragraph in both languages, by "chapter id:number"."""
    texts = {}
    for chapter in load_document(project).chapters:
        numbers = footnote_numbers(chapter.text)
        for note in chapter.text.footnotes:
            block = note.blocks[0]
            assert isinstance(block, Paragraph)
            pair = chapter.pair(block.segment)
            texts[f"{chapter.id}:{numbers[note.label]}"] = [
                plain_text(pair.text(lang)) for lang in project.config.languages
            ]
    return texts


def facing_report(project: Project, pdf: Path | None = None) -> LayoutReport:
    path = pdf or project.root / "build" / f"{project.config.slug}-facing.pdf"
    return check_facing_pdf(path, facing_views(project), project.config.pdf, note_texts(project))


def assert_pair_mode(report: LayoutReport) -> None:
    assert report.pairs, "no pairs found"
    assert report.problems == []  # every word once, in order, on its side; notes with calls
    assert [p.row_id for p in report.misaligned(tolerance=1.0)] == []
    assert stranded_headings(report) == []


@pytest.fixture(scope="module")
def fixture_book(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = write_book(tmp_path_factory.mktemp("facing-fixture"), **FIXTURE)
    build(project, BuildRequest(formats=("pdf",), editions=("facing",)))
    return project


def test_fixture_book_pairs_start_together_on_every_spread(fixture_book: Project) -> None:
    assert_pair_mode(facing_report(fixture_book))


def test_sample_book_pairs_start_together_on_every_spread(tmp_path: Path) -> None:
    project = Project.open(copy_sample_book(tmp_path))
    build(project, BuildRequest(formats=("pdf",), editions=("facing",)))
    assert_pair_mode(facing_report(project))


def test_notes_sit_on_their_calls_page_in_its_language(tmp_path: Path) -> None:
    project = write_notes_book(tmp_path, paragraphs=40)
    build(project, BuildRequest(formats=("pdf",), editions=("facing",)))
    report = facing_report(project)
    assert_pair_mode(report)
    assert len(note_texts(project)) == 20


def _broken_copy(source: Path, target: Path, spread: int, *, swap: bool) -> None:
    """The facing PDF with one spread broken: its right-hand page's content lowered by 3
    points, or the two pages' contents swapped (each language on the other's side)."""
    from pypdf import PdfWriter, Transformation
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    verso, recto = writer.pages[2 * spread - 1], writer.pages[2 * spread]
    if swap:
        for key in ("/Contents", "/Resources"):
            verso[NameObject(key)], recto[NameObject(key)] = recto[key], verso[key]
    else:
        recto.add_transformation(Transformation().translate(0, -3))
    with open(target, "wb") as output:
        writer.write(output)


def test_the_checker_fails_on_a_broken_facing_pdf(fixture_book: Project, tmp_path: Path) -> None:
    built = fixture_book.root / "build" / "gen-facing.pdf"
    lowered, swapped = tmp_path / "lowered.pdf", tmp_path / "swapped.pdf"
    start = facing_report(fixture_book).pairs[30].starts[0]
    assert start is not None
    _broken_copy(built, lowered, spread=start[0], swap=False)
    _broken_copy(built, swapped, spread=start[0], swap=True)
    report = facing_report(fixture_book, lowered)
    assert report.problems == []
    assert len(report.misaligned(tolerance=1.0)) >= 1
    assert facing_report(fixture_book, swapped).problems != []


def test_without_the_repair_pass_the_checker_sees_misaligned_pairs(
    fixture_book: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spreads are laid out as the parallel edition is, WeasyPrint's #1712 included."""
    monkeypatch.setattr(pdf_repair, "MAX_PASSES", 1)
    monkeypatch.setattr(pdf_repair, "move_stranded_sides", lambda document, rows: frozenset())
    request = BuildRequest(
        formats=("pdf",), editions=("facing",), output_dir=tmp_path, force=True, jobs=1
    )
    build(fixture_book, request)
    report = facing_report(fixture_book, tmp_path / "gen-facing.pdf")
    assert report.problems == []
    assert len(report.misaligned()) >= 1

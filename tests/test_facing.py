"""The facing edition: languages[0] on the left-hand pages, languages[1] on the right.

Real builds read back with pdfplumber and pypdf (tests/facing_layout.py joins each
spread into one wide page and reads it like the parallel edition).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pypdf import PdfReader

import bilingual_pub.render.pdf.repair as pdf_repair
import bilingual_pub.render.pdf.spread as pdf_spread
from bilingual_pub.build import BuildRequest, build, load_document, make_context
from bilingual_pub.editions import Edition
from bilingual_pub.model import Paragraph, footnote_numbers
from bilingual_pub.project import Project
from bilingual_pub.render.inline import plain_text
from bilingual_pub.render.pdf.facing import on_both_pages
from bilingual_pub.render.pdf_html import ChapterView, chapter_views
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


@pytest.mark.slow
def test_sample_book_pairs_start_together_on_every_spread(tmp_path: Path) -> None:
    project = Project.open(copy_sample_book(tmp_path))
    build(project, BuildRequest(formats=("pdf",), editions=("facing",)))
    assert_pair_mode(facing_report(project))


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


def _destination_pages(reader: PdfReader) -> dict[str, int]:
    return {
        str(name): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }


def test_chapters_open_on_a_spread_and_links_lead_to_its_left_hand_page(
    fixture_book: Project,
) -> None:
    reader = PdfReader(str(fixture_book.root / "build" / "gen-facing.pdf"))
    assert {(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages} == {
        (432.0, 648.0)
    }  # 6in x 9in, every page
    pages = _destination_pages(reader)
    views = facing_views(fixture_book)
    chapters = [view.id for view in views]
    assert all(pages[chapter] % 2 == 0 for chapter in chapters), pages
    # the contents and the bookmarks open each chapter's spread on its left-hand page
    targets = [
        reader.get_destination_page_number(reader.named_destinations[str(annotation["/Dest"])])
        for page in reader.pages[:6]
        for annotation in (a.get_object() for a in page.get("/Annots", []) or [])
        if "/Dest" in annotation
    ]
    assert targets and all((index + 1) % 2 == 0 for index in targets)
    top_level = [item for item in reader.outline if not isinstance(item, list)]
    titles = {view.titles[fixture_book.config.languages[0]] for view in views}
    chapter_marks = [item for item in top_level if str(item.title).split(" / ")[0] in titles]
    assert len(chapter_marks) == len(chapters)
    assert all((reader.get_destination_page_number(item) + 1) % 2 == 0 for item in chapter_marks)


def test_each_page_carries_its_own_languages_running_head_and_its_number(
    fixture_book: Project,
) -> None:
    import pdfplumber

    views = facing_views(fixture_book)
    languages = fixture_book.config.languages
    reader = PdfReader(str(fixture_book.root / "build" / "gen-facing.pdf"))
    first = _destination_pages(reader)[views[0].id]
    with pdfplumber.open(fixture_book.root / "build" / "gen-facing.pdf") as document:
        for number in range(first, first + 6):
            page = document.pages[number - 1]
            head = page.crop((0, 0, page.width, 40)).extract_text().strip()
            foot = page.crop((0, page.height - 45, page.width, page.height)).extract_text().strip()
            assert foot == str(number)
            lang = languages[0] if number % 2 == 0 else languages[1]
            assert head == ("" if number < first + 2 else views[0].titles[lang])


BOOK_TOML = """\
[book]
slug = "solidarity"
languages = ["en", "es"]
[book.title]
en = "Solidarity"
es = "Solidaridad"
[pdf]
page_size = "6in 9in"
{pdf}
"""


@pytest.mark.parametrize(
    ("pdf", "message"),
    [
        ('facing_sync = "page"', 'pdf.facing_sync: \'page\': use "pair" or "spread"'),
        ('editions = ["parallel", "facng"]', "pdf.editions: unknown edition 'facng'"),
        ("editions = []", "pdf.editions: list at least one edition"),
        ('editions = "facing"', "pdf.editions: expected a list"),
    ],
)
def test_bad_facing_settings_name_their_line(tmp_path: Path, pdf: str, message: str) -> None:
    from bilingual_pub.config import load_config
    from bilingual_pub.errors import ConfigError

    (tmp_path / "book.toml").write_text(BOOK_TOML.format(pdf=pdf), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(f"book.toml:9: {message}"), str(caught.value)


def test_a_plain_build_makes_the_facing_pdf_unless_the_book_lists_its_editions() -> None:
    from bilingual_pub.editions import editions_for

    languages = ("en", "es")
    assert [e.name for e in editions_for(languages)] == ["parallel", "facing", "en", "es"]
    assert [e.name for e in editions_for(languages, format_name="epub")] == [
        "parallel",
        "en",
        "es",
    ]
    wanted = ("facing", "es")
    assert [e.name for e in editions_for(languages, None, "pdf", wanted)] == ["facing", "es"]
    assert [e.name for e in editions_for(languages, None, "epub", wanted)] == [
        "parallel",
        "en",
        "es",
    ]
    assert [e.name for e in editions_for(languages, ("en",), "pdf", wanted)] == ["en"]


def test_asking_for_a_facing_epub_is_an_error_not_silence(tmp_path: Path) -> None:
    """The facing edition is print only: --edition facing with EPUB alone would build
    nothing and say nothing."""
    from tests.harness import assert_one_error, cli

    project = write_book(tmp_path / "book", chapters=1, paragraphs=2, features=False)
    run = cli(project.root, "build", "--format", "epub", "--edition", "facing")
    assert_one_error(run, "the facing edition is a PDF edition", "--format pdf")
    assert not (project.root / "build").exists()


@pytest.mark.slow
def test_workers_lay_out_the_same_spreads(fixture_book: Project, tmp_path: Path) -> None:
    request = BuildRequest(
        formats=("pdf",), editions=("facing",), output_dir=tmp_path, force=True, jobs=2
    )
    build(fixture_book, request)
    joined = facing_report(fixture_book, tmp_path / "gen-facing.pdf")
    assert_pair_mode(joined)
    alone = facing_report(fixture_book)
    assert [p.starts for p in joined.pairs] == [p.starts for p in alone.pairs]
    assert joined.pages == alone.pages


def in_spread_mode(project: Project) -> Project:
    toml = project.root / "book.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[pdf]\n", '[pdf]\nfacing_sync = "spread"\n'), encoding="utf-8")
    return Project.open(project.root)


def assert_spread_mode(report: LayoutReport) -> None:
    assert report.pairs, "no pairs found"
    assert report.problems == []  # every word once, in order, on its side; notes with calls
    assert same_spread(report) == []
    assert stranded_headings(report) == []


@pytest.fixture(scope="module")
def spread_book(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = in_spread_mode(write_book(tmp_path_factory.mktemp("facing-spread"), **FIXTURE))
    build(project, BuildRequest(formats=("pdf",), editions=("facing",)))
    return project


@pytest.mark.slow
def test_spread_mode_every_pair_starts_on_the_same_spread(spread_book: Project) -> None:
    assert_spread_mode(facing_report(spread_book))


@pytest.mark.slow
def test_spread_mode_notes_sit_on_their_calls_page(tmp_path: Path) -> None:
    project = in_spread_mode(write_notes_book(tmp_path, paragraphs=40))
    build(project, BuildRequest(formats=("pdf",), editions=("facing",)))
    assert_spread_mode(facing_report(project))


@pytest.mark.slow
def test_spread_mode_on_the_sample_book(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """In step, and every text on as few spreads as its longer side fills pages alone,
    flowing freely: the fewest any way of synchronising can give it, as a text opens a
    spread (in one process, where the spread writer's lines can be read)."""
    project = in_spread_mode(Project.open(copy_sample_book(tmp_path)))
    with caplog.at_level(logging.INFO, logger="bilingual_pub.render.pdf.spread"):
        build(project, BuildRequest(formats=("pdf",), editions=("facing",), jobs=1))
    assert_spread_mode(facing_report(project))
    lines = [tuple(r.args or ()) for r in caplog.records if "longer side alone" in str(r.msg)]
    assert len(lines) == len(project.texts())
    assert [line[:3] for line in lines if line[1] != line[2]] == []  # (text, spreads, pages)


@pytest.mark.slow
def test_without_placing_and_checking_the_spreads_drift_apart(
    spread_book: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spread check can fail: both sides flowing freely, pairs start on different spreads."""
    monkeypatch.setattr(pdf_spread.Placer, "plan", lambda self, plan: plan)
    monkeypatch.setattr(pdf_spread, "first_out_of_step", lambda plan, document: None)
    request = BuildRequest(
        formats=("pdf",), editions=("facing",), output_dir=tmp_path, force=True, jobs=1
    )
    build(spread_book, request)
    report = facing_report(spread_book, tmp_path / "gen-facing.pdf")
    assert report.problems == []
    assert len(same_spread(report)) >= 1


@pytest.mark.slow
def test_spread_mode_workers_lay_out_the_same_spreads(spread_book: Project, tmp_path: Path) -> None:
    request = BuildRequest(
        formats=("pdf",), editions=("facing",), output_dir=tmp_path, force=True, jobs=2
    )
    build(spread_book, request)
    joined = facing_report(spread_book, tmp_path / "gen-facing.pdf")
    assert_spread_mode(joined)
    assert [p.starts for p in joined.pairs] == [p.starts for p in facing_report(spread_book).pairs]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["pair", "spread"])
def test_a_book_of_three_hundred_pages(tmp_path: Path, mode: str) -> None:
    """The generated book of bench/pdf_bench.py (18 texts, ~300 parallel pages)."""
    project = write_book(tmp_path, chapters=18, paragraphs=60, seed=11)
    if mode == "spread":
        project = in_spread_mode(project)
    build(project, BuildRequest(formats=("pdf",), editions=("facing",)))
    report = facing_report(project)
    assert report.pages >= 300
    if mode == "pair":
        assert_pair_mode(report)
    else:
        assert_spread_mode(report)


def test_with_crop_marks_every_page_is_a_trim_sized_page_with_its_own_bleed(
    tmp_path: Path,
) -> None:
    project = write_book(tmp_path, chapters=1, paragraphs=12, seed=2, features=False)
    toml = tmp_path / "book.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("[pdf]\n", "[pdf]\ncrop_marks = true\n"),
        encoding="utf-8",
    )
    project = Project.open(tmp_path)
    build(project, BuildRequest(formats=("pdf",), editions=("facing",)))
    pdf = tmp_path / "build" / "gen-facing.pdf"
    bleed = 3 * 72 / 25.4
    for page in PdfReader(str(pdf)).pages:
        trim = [float(v) for v in page.trimbox]
        media = [float(v) for v in page.mediabox]
        assert trim == pytest.approx([0, 0, 432, 648], abs=0.01)
        assert media == pytest.approx([-bleed, -bleed, 432 + bleed, 648 + bleed], abs=0.01)
    import pdfplumber

    with pdfplumber.open(pdf) as document:  # each page's crop marks where a single page has them
        marks = [
            sorted((round(m["x0"], 1), round(m["top"], 1)) for m in [*page.lines, *page.curves])
            for page in document.pages
        ]
    assert marks[0] and all(page_marks == marks[0] for page_marks in marks)
    assert_pair_mode(facing_report(project))

"""``bilingual-pub preflight`` on built books: the sample passes, printers' rejections fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image

from bilingual_pub.build import BuildRequest, build
from bilingual_pub.cli import main
from bilingual_pub.preflight import minimum_inside_margin, preflight
from bilingual_pub.project import Project
from tests.bookgen import copy_sample_book, write_book


def _run(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), "preflight"])
    return result.exit_code, result.output


@pytest.mark.slow
def test_the_sample_book_passes(tmp_path: Path) -> None:
    project = Project.open(copy_sample_book(tmp_path / "sample"))
    build(project, BuildRequest(formats=("cover",), editions=("parallel",)))
    code, output = _run(project.root)
    assert code == 0, output
    assert ": error:" not in output and ": warning:" not in output


def test_the_inside_margin_kdp_asks() -> None:
    assert [minimum_inside_margin(n) for n in (24, 150, 151, 300, 400, 600, 800)] == [
        0.375, 0.375, 0.5, 0.5, 0.625, 0.75, 0.875
    ]


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = write_book(
        tmp_path_factory.mktemp("preflight"), chapters=1, paragraphs=2, features=False
    )
    build(project, BuildRequest(formats=("cover",), editions=("en",)))
    return project


def test_a_clean_small_book_passes(small_book: Project) -> None:
    findings = preflight(small_book)
    assert [str(f) for f in findings if f.level == "error"] == []


def test_a_low_resolution_photo_across_the_text_block(tmp_path: Path) -> None:
    project = write_book(tmp_path, chapters=1, paragraphs=2, features=False)
    Image.new("RGB", (240, 160), (120, 80, 40)).save(project.root / "images" / "photo.jpg")
    text = project.root / "texts" / "01-chapter.md"
    text.write_text(
        text.read_text(encoding="utf-8") + "\n![](../images/photo.jpg)\n", encoding="utf-8"
    )
    project = Project.open(project.root)
    build(project, BuildRequest(formats=("pdf",), editions=("en",)))
    code, output = _run(project.root)
    assert code == 1
    lines = [line for line in output.splitlines() if "photo.jpg" in line]
    assert lines and lines[0].startswith("build/gen-en.pdf: page ")
    assert "error: image images/photo.jpg is " in lines[0] and "ppi" in lines[0]


def test_a_gutter_too_narrow_for_the_page_count(tmp_path: Path) -> None:
    project = write_book(tmp_path, chapters=1, paragraphs=2, features=False)
    config = project.root / "book.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "[pdf]\n", '[pdf]\nmargin_inner = "0.25in"\nmargin_outer = "0.25in"\n'
        ),
        encoding="utf-8",
    )
    project = Project.open(project.root)
    build(project, BuildRequest(formats=("pdf",), editions=("es",)))
    code, output = _run(project.root)
    assert code == 1
    assert (
        "build/gen-es.pdf: page 5: error: inside margin 0.250 in, below the 0.375 in "
        "a book of 8 pages needs"
    ) in output


def test_a_cover_built_for_another_page_count(small_book: Project, tmp_path: Path) -> None:
    build_dir = small_book.root / "build"
    cover = build_dir / "gen-en-cover.pdf"
    interior = build_dir / "gen-en.pdf"
    saved = tmp_path / "interior.pdf"
    shutil.copy(interior, saved)
    try:
        with pikepdf.open(saved) as pdf:  # the interior grew by 40 pages since the cover
            for _ in range(40):
                pdf.pages.append(pdf.pages[-1])
            pdf.save(interior)
        code, output = _run(small_book.root)
    finally:
        shutil.copy(saved, interior)
    assert code == 1
    assert f"{cover.relative_to(small_book.root)}: error: spine " in output
    assert "does not match gen-en.pdf" in output


def test_an_odd_page_count_and_missing_output_intent(small_book: Project, tmp_path: Path) -> None:
    interior = small_book.root / "build" / "gen-en.pdf"
    saved = tmp_path / "interior.pdf"
    shutil.copy(interior, saved)
    config = small_book.root / "book.toml"
    settings = config.read_text(encoding="utf-8")
    try:
        with pikepdf.open(saved) as pdf:
            del pdf.pages[-1]
            pdf.save(interior)
        config.write_text(settings.replace("[pdf]\n", '[pdf]\nvariant = "pdf/x-4"\n'))
        findings = [str(f) for f in preflight(Project.open(small_book.root))]
    finally:
        shutil.copy(saved, interior)
        config.write_text(settings, encoding="utf-8")
    assert any(f.startswith("build/gen-en.pdf: error: odd page count") for f in findings)
    assert "build/gen-en.pdf: error: no output intent, which pdf/x-4 requires" in findings


def test_a_trim_that_is_not_the_books_page_size(small_book: Project, tmp_path: Path) -> None:
    """An interior built for another trim than book.toml asks, and its cover's height."""
    interior = small_book.root / "build" / "gen-en.pdf"
    saved = tmp_path / "interior.pdf"
    shutil.copy(interior, saved)
    try:
        with pikepdf.open(saved) as pdf:  # laid out for 6 x 8.5 in
            for page in pdf.pages:
                page.obj.MediaBox = page.obj.TrimBox = page.obj.BleedBox = [0, 0, 432, 612]
            pdf.save(interior)
        findings = [str(f) for f in preflight(small_book)]
    finally:
        shutil.copy(saved, interior)
    assert (
        "build/gen-en.pdf: page 1: error: trim 6.000 × 8.500 in, not the page size of "
        "book.toml (6.000 × 9.000 in)"
    ) in findings
    assert "build/gen-en-cover.pdf: error: height 9.000 in, not gen-en.pdf's" in findings

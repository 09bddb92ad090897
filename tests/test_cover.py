"""The wrap-around cover: its geometry for several page counts and papers, read back."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from bilingual_pub.build import BuildRequest, build, load_document, make_context
from bilingual_pub.config import BookConfig
from bilingual_pub.editions import editions_for
from bilingual_pub.errors import ConfigError
from bilingual_pub.project import Project
from bilingual_pub.render.cover import spine_width, write_cover
from tests.bookgen import write_book

TRIM_W, TRIM_H = 432.0, 648.0  # 6 x 9 in, in points
BLEED = 9.0  # 0.125 in


def blank_interior(path: Path, pages: int) -> Path:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(TRIM_W, TRIM_H))
    pdf.save(path)
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = write_book(tmp_path_factory.mktemp("cover"), chapters=1, paragraphs=2, features=False)
    config = project.root / "book.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[cover]\nback.en = "The English blurb."\nback.es = "La reseña en español."\n',
        encoding="utf-8",
    )
    return Project.open(project.root)


def _with_paper(config: BookConfig, paper: str) -> BookConfig:
    from dataclasses import replace

    return replace(config, print_cover=replace(config.print_cover, paper=paper))


@pytest.mark.parametrize("paper, per_page", [("white", 0.002252), ("cream", 0.0025)])
@pytest.mark.parametrize("pages", [24, 120, 500])
def test_cover_geometry(
    book: Project, tmp_path: Path, pages: int, paper: str, per_page: float
) -> None:
    document = load_document(book)
    document = type(document)(**{**document.__dict__, "config": _with_paper(book.config, paper)})
    interior = blank_interior(tmp_path / "interior.pdf", pages)
    target = tmp_path / "cover.pdf"
    edition = editions_for(book.config.languages)[0]
    write_cover(document, edition, target, make_context(book), interior=interior)
    spine = pages * per_page * 72
    assert spine_width(pages, document.config) == pytest.approx(pages * per_page)
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0].obj
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
        assert trim == pytest.approx([0, 0, 2 * TRIM_W + spine, TRIM_H], abs=0.01)
        assert bleed == pytest.approx(
            [-BLEED, -BLEED, 2 * TRIM_W + spine + BLEED, TRIM_H + BLEED], abs=0.01
        )
    with pdfplumber.open(target) as pdf:
        words = pdf.pages[0].extract_words()
        chars = pdf.pages[0].chars
    spine_left, spine_right = TRIM_W, TRIM_W + spine  # pdfplumber: PDF user space
    on_spine = [c for c in chars if c["x0"] >= spine_left - 0.1 and c["x1"] <= spine_right + 0.1]
    if pages >= 80:
        assert on_spine, "a spine of 80 pages or more carries the titles"
        clearance = 0.0625 * 72
        assert all(
            w["x0"] >= spine_left + clearance - 0.5 and w["x1"] <= spine_right - clearance + 0.5
            for w in on_spine
        )
    else:
        assert not on_spine
    text = " ".join(w["text"] for w in words)
    assert "English blurb" in text and "reseña" in text
    assert "A Generated Book" in text and "Un libro generado" in text


def test_spine_per_page_overrides_the_paper(book: Project, tmp_path: Path) -> None:
    from dataclasses import replace

    config = replace(book.config, print_cover=replace(book.config.print_cover, spine_per_page="0.003"))
    assert spine_width(200, config) == pytest.approx(0.6)


def test_bad_cover_settings_name_the_line(tmp_path: Path) -> None:
    project = write_book(tmp_path, chapters=1, paragraphs=1, features=False)
    config = project.root / "book.toml"
    config.write_text(config.read_text() + '\n[cover]\npaper = "glossy"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Project.open(project.root)
    assert "book.toml:15: cover.paper: 'glossy' is not one of" in str(caught.value)


@pytest.mark.slow
def test_build_format_cover_builds_the_interior_first(book: Project) -> None:
    result = build(book, BuildRequest(formats=("cover",), editions=("es",)))
    names = [path.name for path in result.written]
    assert names == ["gen-es.pdf", "gen-es-cover.pdf"]
    interior_pages = len(pikepdf.open(book.root / "build" / "gen-es.pdf").pages)
    with pikepdf.open(book.root / "build" / "gen-es-cover.pdf") as pdf:
        width = float(pdf.pages[0].TrimBox[2])
    assert width == pytest.approx(2 * TRIM_W + interior_pages * 0.002252 * 72, abs=0.01)


def test_a_book_overrides_the_cover_template(book: Project, tmp_path: Path) -> None:
    override = book.root / "templates" / "cover" / "cover.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(
        '<html lang="en"><body><p>Our own cover, {{ geometry.pages }} pages</p></body></html>',
        encoding="utf-8",
    )
    try:
        target = tmp_path / "cover.pdf"
        edition = editions_for(book.config.languages)[0]
        interior = blank_interior(tmp_path / "interior.pdf", 96)
        write_cover(load_document(book), edition, target, make_context(book), interior=interior)
    finally:
        override.unlink()
    with pdfplumber.open(target) as pdf:
        assert "Our own cover, 96 pages" in pdf.pages[0].extract_text()

"""PDF chapters laid out in worker processes and joined: the same book as one process makes."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bilingual_pub.build import BuildRequest, build
from bilingual_pub.project import Project
from tests.bookgen import write_book
from tests.pdf_layout import check_parallel_pdf, painted, stranded_headings
from tests.test_pdf import parallel_views

EDITIONS = ("parallel", "es")

pytestmark = pytest.mark.slow  # two builds of a three-text book, and more; over a minute


@pytest.fixture(scope="module")
def one_and_two(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path, Path]:
    """A three-text book with crop marks and tinted pages, built in one process and
    with two workers."""
    root = tmp_path_factory.mktemp("jobs-book")
    project = write_book(root, chapters=3, paragraphs=24, seed=5)
    config = project.root / "book.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[pdf]\n", "[pdf]\ncrop_marks = true\n"),
        encoding="utf-8",
    )
    extra = project.root / "templates" / "pdf" / "extra.css"
    extra.parent.mkdir(parents=True)
    extra.write_text("@page { background: #f4f1e8; }\n", encoding="utf-8")
    project = Project.open(project.root)
    assert project.config.pdf.crop_marks
    for jobs in (1, 2):
        request = BuildRequest(
            formats=("pdf",),
            editions=EDITIONS,
            output_dir=root / f"jobs-{jobs}",
            jobs=jobs,
            cache=jobs > 1,  # one process: the one-process writer, not the chapter cache
        )
        build(project, request)
    return project, root / "jobs-1", root / "jobs-2"


def _outline(reader: PdfReader, items: list[Any], depth: int = 0) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    for item in items:
        if isinstance(item, list):
            found.extend(_outline(reader, item, depth + 1))
        else:
            page = reader.get_destination_page_number(item)
            found.append((depth, item.title, page, round(item.left), round(item.top)))
    return found


def pdf_summary(path: Path) -> dict[str, Any]:
    """What a reader gets from a PDF: pages and their text, bookmarks, link targets."""
    reader = PdfReader(str(path))
    destinations = {
        name: (reader.get_destination_page_number(d), round(d.left), round(d.top))
        for name, d in reader.named_destinations.items()
    }
    links = [
        (number, [round(float(v)) for v in a["/Rect"]], str(a.get("/Dest")))
        for number, page in enumerate(reader.pages)
        for a in (annotation.get_object() for annotation in page.get("/Annots") or [])
    ]
    # the two files may map the hyphen glyph to U+002D or U+2010: the same glyph
    texts = [page.extract_text().replace("\u2010", "-") for page in reader.pages]
    return {
        "metadata": dict(reader.metadata or {}),
        "lang": reader.trailer["/Root"].get("/Lang"),
        "outline": _outline(reader, reader.outline),
        "destinations": destinations,
        "links": links,
        "texts": texts,
    }


@pytest.mark.parametrize("edition", EDITIONS)
def test_joined_pdf_reads_like_the_one_process_build(
    one_and_two: tuple[Project, Path, Path], edition: str
) -> None:
    project, one, two = one_and_two
    name = f"{project.config.slug}-{edition}.pdf"
    alone, joined = pdf_summary(one / name), pdf_summary(two / name)
    assert len(joined["texts"]) == len(alone["texts"])
    for number, (expected, found) in enumerate(zip(alone["texts"], joined["texts"], strict=True)):
        assert found == expected, f"page {number + 1}"
    assert joined["outline"] == alone["outline"]
    assert len(joined["outline"]) > 3  # texts and their headings
    assert joined["destinations"] == alone["destinations"]
    assert joined["links"] == alone["links"]
    assert any("/t02" in dest or "t02" in dest for _, _, dest in joined["links"])  # the contents
    assert joined["metadata"] == alone["metadata"]
    assert joined["lang"] == alone["lang"]


def test_joined_pdf_paints_every_page_like_the_one_process_build(
    one_and_two: tuple[Project, Path, Path],
) -> None:
    """Page tint and crop marks once per page, under the text, heads and numbers on top."""
    project, one, two = one_and_two
    name = f"{project.config.slug}-parallel.pdf"
    alone, joined = painted(one / name), painted(two / name)
    assert any(page["rect"] for page in alone) and any(
        page["line"] or page["curve"] for page in alone
    )
    assert len(joined) == len(alone)
    for number, (expected, found) in enumerate(zip(alone, joined, strict=True)):
        for kind in expected:
            assert found[kind] == expected[kind], f"page {number + 1}: {kind}"


def test_joined_parallel_pdf_keeps_every_pair_aligned(
    one_and_two: tuple[Project, Path, Path],
) -> None:
    project, _, two = one_and_two
    pdf = two / f"{project.config.slug}-parallel.pdf"
    report = check_parallel_pdf(pdf, parallel_views(project), project.config.pdf)
    assert report.pairs
    assert report.problems == []
    assert [p.row_id for p in report.misaligned(tolerance=1.0)] == []
    assert stranded_headings(report) == []


def test_running_heads_set_inside_a_text_are_laid_out_in_one_piece(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Furniture that depends on a text's content cannot be drawn apart: the chapter
    is laid out again, whole, in the building process."""
    project = write_book(tmp_path / "book", chapters=2, paragraphs=14, seed=2)
    extra = project.root / "templates" / "pdf" / "extra.css"
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_text("td.col-1 h2 { string-set: head-left content(text); }\n", encoding="utf-8")
    project = Project.open(project.root)
    for jobs in (1, 2):
        request = BuildRequest(
            formats=("pdf",), editions=("parallel",), output_dir=tmp_path / f"j{jobs}", jobs=jobs
        )
        with caplog.at_level(logging.INFO, logger="bilingual_pub"):
            build(project, request)
    assert "laying the chapter out here" in caplog.text
    name = f"{project.config.slug}-parallel.pdf"
    assert pdf_summary(tmp_path / "j2" / name) == pdf_summary(tmp_path / "j1" / name)


def test_a_worker_that_dies_is_reported_and_the_book_built_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Not a hang, not a lost edition: the workers' failure is told, then one process works."""
    project = write_book(tmp_path / "book", chapters=2, paragraphs=4, seed=1)
    broken = tmp_path / "broken-python"
    broken.write_text("#!/bin/sh\necho 'the worker broke' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(broken))
    output = tmp_path / "out"
    request = BuildRequest(formats=("pdf",), editions=("parallel",), output_dir=output, jobs=2)
    with caplog.at_level(logging.WARNING, logger="bilingual_pub"):
        result = build(project, request)
    assert "a PDF layout worker stopped" in caplog.text and "the worker broke" in caplog.text
    assert [p.name for p in result.written] == ["gen-parallel.pdf"]
    assert len(PdfReader(str(result.written[0])).pages) > 4
    assert sorted(p.name for p in output.iterdir()) == [
        ".bilingual-pub-build.json",
        "gen-parallel.pdf",
    ]

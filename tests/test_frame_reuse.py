"""The previous edition patched: after a change that moves no page, a rebuild replaces only
the changed text's pages in the previous build's PDF (render/pdf/reuse.py), and the
result reads as a full build of the same inputs does; any other change lays the frame
out again; a build killed while patching leaves nothing the next build trusts wrongly."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from bilingual_pub.build import _read_texts, make_context
from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.document import make_document
from bilingual_pub.editions import editions_for
from bilingual_pub.project import Project
from bilingual_pub.render.pdf.layout import EditionLayout
from bilingual_pub.render.pdf.spacing import stretched_rows
from tests.bookgen import write_book
from tests.test_chapter_cache import _build, _change_one_translation, assert_same_pdf

PATCHED = "the previous edition with 1 chapter(s) replaced"
FRAME = "laying out the whole frame"
LATER = "1767312000"  # a day after conftest's SOURCE_DATE_EPOCH: the metadata must follow


def _folder(output: Path) -> Path:
    return output / ".cache" / "pdf-parallel"


@pytest.fixture
def built(tmp_path: Path) -> tuple[Project, Path]:
    """A three-text book built once with its chapter cache."""
    project = write_book(tmp_path / "book", chapters=3, paragraphs=8, seed=11)
    output = tmp_path / "out"
    _build(project, output)
    assert (_folder(output) / "edition.json").is_file()
    return project, output


def _rebuild(
    project: Project, output: Path, caplog: pytest.LogCaptureFixture, expected: str
) -> Path:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bilingual_pub"):
        rebuilt = _build(project, output)
    assert expected in caplog.text
    return rebuilt


def _pages(pdf: Path) -> int:
    with pikepdf.open(pdf) as document:
        return len(document.pages)


def _full(project: Project, tmp_path: Path) -> Path:
    full = tmp_path / "full"
    shutil.rmtree(full, ignore_errors=True)
    return _build(project, full, cache=False)


@pytest.mark.slow  # three builds of a three-text book
def test_a_changed_translation_is_patched_into_the_previous_edition(
    built: tuple[Project, Path],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project, output = built
    before = _pages(output / "gen-parallel.pdf")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    _change_one_translation(project, 1)
    rebuilt = _rebuild(project, output, caplog, PATCHED)
    assert _pages(rebuilt) == before
    assert_same_pdf(rebuilt, _full(project, tmp_path))  # the build time in the metadata too
    # and again from the patched edition: two texts changed at once
    _change_one_translation(project, 0)
    _change_one_translation(project, 2)
    rebuilt = _rebuild(project, output, caplog, "the previous edition with 2 chapter(s)")
    assert_same_pdf(rebuilt, _full(project, tmp_path))


@pytest.mark.slow
def test_a_page_more_lays_the_frame_out_and_the_next_change_is_patched_again(
    built: tuple[Project, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project, output = built
    before = _pages(output / "gen-parallel.pdf")
    _change_one_translation(project, 1, " ".join(["Una frase bastante larga y nueva."] * 120))
    rebuilt = _rebuild(project, output, caplog, FRAME)
    assert _pages(rebuilt) > before
    assert_same_pdf(rebuilt, _full(project, tmp_path))
    _change_one_translation(project, 2)
    rebuilt = _rebuild(project, output, caplog, PATCHED)
    assert_same_pdf(rebuilt, _full(project, tmp_path))


@pytest.mark.slow
def test_a_changed_heading_changes_the_running_heads_and_the_contents(
    built: tuple[Project, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A text's title is in its running heads, the contents and the bookmarks: the frame."""
    project, output = built
    path = project.po_path(project.texts()[1])
    po = read_po(path)
    title = next(m for m in po.messages() if str(m.string).startswith("Capítulo 2"))
    title.string = f"{title.string} revisado"
    path.write_text(render_po(po), encoding="utf-8")
    rebuilt = _rebuild(project, output, caplog, FRAME)
    assert any("revisado" in page.extract_text() for page in PdfReader(rebuilt).pages)
    assert_same_pdf(rebuilt, _full(project, tmp_path))


@pytest.mark.slow
def test_a_new_page_size_lays_everything_out_again(
    built: tuple[Project, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project, output = built
    config = project.root / "book.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("6in 9in", "A4"), "utf-8")
    project = Project.open(project.root)
    rebuilt = _rebuild(project, output, caplog, "0 chapters from the chapter cache, 3 to lay out")
    assert PATCHED not in caplog.text
    assert_same_pdf(rebuilt, _full(project, tmp_path))


@pytest.mark.slow
def test_an_edition_without_its_record_is_not_patched(
    built: tuple[Project, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A build killed between writing the patched edition and its record leaves the new
    PDF beside the old record: its checksum does not match, and the frame is laid out."""
    project, output = built
    record = _folder(output) / "edition.json"
    old_record = record.read_bytes()
    _change_one_translation(project, 1)
    _rebuild(project, output, caplog, PATCHED)
    record.write_bytes(old_record)  # as the killed build left it
    _change_one_translation(project, 2)
    rebuilt = _rebuild(project, output, caplog, "the previous edition is not used")
    assert FRAME not in caplog.text and PATCHED not in caplog.text
    assert_same_pdf(rebuilt, _full(project, tmp_path))


def _entries(output: Path) -> int:
    return len([p for p in _folder(output).glob("*.json") if p.stem != "edition"])


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["before the text is laid out", "while patching"])
def test_a_build_killed_while_patching_leaves_nothing_wrong(
    built: tuple[Project, Path], tmp_path: Path, moment: str
) -> None:
    project, output = built
    _change_one_translation(project, 1)
    entries = _entries(output)
    command = [sys.executable, "-m", "bilingual_pub", "build", "--format", "pdf"]
    command += ["--edition", "parallel", "-j", "1", "--output", str(output)]
    process = subprocess.Popen(command, cwd=project.root, env=dict(os.environ))
    try:
        while process.poll() is None:
            if moment.startswith("before") and list(output.glob(".chapters-*/previous-*")):
                break  # the previous edition is copied to work on
            if moment == "while patching" and _entries(output) > entries:
                break  # the changed text is laid out and kept: the patch follows
            time.sleep(0.002)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    rebuilt = _build(project, output)
    assert_same_pdf(rebuilt, _full(project, tmp_path))


# -- the rows set ragged-right, predicted from the previous layout --------------------------

GUESSED = "(as before, but for the changed rows)"


def _ragged_rows(output: Path) -> set[str]:
    """The rows the cached layouts set ragged-right (their word spaces stretched)."""
    rows: set[str] = set()
    for record in _folder(output).glob("*.json"):
        if record.stem != "edition":
            rows |= set(json.loads(record.read_text(encoding="utf-8"))["ragged"])
    return rows


def _set_translation(project: Project, row: str, change: Callable[[str], str]) -> None:
    """Change the translation shown in the pair row ``row`` (e.g. ``t02-s0005``)."""
    project = Project.open(project.root)
    document = make_document(project.config, _read_texts(project))
    pair = next(p for c in document.chapters for p in c.pairs.values() if p.id == row)
    path = project.po_path(project.texts()[int(row[1:3]) - 1])
    po = read_po(path)
    message = next(m for m in po.messages() if str(m.string) == pair.text("es"))
    message.string = change(str(message.string))
    path.write_text(render_po(po), encoding="utf-8")


def _stretched_now(project: Project, row: str) -> bool:
    """Whether ``row`` stretches its word spaces when its text is laid out justified."""
    project = Project.open(project.root)
    document = make_document(project.config, _read_texts(project))
    layout = EditionLayout(document, editions_for(("en", "es"))[0], make_context(project))
    view = next(v for v in layout.views if v.id == row[:3])
    alone = replace(view, rows=[r for r in view.rows if r.id == row])
    return row in stretched_rows(layout.render_chapter(alone, 1))


def _unstretched_by(project: Project, rows: list[str], text: str) -> str:
    """The first of the ``rows`` set ragged that ``text`` in place of its translation
    leaves unstretched (the other side may stretch too), with that text now in it."""
    for row in rows:
        path = project.po_path(project.texts()[int(row[1:3]) - 1])
        before = path.read_bytes()
        _set_translation(project, row, lambda _: text)
        if not _stretched_now(project, row):
            return row
        path.write_bytes(before)
    raise AssertionError("no stretched row can be made plain by its translation")


@pytest.mark.slow  # five rebuilds and five full builds of a three-text book
def test_one_segment_edits_set_the_rows_ragged_as_a_full_build_does(
    built: tuple[Project, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A changed text's rows to set ragged-right are predicted from its previous layout;
    whichever way an edit goes (a stretched row made plain, a plain one stretched, shorter,
    longer), the rebuilt edition is the full build's."""
    project, output = built
    ragged = sorted(_ragged_rows(output))
    document = make_document(project.config, _read_texts(project))
    pairs = {p.id: p for c in document.chapters for p in c.pairs.values()}
    # the second text's paragraphs that are not set ragged (its title left out)
    plain = sorted(row for row in pairs if row.startswith("t02-s") and row not in ragged)[1:]
    assert ragged and len(plain) >= 3
    long_token = " " + "-".join(["extraordinariamente"] * 3) + " y"
    plain_text = max((pairs[row].text("es") for row in plain), key=len)
    edits: list[tuple[str, Callable[[str], str]]] = [
        # a stretched row given a plain one's text (several lines, none stretched)
        (_unstretched_by(project, ragged, plain_text), lambda text: text),
        (plain[0], lambda text: text + long_token),
        (plain[1], lambda text: text[: len(text) // 2] + "."),
        (plain[2], lambda text: text + " Otra frase. Y otra más, bastante más larga."),
        (next(r for r in ragged if r.startswith("t01")), lambda text: text + " Sí."),
    ]
    guessed = 0
    for row, change in edits:
        _set_translation(project, row, change)
        rebuilt = _rebuild(project, output, caplog, "1 to lay out")
        guessed += GUESSED in caplog.text
        assert_same_pdf(rebuilt, _full(project, tmp_path))
    assert guessed >= 3

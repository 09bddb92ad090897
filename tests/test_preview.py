"""bilingual-pub serve: the preview page, its states and catalog lines, kept up to date in
open pages (a real browser) as catalogs are saved, and a broken catalog shown, not served."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.preview.page import FUZZY, TRANSLATED, UNTRANSLATED, read_preview
from bilingual_pub.preview.server import PreviewServer, watched
from tests.browser import chromium, needs_chromium
from tests.harness import make_book

TEXT = """\
# The harvest

The first paragraph of the text, about the harvest.

The second paragraph, which nobody has translated yet.

The third paragraph, with a translation still to be checked.
"""
TRANSLATIONS = {
    "The harvest": "La cosecha",
    "The first paragraph of the text, about the harvest.": "El primer párrafo, sobre la cosecha.",
    "The third paragraph, with a translation still to be checked.": "El tercer párrafo.",
}
CATALOG = "locales/es/LC_MESSAGES/01-harvest.po"
WAIT = 30.0  # seconds: long enough on a loaded machine; the page normally changes in well under 1


def _edit_catalog(root: Path, source: str, translation: str, *, fuzzy: bool = False) -> None:
    path = root / CATALOG
    po = read_po(path)
    message = po.catalog.get(source)
    assert message is not None
    message.string = translation
    if fuzzy:
        message.flags.add("fuzzy")
    else:
        message.flags.discard("fuzzy")
    path.write_text(render_po(po), encoding="utf-8")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = make_book(tmp_path / "book", {"01-harvest.md": TEXT}, translations=TRANSLATIONS)
    third = "The third paragraph, with a translation still to be checked."
    _edit_catalog(root, third, TRANSLATIONS[third], fuzzy=True)
    return root


def _line_of(root: Path, text: str) -> int:
    lines = (root / CATALOG).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if f'msgid "{text}"' in line)


def test_each_segment_shows_its_state_and_catalog_line(book: Path) -> None:
    (chapter,) = read_preview(book).chapters
    states = [(s.texts["en"], s.texts["es"], s.state) for s in chapter.segments]
    assert states == [
        ("The harvest", "La cosecha", TRANSLATED),
        (TEXT.splitlines()[2], "El primer párrafo, sobre la cosecha.", TRANSLATED),
        (TEXT.splitlines()[4], "", UNTRANSLATED),
        (TEXT.splitlines()[6], "El tercer párrafo.", FUZZY),  # the suggestion, marked
    ]
    second = chapter.segments[2]
    assert second.where == f"{CATALOG}:{_line_of(book, TEXT.splitlines()[4])}"
    assert chapter.title == "The harvest"


def test_check_findings_are_shown_on_their_segment(book: Path) -> None:
    source = "The first paragraph of the text, about the harvest."
    _edit_catalog(book, source, "¿El primer párrafo, sobre la cosecha.")  # no closing ?
    (chapter,) = read_preview(book).chapters
    assert [f.split(":")[0] for f in chapter.segments[1].findings] == ["punctuation"], chapter
    assert not chapter.segments[0].findings
    assert chapter.segments[3].findings[0].startswith("fuzzy:")


def test_only_the_books_own_files_are_watched(book: Path) -> None:
    wanted = watched(book.resolve())
    assert wanted(None, str(book / CATALOG))
    assert wanted(None, str(book / "book.toml"))
    assert wanted(None, str(book / "texts" / "01-harvest.md"))
    assert not wanted(None, str(book / "build" / "book-parallel.pdf"))
    assert not wanted(None, str(book.parent / "elsewhere.po"))


@pytest.fixture
def server(book: Path) -> Iterator[PreviewServer]:
    preview = PreviewServer(book, port=0)
    preview.start()
    yield preview
    preview.close()


def _state(server: PreviewServer) -> dict[str, Any]:
    with urllib.request.urlopen(server.url + "state", timeout=WAIT) as response:
        state: dict[str, Any] = json.load(response)
        return state


def _next_state(server: PreviewServer, seen: int) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT
    while (state := _state(server))["version"] == seen and time.monotonic() < deadline:
        time.sleep(0.05)
    return state


def test_the_server_listens_on_the_loopback_interface_only(server: PreviewServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(server.url + "events", timeout=WAIT) as events:
        assert events.headers["Content-Type"] == "text/event-stream"
        assert events.readline().decode().startswith("data: ")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(server.url + "../book.toml", timeout=WAIT)


def test_a_broken_catalog_is_shown_and_the_last_good_state_kept(
    server: PreviewServer, book: Path
) -> None:
    first = _state(server)
    assert first["error"] is None and "La cosecha" in first["content"]
    catalog = book / CATALOG
    good = catalog.read_text(encoding="utf-8")
    catalog.write_text(good.replace('msgstr "La cosecha"', 'msgstr "La cosecha'), "utf-8")
    broken = _next_state(server, first["version"])
    assert broken["error"] is not None and broken["error"].startswith(CATALOG + ":")
    assert "\n" not in broken["error"]
    assert "La cosecha" in broken["content"]  # the last good state, under the error
    catalog.write_text(good.replace("La cosecha", "La siega"), "utf-8")
    mended = _next_state(server, broken["version"])
    assert mended["error"] is None and "La siega" in mended["content"]


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@needs_chromium
def test_two_open_pages_follow_a_saved_catalog_without_reloading(
    server: PreviewServer, book: Path, browser: Any
) -> None:
    pages = [browser.new_page() for _ in range(2)]
    for page in pages:
        page.goto(server.url)
        page.wait_for_function("document.body.dataset.version !== undefined")
        page.evaluate("window.notReloaded = true")
        assert page.locator("tr.untranslated").count() == 1
        assert page.locator("tr.fuzzy td[lang=es]").inner_text() == "El tercer párrafo."
    row = pages[0].locator("tr.untranslated")
    row.click()  # the catalog line, to jump to
    line = _line_of(book, TEXT.splitlines()[4])
    assert row.locator(".where").inner_text() == f"{CATALOG}:{line}"
    assert row.locator(".where").is_visible()

    _edit_catalog(book, TEXT.splitlines()[4], "El segundo párrafo, ya traducido.")
    for page in pages:
        page.wait_for_function(
            "document.body.innerText.includes('El segundo párrafo, ya traducido.')",
            timeout=WAIT * 1000,
        )
        assert page.evaluate("window.notReloaded") is True
        assert page.locator("tr.untranslated").count() == 0

    catalog = book / CATALOG
    catalog.write_text(catalog.read_text("utf-8").replace('msgstr "La cosecha"', "msgstr"), "utf-8")
    pages[1].wait_for_selector(".error", timeout=WAIT * 1000)
    assert CATALOG in pages[1].locator(".error").inner_text()
    assert "El segundo párrafo, ya traducido." in pages[1].locator("main").inner_text()


@pytest.mark.slow  # PDF builds, one of them after a save
def test_serve_pdf_rebuilds_the_pdf_editions_on_save(book: Path) -> None:
    from pypdf import PdfReader

    pdf = book / "build" / "testbook-parallel.pdf"
    command = [sys.executable, "-m", "bilingual_pub", "serve", "--port", "0", "--pdf"]
    process = subprocess.Popen(command, cwd=book, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10 * WAIT  # the machine may be busy
        while not pdf.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pdf.exists(), "no PDF built at start"
        first = pdf.stat().st_mtime_ns
        _edit_catalog(book, TEXT.splitlines()[4], "El segundo párrafo, ya traducido.")
        while pdf.stat().st_mtime_ns == first and time.monotonic() < deadline:
            time.sleep(0.1)
        text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert "ya traducido" in text
        assert (book / "build" / ".cache" / "pdf-parallel").is_dir()
    finally:
        process.terminate()
        process.wait()

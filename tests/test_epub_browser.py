"""The parallel EPUB as a reader sees it: a chapter laid out by a real browser engine.

The chapter (a table, lists and a quote) is unpacked and opened from ``file://`` in
Debian's Chromium, driven by Playwright, at a narrow width (the languages stacked)
and a wide one (side by side, parallel.css).  What is asserted is what the engine
computed: the ``display`` of table cells, where boxes and text lines landed, and the
text of each list item as the accessibility tree gives it (markers included, so a
marker drawn by the stylesheet counts as much as the browser's own).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bilingual_pub.build import BuildRequest, build
from bilingual_pub.project import Project
from tests.browser import chromium, needs_chromium
from tests.harness import make_book

NARROW, WIDE = 400, 1000

pytestmark = needs_chromium

BOOK_TOML = """\
[book]
slug = "browser"
languages = ["en", "es"]
source_language = "en"
authors = ["Ana Autora"]
translators = ["Ben Tester"]

[book.title]
en = "Tables and lists"
es = "Tablas y listas"
"""

TRANSLATIONS = {
    "Tables and lists": "Tablas y listas",
    "Before the table comes a paragraph.": "Antes de la tabla viene un párrafo.",
    "City": "Ciudad",
    "Workers": "Trabajadores",
    "Year": "Año",
    "Juárez": "Ciudad Juárez",
    "Erie": "Erie (Pensilvania)",
    "Chihuahua": "Chihuahua (México)",
    **{number: number for number in ("120", "300", "80", "1994", "1995", "1996")},
    "First item of the list.": "Primer elemento de la lista.",
    "Second item of the list.": "Segundo elemento de la lista.",
    "Third item of the list.": "Tercer elemento de la lista.",
    "One.": "Uno.",
    "Two.": "Dos.",
    "Between the lists, a paragraph.": "Entre las listas, un párrafo.",
    "Three.": "Tres.",
    "Four.": "Cuatro.",
    "A quotation from somebody who said something worth repeating.": (
        "Una cita de alguien que dijo algo que vale la pena repetir."
    ),
}

CHAPTER = """\
# Tables and lists

Before the table comes a paragraph.

| City | Workers | Year |
|---|---:|---|
| Juárez | 120 | 1994 |
| Erie | 300 | 1995 |
| Chihuahua | 80 | 1996 |

- First item of the list.
- Second item of the list.
- Third item of the list.

1. One.
2. Two.

Between the lists, a paragraph.

3. Three.
4. Four.

> A quotation from somebody who said something worth repeating.
"""

# each list item: its marker, then its words in each language
ITEMS = [
    ("•", "First item of the list.", "Primer elemento de la lista."),
    ("•", "Second item of the list.", "Segundo elemento de la lista."),
    ("•", "Third item of the list.", "Tercer elemento de la lista."),
    ("1.", "One.", "Uno."),
    ("2.", "Two.", "Dos."),
    ("3.", "Three.", "Tres."),
    ("4.", "Four.", "Cuatro."),
]


def split_marker(text: str, marker: str) -> str:
    """The words after ``marker``, which the text must start with."""
    assert text.startswith(marker), (text, marker)
    return text.removeprefix(marker).strip()


@pytest.fixture(scope="module")
def chapter_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The parallel EPUB of a one-chapter book, unpacked: the chapter's file:// URL."""
    root = make_book(
        tmp_path_factory.mktemp("browser-book"),
        {"01-things.md": CHAPTER},
        toml=BOOK_TOML,
        translations=TRANSLATIONS,
    )
    request = BuildRequest(formats=("epub",), editions=("parallel",), force=True)
    (epub,) = build(Project.open(root), request).written
    unpacked = root / "unpacked"
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(unpacked)
    return (unpacked / "EPUB" / "t01.xhtml").as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as engine:
        yield engine


def open_chapter(browser: Any, url: str, width: int, screenshot: Path) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 1400})
    page.goto(url)
    page.screenshot(path=str(screenshot), full_page=True)
    return page


# --- what the engine computed ---------------------------------------------------------

BOXES = """(selector) => Array.from(document.querySelectorAll(selector), (element) => {
  const box = element.getBoundingClientRect();
  return {display: getComputedStyle(element).display, left: box.left, right: box.right,
          top: box.top, bottom: box.bottom, lang: element.getAttribute("lang")};
})"""

# where the first line of an element's own words starts (after any marker or indent)
TEXT_LEFT = """(selector) => Array.from(document.querySelectorAll(selector), (element) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && !node.data.trim()) node = walker.nextNode();
  const range = document.createRange();
  range.selectNodeContents(node);
  return range.getClientRects()[0].left;
})"""


def boxes(page: Any, selector: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(BOXES, selector)
    assert found, selector
    return found


def text_left(page: Any, selector: str) -> list[float]:
    return list(page.evaluate(TEXT_LEFT, selector))


def accessible_texts(page: Any, selector: str) -> list[str]:
    """Each element's text as the browser exposes it to assistive technology.

    Unlike ``innerText`` it holds generated content (markers drawn with ``::before``)
    with counters resolved, and the marker of a list item.
    """
    cdp = page.context.new_cdp_session(page)
    document = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    found = cdp.send("DOM.querySelectorAll", {"nodeId": document, "selector": selector})
    wanted = [
        cdp.send("DOM.describeNode", {"nodeId": node})["node"]["backendNodeId"]
        for node in found["nodeIds"]
    ]
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {node["nodeId"]: node for node in nodes}
    by_dom = {node["backendDOMNodeId"]: node for node in nodes if "backendDOMNodeId" in node}

    def text(node: dict[str, Any]) -> str:
        if node["role"]["value"] in ("StaticText", "ListMarker"):
            return str(node.get("name", {}).get("value", ""))
        return "".join(text(by_id[child]) for child in node.get("childIds", []) if child in by_id)

    cdp.detach()
    return [" ".join(text(by_dom[backend]).split()) for backend in wanted]


def assert_table_cells(page: Any) -> None:
    """3 columns x 4 rows of cells, each language of a cell stacked inside it."""
    cells = boxes(page, "table th, table td")
    assert len(cells) == 12
    assert {cell["display"] for cell in cells} == {"table-cell"}
    assert len({round(cell["top"]) for cell in cells}) == 4  # rows
    assert len({round(cell["left"]) for cell in cells}) == 3  # columns
    firsts, seconds = boxes(page, "table .l1"), boxes(page, "table .l2")
    for first, second in zip(firsts, seconds, strict=True):
        assert second["top"] >= first["bottom"] - 1


# --- the tests ---------------------------------------------------------------------


def test_wide_screen_keeps_tables_and_marks_every_language_of_a_list_item(
    browser: Any, chapter_url: str, tmp_path: Path
) -> None:
    page = open_chapter(browser, chapter_url, WIDE, tmp_path / "wide.png")
    text = boxes(page, "section.chapter > div.pair > p")
    english, spanish = text[0], text[1]
    assert spanish["left"] > english["right"], "side by side at this width"
    middle = (english["left"] + spanish["right"]) / 2

    assert_table_cells(page)

    parts = "li > .pair:first-child > .l1, li > .pair:first-child > .l2"
    texts = accessible_texts(page, parts)
    assert len(texts) == 2 * len(ITEMS)
    pairs = zip(texts[::2], texts[1::2], strict=True)
    for (marker, *words), shown in zip(ITEMS, pairs, strict=True):
        assert [split_marker(text, marker) for text in shown] == words
    columns = boxes(page, parts)
    assert [box["lang"] for box in columns] == ["en", "es"] * len(ITEMS)
    assert all(box["right"] <= middle for box in columns[::2])
    assert all(box["left"] >= middle for box in columns[1::2])

    # a list's or a quote's indent is the same in both columns, measured from each column's text
    paragraph = text_left(page, "section.chapter > div.pair > p")[:2]
    for selector in ("ul > li > .pair", "blockquote > .pair"):
        left = text_left(page, f"{selector} > .l1, {selector} > .l2")[:2]
        indents = [left[0] - paragraph[0], left[1] - paragraph[1]]
        assert indents[0] > 10, selector
        assert abs(indents[0] - indents[1]) < 1, (selector, indents)
    page.close()


def test_narrow_screen_stacks_each_pair(browser: Any, chapter_url: str, tmp_path: Path) -> None:
    page = open_chapter(browser, chapter_url, NARROW, tmp_path / "narrow.png")
    assert_table_cells(page)
    items = accessible_texts(page, "li")
    for (marker, english, spanish), item in zip(ITEMS, items, strict=True):
        # one marker for the item, then its two languages (two paragraphs: no space between)
        assert split_marker(item, marker) == english + spanish
    parts = boxes(page, "li > .pair > .l1, li > .pair > .l2")
    for english, spanish in zip(parts[::2], parts[1::2], strict=True):
        assert spanish["top"] >= english["bottom"] - 1
    page.close()

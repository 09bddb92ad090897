"""Reading a parallel PDF back: is every pair aligned, every word present once, in order?

Used by the PDF tests on fixture books and on the sample book.  The expected
text of each cell comes from the same row views the writer rendered (minus the
footnote bodies, which float to the page foot); the PDF side comes from
pdfplumber's characters with their positions.  Both sides are compared as
streams of letters and digits, so hyphenation, ligatures and spacing do not
matter, while a lost, duplicated or misplaced word does.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdftypes import resolve1
from pypdf import PdfReader

from bilingual_pub.config import PdfConfig
from bilingual_pub.render.pdf_html import ChapterView

_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(in|mm|cm|pt|px)$")
_UNITS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0, "px": 0.75}
_PAGE_SIZES = {"a4": (595.28, 841.89), "a5": (419.53, 595.28), "letter": (612.0, 792.0)}


def points(length: str) -> float:
    match = _LENGTH.match(length.strip())
    if not match:
        return 0.0
    return float(match.group(1)) * _UNITS[match.group(2)]


def keep_char(text: str) -> str:
    """Letters and digits only, lower-cased and with ligatures unfolded."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if ch.isalnum())


class _CellText(HTMLParser):
    """Visible text of a cell's HTML, without floated footnote bodies or note calls."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.skip_depth or "fn" in classes or "fn-call" in classes:
            self.skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def cell_text(html: str) -> str:
    parser = _CellText()
    parser.feed(html)
    return "".join(parser.parts)


@dataclass
class PairCheck:
    row_id: str
    kind: str
    starts: list[tuple[int, float] | None]  # per column: (page index, top) of the first character
    ends: list[tuple[int, float] | None]


@dataclass
class LayoutReport:
    pairs: list[PairCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    pages: int = 0

    def misaligned(self, tolerance: float = 1.0) -> list[PairCheck]:
        bad = []
        for pair in self.pairs:
            starts = [s for s in pair.starts if s is not None]
            if len(starts) < 2:
                continue
            if (
                len({page for page, _ in starts}) > 1
                or max(t for _, t in starts) - min(t for _, t in starts) > tolerance
            ):
                bad.append(pair)
        return bad


@dataclass
class _Char:
    key: str
    page: int
    top: float
    x0: float


def _page_geometry(pdf: PdfConfig, width: float, page_index: int) -> tuple[float, float]:
    """Left edge and width of the text block; page 1 is a right-hand page."""
    inner, outer = points(pdf.margin_inner), points(pdf.margin_outer)
    right_hand = page_index % 2 == 0
    left = inner if right_hand else outer
    right = outer if right_hand else inner
    return left, width - left - right


def _excluded_regions(
    path: Path, wide_rows: set[str], all_rows: list[str]
) -> tuple[dict[int, list[tuple[float, float]]], int]:
    """Vertical spans (top, bottom in top-down coordinates) of full-width rows, and the first row's page."""
    reader = PdfReader(str(path))
    destinations = reader.named_destinations
    positions: dict[str, tuple[int, float]] = {}
    for name in all_rows:
        dest = destinations.get(name)
        if dest is not None:
            page = reader.get_destination_page_number(dest)
            height = float(reader.pages[page].mediabox.height)
            positions[name] = (page, height - float(dest.top))
    regions: dict[int, list[tuple[float, float]]] = {}
    for index, name in enumerate(all_rows):
        if name not in wide_rows or name not in positions:
            continue
        page, top = positions[name]
        bottom = float("inf")
        for following in all_rows[index + 1 :]:
            if following in positions:
                next_page, next_top = positions[following]
                if next_page == page:
                    bottom = next_top
                break
        regions.setdefault(page, []).append((top, bottom))
    first_page = positions[all_rows[0]][0] if all_rows and all_rows[0] in positions else 0
    return regions, first_page


def read_columns(
    path: Path, pdf: PdfConfig, wide_rows: set[str], all_rows: list[str]
) -> tuple[list[list[_Char]], list[str], int]:
    """The body characters of each column in reading order, and any character outside its page."""
    columns: list[list[_Char]] = [[], []]
    outside: list[str] = []
    excluded, first_page = _excluded_regions(path, wide_rows, all_rows)
    top_margin, bottom_margin = points(pdf.margin_top), points(pdf.margin_bottom)
    with pdfplumber.open(str(path)) as document:
        pages = len(document.pages)
        body_size = _body_size(document)
        for page_index, page in enumerate(document.pages):
            if page_index < first_page:
                continue  # front matter: titles and contents repeat the chapter titles
            width, height = float(page.width), float(page.height)
            chars = page.chars
            for ch in chars:
                if (
                    ch["x0"] < -0.5
                    or ch["x1"] > width + 0.5
                    or ch["top"] < -0.5
                    or ch["bottom"] > height + 0.5
                ):
                    outside.append(
                        f"page {page_index + 1}: {ch['text']!r} at ({ch['x0']:.1f}, {ch['top']:.1f})"
                    )
            # with crop marks the page (TrimBox) sits inside a larger sheet (MediaBox)
            trim_x0, trim_top, trim_width, trim_bottom = _trim_box(page)
            left, text_width = _page_geometry(pdf, trim_width, page_index)
            middle = trim_x0 + left + text_width / 2
            regions = excluded.get(page_index, [])
            for ch in sorted(chars, key=lambda c: (round(c["top"], 0), c["x0"])):
                if (
                    ch["top"] < trim_top + top_margin - 1
                    or ch["bottom"] > trim_bottom - bottom_margin + 1
                ):
                    continue  # running heads and page numbers
                if ch["size"] < body_size * 0.86:
                    continue  # footnotes, note calls, stand-in labels
                if any(top - 1 <= ch["top"] <= bottom for top, bottom in regions):
                    continue  # figures spanning both columns
                key = keep_char(ch["text"])
                if not key:
                    continue
                column = 0 if ch["x0"] + (ch["x1"] - ch["x0"]) / 2 < middle else 1
                for letter in key:
                    columns[column].append(
                        _Char(letter, page_index, float(ch["top"]), float(ch["x0"]))
                    )
    return columns, outside, pages


def _trim_box(page: Any) -> tuple[float, float, float, float]:
    """Left, top, width and bottom (top-down coordinates) of the page inside its sheet."""
    width, height = float(page.width), float(page.height)
    box = page.page_obj.attrs.get("TrimBox")
    if box is None:
        return 0.0, 0.0, width, height
    x0, y0, x1, y1 = (float(resolve1(v)) for v in resolve1(box))
    return x0, height - y1, x1 - x0, height - y0


def _body_size(document: pdfplumber.PDF) -> float:
    """The size most characters of the document have: the body text."""
    sizes: Counter[float] = Counter()
    for page in document.pages:
        sizes.update(round(ch["size"], 1) for ch in page.chars)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def check_parallel_pdf(path: Path, chapters: list[ChapterView], pdf: PdfConfig) -> LayoutReport:
    rows = [row for chapter in chapters for row in chapter.rows]
    wide = {row.id for row in rows if row.wide is not None and row.id}
    all_ids = [row.id for row in rows if row.id]
    columns, outside, pages = read_columns(path, pdf, wide, all_ids)
    report = LayoutReport(pages=pages)
    report.problems.extend(f"character outside the page: {item}" for item in outside)
    streams = ["".join(ch.key for ch in column) for column in columns]
    cursors = [0, 0]
    for row in rows:
        if row.wide is not None or not row.cells:
            continue
        starts: list[tuple[int, float] | None] = []
        ends: list[tuple[int, float] | None] = []
        for column, cell in enumerate(row.cells):
            expected = keep_char(cell_text(str(cell.html)))
            if not expected:
                starts.append(None)
                ends.append(None)
                continue
            position = cursors[column]
            found = streams[column][position : position + len(expected)]
            if found != expected:
                context = streams[column][position : position + 60]
                report.problems.append(
                    f"{row.id} column {column + 1}: expected {expected[:60]!r}, found {context!r}"
                )
                # resynchronise on the next occurrence so one fault does not hide the rest
                later = streams[column].find(expected, position)
                if later < 0:
                    starts.append(None)
                    ends.append(None)
                    continue
                position = later
            first = columns[column][position]
            last = columns[column][position + len(expected) - 1]
            starts.append((first.page, first.top))
            ends.append((last.page, last.top))
            cursors[column] = position + len(expected)
        report.pairs.append(PairCheck(row.id, row.kind, starts, ends))
    for column in (0, 1):
        rest = streams[column][cursors[column] :]
        if rest:
            report.problems.append(
                f"column {column + 1}: unexpected text after the last pair: {rest[:60]!r}"
            )
    return report


def stranded_headings(report: LayoutReport) -> list[str]:
    """Heading pairs whose following pair starts on a later page (the heading ends a page)."""
    stranded = []
    for current, following in zip(report.pairs, report.pairs[1:], strict=False):
        if current.kind != "heading" or not any(current.ends) or not any(following.starts):
            continue
        end_page = max(end[0] for end in current.ends if end)
        next_page = min(start[0] for start in following.starts if start)
        if next_page > end_page:
            stranded.append(current.row_id)
    return stranded


def body_stream(path: Path, pdf: PdfConfig) -> str:
    """Letters and digits of the body text (no running heads, page numbers or footnotes)."""
    top_margin, bottom_margin = points(pdf.margin_top), points(pdf.margin_bottom)
    keys: list[str] = []
    with pdfplumber.open(str(path)) as document:
        body_size = _body_size(document)
        for page in document.pages:
            height = float(page.height)
            chars = [
                c
                for c in page.chars
                if top_margin - 1 <= c["top"] and c["bottom"] <= height - bottom_margin + 1
            ]
            if not chars:
                continue
            for ch in sorted(chars, key=lambda c: (round(c["top"], 0), c["x0"])):
                if ch["size"] >= body_size * 0.86:
                    keys.append(keep_char(ch["text"]))
    return "".join(keys)


def small_text_pages(path: Path, pdf: PdfConfig, needle: str) -> list[int]:
    """Pages whose small print (the footnote area) holds ``needle`` within one column."""
    wanted = keep_char(needle)
    found = []
    with pdfplumber.open(str(path)) as document:
        body_size = _body_size(document)
        for index, page in enumerate(document.pages):
            chars = page.chars
            if not chars:
                continue
            left, text_width = _page_geometry(pdf, float(page.width), index)
            middle = left + text_width / 2
            columns = ["", ""]
            for c in sorted(chars, key=lambda c: (round(c["top"], 0), c["x0"])):
                if c["size"] < body_size * 0.86:
                    columns[0 if c["x0"] < middle else 1] += keep_char(c["text"])
            if any(wanted in column for column in columns):
                found.append(index)
    return found


def _rounded(objects: list[dict[str, Any]], digits: int) -> list[tuple[Any, ...]]:
    return [
        (
            round(o["x0"], digits),
            round(o["top"], digits),
            round(o["x1"], digits),
            round(o["bottom"], digits),
            str(o.get("non_stroking_color")),
            str(o.get("stroking_color")),
            (o.get("text") or "").replace("\u2010", "-"),
        )  # one glyph, mapped either way
        for o in objects
    ]


def painted(path: Path, digits: int = 1) -> list[dict[str, list[tuple[Any, ...]]]]:
    """Everything drawn on each page, in drawing order: glyphs, rectangles (backgrounds),
    lines and curves (crop marks, rules), placed to ``digits`` decimals.  Drawn twice or
    missing shows here."""
    with pdfplumber.open(path) as pdf:
        return [
            {
                kind: _rounded(page.objects.get(kind, []), digits)
                for kind in ("char", "rect", "line", "curve")
            }
            for page in pdf.pages
        ]

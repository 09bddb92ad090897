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
from itertools import pairwise
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
            for ch in sorted(chars, key=lambda c: (_baseline(c), c["x0"])):
                if (
                    ch["top"] < trim_top + top_margin - 1
                    or ch["bottom"] > trim_bottom - bottom_margin + 1
                ):
                    continue  # running heads and page numbers
                if ch["size"] < body_size * 0.86 and not _code_face(ch):
                    continue  # footnotes, note calls, stand-in labels (code is set smaller)
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


def _baseline(ch: dict[str, Any]) -> float:
    """The character's baseline, rounded: code set smaller sits on the line's baseline with
    a lower top than the words beside it."""
    return round(-float(ch["matrix"][5]), 0)


def _code_face(ch: dict[str, Any]) -> bool:
    return "Mono" in str(ch.get("fontname", ""))


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
    paired = [row for row in rows if row.wide is None and row.cells]
    for number, row in enumerate(paired):
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
            if row.kind == "table":
                span = _table_span(streams[column], position, expected, paired[number + 1 :], column)
                if span:  # a table's cells side by side interleave line by line
                    expected = found = streams[column][position : position + span]
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


def _table_span(
    stream: str, position: int, expected: str, following: list[Any], column: int
) -> int:
    """How many letters of the stream a table takes: up to the next pair's text, if every
    letter of the table is there (its cells read line by line across, its header repeated
    on each page it spans); 0 if not."""
    end = len(stream)
    for row in following:
        start = keep_char(cell_text(str(row.cells[column].html)))
        if start:
            found = stream.find(start[:40], position + len(expected) // 2)
            end = found if found >= 0 else end
            break
    return end - position if not Counter(expected) - Counter(stream[position:end]) else 0


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


# ---- columns that hold their text: every character inside its column's box ----


@dataclass
class _Line:
    """Characters drawn one after another on one baseline (a line box, or part of one)."""

    column: int  # 0: the whole text block, 1 or 2: a column of the parallel edition
    top: float
    chars: list[dict[str, Any]]


def _drawn_lines(chars: list[dict[str, Any]], column_two: float | None) -> list[_Line]:
    """The page's characters in drawing order, cut into lines.  WeasyPrint draws a row's
    first cell before its second, so a line goes on until the baseline changes or the pen
    moves back left, or jumps over more than a word space into the second column (the
    second cell's first line beside the first cell's last).  An overflowing token runs on
    unbroken across the gutter and stays in the line it started."""
    lines: list[_Line] = []
    for ch in chars:
        current = lines[-1] if lines else None
        previous = current.chars[-1] if current else None
        jump = (
            previous is not None
            and column_two is not None
            and ch["x0"] - previous["x1"] > 0.6 * float(ch["size"])
            and ch["x0"] >= column_two - 1
        )
        if (
            current is None
            or previous is None
            or abs(ch["top"] - current.top) > 1
            or ch["x0"] < previous["x0"] - 1
            or jump
        ):
            column = 0 if column_two is None else (1 if ch["x0"] < column_two - 1 else 2)
            lines.append(_Line(column, float(ch["top"]), [ch]))
        else:
            current.chars.append(ch)
    return lines


def column_overflows(
    path: Path, pdf: PdfConfig, chapters: list[ChapterView] | None = None
) -> list[str]:
    """Every character outside its column's box (or its text block's, in front matter,
    figures spanning both columns and one-language editions; or off the page), and every
    running head set on more than one line or outside the text block, page by page.
    ``chapters``: the parallel edition's rows (None: a one-language edition)."""
    top_margin, bottom_margin = points(pdf.margin_top), points(pdf.margin_bottom)
    problems: list[str] = []
    wide: dict[int, list[tuple[float, float]]] = {}
    first_chapter_page = 0
    if chapters is not None:
        rows = [row for chapter in chapters for row in chapter.rows]
        wide_rows = {row.id for row in rows if row.wide is not None and row.id}
        wide, first_chapter_page = _excluded_regions(path, wide_rows, [r.id for r in rows if r.id])
    with pdfplumber.open(str(path)) as document:
        body_size = _body_size(document)
        for index, page in enumerate(document.pages):
            trim_x0, trim_top, trim_width, trim_bottom = _trim_box(page)
            left, width = _page_geometry(pdf, trim_width, index)
            left += trim_x0
            middle = left + width / 2
            two = chapters is not None and index >= first_chapter_page
            boxes = {0: (left, left + width), 1: (left, middle), 2: (middle, left + width)}
            body, heads = [], []
            for ch in page.chars:
                if ch["top"] < trim_top + top_margin - 1:
                    heads.append(ch)
                elif ch["bottom"] <= trim_bottom - bottom_margin + 1:
                    body.append(ch)
            for line in _drawn_lines(body, boxes[2][0] if two else None):
                if any(top - 1 <= line.top <= bottom for top, bottom in wide.get(index, [])):
                    line.column = 0  # a figure spanning both columns
                low, high = boxes[line.column]
                if line.column:  # the cells' padding is in ems of the body (notes: their own)
                    gutter = 0.75 * min(float(line.chars[0]["size"]), body_size)
                    low, high = (left, middle - gutter) if line.column == 1 else (middle + gutter, high)
                # (justified lines end up to 0.7 pt beyond their box: unseen, as in main's PDFs)
                out = [c for c in line.chars if c["x0"] < low - 1 or c["x1"] > high + 1]
                if out and (text := "".join(c["text"] for c in line.chars).strip()):
                    where = "its column" if line.column else "the text block"
                    problems.append(f"page {index + 1}: outside {where}: {text[:70]!r}")
            problems.extend(_running_head_problems(index, heads, boxes[0]))
    return problems


def _running_head_problems(
    index: int, heads: list[dict[str, Any]], block: tuple[float, float]
) -> list[str]:
    tops = sorted({round(float(c["top"])) for c in heads})
    lines = [t for n, t in enumerate(tops) if n == 0 or t - tops[n - 1] > 1]
    problems = []
    if len(lines) > 1:
        text = "".join(c["text"] for c in heads)
        problems.append(f"page {index + 1}: running head on {len(lines)} lines: {text[:70]!r}")
    if any(c["x0"] < block[0] - 0.5 or c["x1"] > block[1] + 0.5 for c in heads):
        problems.append(f"page {index + 1}: running head outside the text block")
    return problems


def first_anchor_page(path: Path) -> int:
    """The page (from 0) of the PDF's first anchor: the first chapter's opening."""
    reader = PdfReader(str(path))
    pages = [reader.get_destination_page_number(d) for d in reader.named_destinations.values()]
    return min(pages, default=0)




# ---- word spaces: how far justification stretches them ----


@dataclass
class WordSpaces:
    lines: int  # column lines of two words or more
    median: float  # the median gap between words over the book, in points
    wide: list[str]  # "page N: text" of each line whose widest gap is over the limit

    @property
    def share(self) -> float:
        return len(self.wide) / self.lines if self.lines else 0.0


def word_spaces(
    paths: list[Path], pdf: PdfConfig, *, parallel: bool, limit: float = 4.0
) -> WordSpaces:
    """The gaps between words on each line of body text (a gap: wider than a fifth of the
    type size) after the front matter, against the median gap over all the PDFs: the lines
    whose widest gap is over ``limit`` times that median.  Headings, tables and notes,
    set in other sizes and never justified, are left out."""
    top_margin, bottom_margin = points(pdf.margin_top), points(pdf.margin_bottom)
    per_line: list[tuple[str, list[float]]] = []
    for path in paths:
        first = first_anchor_page(path)
        with pdfplumber.open(str(path)) as document:
            size = _body_size(document)
            for index, page in enumerate(document.pages[first:], start=first):
                _, trim_top, trim_width, trim_bottom = _trim_box(page)
                left, width = _page_geometry(pdf, trim_width, index)
                body = [
                    c
                    for c in page.chars
                    if trim_top + top_margin - 1 <= c["top"]
                    and c["bottom"] <= trim_bottom - bottom_margin + 1
                ]
                if not body or not any(abs(c["size"] - size) < 0.2 for c in body):
                    continue
                column_two = left + width / 2 if parallel else None
                for line in _drawn_lines(body, column_two):
                    chars = [c for c in line.chars if c["text"].strip()]
                    if any(abs(c["size"] - size) > 0.2 and not _code_face(c) for c in chars):
                        continue
                    gaps = [
                        b["x0"] - a["x1"]
                        for a, b in pairwise(chars)
                        if b["x0"] - a["x1"] > 0.2 * float(b["size"])
                    ]
                    if gaps:
                        text = "".join(c["text"] for c in line.chars)
                        per_line.append((f"{path.name} page {index + 1}: {text[:60]}", gaps))
    all_gaps = sorted(gap for _, gaps in per_line for gap in gaps)
    median = all_gaps[len(all_gaps) // 2] if all_gaps else 0.0
    wide = [where for where, gaps in per_line if max(gaps) > limit * median]
    return WordSpaces(len(per_line), median, wide)

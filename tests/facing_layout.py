"""Reading a facing PDF back: each spread joined into one wide page, read like the parallel
edition (tests/pdf_layout.py) with the left-hand page as the first column and the
right-hand page as the second.

A position is (spread, top): page 1 is a right-hand page, so page ``p`` belongs to
spread ``p // 2``, on the left when ``p`` is even.  Every character must lie on its
page; the body characters of each side must spell the pairs of that side's language
in order, once each; a note's text must be in the small print of a page its call's
pair is set on, on the call's side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pypdf import PdfReader

from bilingual_pub.config import PdfConfig
from bilingual_pub.render.pdf_html import ChapterView
from tests.pdf_layout import (
    LayoutReport,
    PairCheck,
    _body_size,
    _trim_box,
    cell_text,
    keep_char,
    points,
)

_NOTE_NUMBER = re.compile(r'data-n="(\d+)"|<sup class="fn-call">(\d+)</sup>')


@dataclass
class _Char:
    key: str
    spread: int
    top: float


@dataclass
class FacingPages:
    """What the facing PDF shows, side by side."""

    columns: list[list[_Char]]  # the left-hand pages' body text, the right-hand pages'
    small: dict[int, str]  # page index -> its small print (notes), letters only
    outside: list[str]  # characters off their page
    pages: int


def side_of(page_index: int) -> tuple[int, int]:
    """Spread and side (0: left-hand, 1: right-hand) of a zero-based page index."""
    number = page_index + 1
    return number // 2, (0 if number % 2 == 0 else 1)


def first_chapter_page(path: Path, chapters: list[ChapterView]) -> int:
    reader = PdfReader(str(path))
    destination = reader.named_destinations[chapters[0].id]
    return int(reader.get_destination_page_number(destination))


def read_spreads(path: Path, pdf: PdfConfig, first_page: int) -> FacingPages:
    top_margin, bottom_margin = points(pdf.margin_top), points(pdf.margin_bottom)
    read = FacingPages([[], []], {}, [], 0)
    with pdfplumber.open(str(path)) as document:
        read.pages = len(document.pages)
        body_size = _body_size(document)
        for index, page in enumerate(document.pages):
            chars = page.chars
            x0, top, width, bottom = _trim_box(page)
            read.outside += [
                f"page {index + 1}: {c['text']!r} at ({c['x0']:.1f}, {c['top']:.1f})"
                for c in chars
                if c["x0"] < x0 - 0.5
                or c["x1"] > x0 + width + 0.5
                or c["top"] < top - 0.5
                or c["bottom"] > bottom + 0.5
            ]
            if index < first_page:
                continue  # front matter: the titles and the contents repeat chapter titles
            spread, side = side_of(index)
            small = []
            for c in sorted(chars, key=lambda c: (round(c["top"], 0), c["x0"])):
                if c["top"] < top + top_margin - 1 or c["bottom"] > bottom - bottom_margin + 1:
                    continue  # running heads and page numbers
                key = keep_char(c["text"])
                if c["size"] < body_size * 0.86:
                    small.append(key)  # notes, note calls, stand-in labels
                    continue
                read.columns[side] += [_Char(letter, spread, float(c["top"])) for letter in key]
            read.small[index] = "".join(small)
    return read


def check_facing_pdf(
    path: Path, chapters: list[ChapterView], pdf: PdfConfig, notes: dict[str, list[str]]
) -> LayoutReport:
    """Every pair's start on each side, as (spread, top); ``notes``: each note's text in
    both languages by "chapter id:number", checked to sit on a page of its calling pair,
    on its side."""
    read = read_spreads(path, pdf, first_chapter_page(path, chapters))
    report = LayoutReport(pages=read.pages)
    report.problems += [f"character outside its page: {item}" for item in read.outside]
    streams = ["".join(c.key for c in column) for column in read.columns]
    cursors = [0, 0]
    pages_of_call: dict[str, dict[int, tuple[int, int]]] = {}
    for chapter, row in ((view, row) for view in chapters for row in view.rows):
        if row.wide is not None or not row.cells:
            continue
        check = PairCheck(row.id, row.kind, [], [])
        for side, cell in enumerate(row.cells):
            span = _find(streams[side], cursors, side, cell_text(str(cell.html)), report, row.id)
            if span is None:
                check.starts.append(None)
                check.ends.append(None)
                continue
            first, last = read.columns[side][span[0]], read.columns[side][span[1]]
            check.starts.append((first.spread, first.top))
            check.ends.append((last.spread, last.top))
            for match in _NOTE_NUMBER.finditer(str(cell.html)):
                number = f"{chapter.id}:{match.group(1) or match.group(2)}"
                pages_of_call.setdefault(number, {})[side] = (first.spread, last.spread)
        report.pairs.append(check)
    for side in (0, 1):
        rest = streams[side][cursors[side] :]
        if rest:
            report.problems.append(
                f"side {side + 1}: unexpected text after the last pair: {rest[:60]!r}"
            )
    report.problems += _misplaced_notes(read, notes, pages_of_call)
    return report


def _find(
    stream: str, cursors: list[int], side: int, text: str, report: LayoutReport, row_id: str
) -> tuple[int, int] | None:
    """Where ``text`` comes next in a side's stream (first and last character)."""
    expected = keep_char(text)
    if not expected:
        return None
    position = cursors[side]
    if stream[position : position + len(expected)] != expected:
        found = stream[position : position + 60]
        report.problems.append(
            f"{row_id} side {side + 1}: expected {expected[:60]!r}, found {found!r}"
        )
        position = stream.find(expected, position)  # resynchronise: one fault hides no other
        if position < 0:
            return None
    cursors[side] = position + len(expected)
    return position, position + len(expected) - 1


def _page_index(spread: int, side: int) -> int:
    return 2 * spread - 1 + side


def _misplaced_notes(
    read: FacingPages, notes: dict[str, list[str]], calls: dict[str, dict[int, tuple[int, int]]]
) -> list[str]:
    problems = []
    for number, texts in notes.items():
        if number not in calls:
            problems.append(f"note {number}: no call found")
            continue
        for side, text in enumerate(texts):
            if side not in calls[number]:
                problems.append(f"note {number} side {side + 1}: no call found")
                continue
            pages = [
                index
                for index, small in read.small.items()
                if keep_char(text) in small and side_of(index)[1] == side
            ]
            first, last = calls[number][side]
            wanted = {_page_index(spread, side) for spread in range(first, last + 1)}
            if len(pages) != 1 or pages[0] not in wanted:
                problems.append(
                    f"note {number} side {side + 1}: on pages {pages}, called on {sorted(wanted)}"
                )
    return problems


def same_spread(report: LayoutReport) -> list[str]:
    """Pairs whose two sides start on different spreads."""
    return [
        pair.row_id
        for pair in report.pairs
        if len({start[0] for start in pair.starts if start is not None}) > 1
    ]


def join_spreads(path: Path, target: Path) -> None:
    """The facing PDF with each spread joined into one wide page (page 1 alone), to look at."""
    from pypdf import PdfWriter, Transformation

    reader = PdfReader(str(path))
    writer = PdfWriter()
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    for first in range(-1, len(reader.pages), 2):
        sheet = writer.add_blank_page(2 * width, height)
        for offset, index in enumerate((first, first + 1)):
            if 0 <= index < len(reader.pages):
                page: Any = reader.pages[index]
                sheet.merge_transformed_page(page, Transformation().translate(offset * width, 0))
    with open(target, "wb") as output:
        writer.write(output)

"""Faults of the parallel layout, read from WeasyPrint's laid-out boxes.

WeasyPrint can start one cell of a table row on the next page while its partner
starts at the foot of the current one (upstream issue #1712): the pair is then
misaligned.  Also found here: heading rows stranded at a page foot, and rows whose
split made WeasyPrint defer a footnote past its call's page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bilingual_pub.render.pdf.boxes import cells, descendants

ALIGN_TOLERANCE = 1.0  # points


@dataclass(frozen=True)
class LayoutFaults:
    misaligned: frozenset[str]  # rows whose two cells start on different pages/heights
    stranded: frozenset[str]  # heading rows left at the foot of a page
    deferring: frozenset[str] = frozenset()  # split rows that pushed a note off its call's page


Start = tuple[int, float] | None  # page and height where a cell's first line is set


@dataclass
class _PairRows:
    """Where each pair row and each note is laid out, page by page."""

    starts: dict[str, list[Start]] = field(default_factory=dict)  # row id -> each cell's start
    last_row: dict[int, tuple[str, str]] = field(default_factory=dict)  # page -> id, classes
    first_row: dict[int, str] = field(default_factory=dict)  # page -> row id
    rows: dict[int, list[str]] = field(default_factory=dict)  # page -> row ids
    calls: dict[str, int] = field(default_factory=dict)  # note number -> page of its call
    notes: dict[str, int] = field(default_factory=dict)  # note number -> page of its body
    call_rows: dict[str, str] = field(default_factory=dict)  # note number -> its call's row

    def add_page(self, page_number: int, page_box: Any) -> None:
        from weasyprint.formatting_structure import boxes

        row_id = None
        for box in descendants(page_box):  # in document order: a call after its row
            called = _record_notes(box, page_number, self.calls, self.notes)
            if called is not None and row_id:
                self.call_rows.setdefault(called, row_id)
            if isinstance(box, boxes.TableRowBox) and box.element is not None:
                row_id = box.element.get("id")
                if row_id:
                    self._add_row(page_number, row_id, box)

    def _add_row(self, page_number: int, row_id: str, row: Any) -> None:
        self.first_row.setdefault(page_number, row_id)
        self.rows.setdefault(page_number, []).append(row_id)
        self.last_row[page_number] = (row_id, row.element.get("class", ""))
        row_cells = cells(row)
        found = self.starts.setdefault(row_id, [None] * len(row_cells))
        for index, cell in enumerate(row_cells[: len(found)]):
            if found[index] is None:
                y = _first_line_y(cell)
                if y is not None:
                    found[index] = (page_number, y)


def find_layout_faults(document: Any) -> LayoutFaults:
    """Read WeasyPrint's laid-out boxes: where does each cell of each pair row begin?"""
    rows = _PairRows()
    for page_number, page in enumerate(document.pages):
        rows.add_page(page_number, page._page_box)
    return LayoutFaults(_misaligned(rows), _stranded(rows), _deferring(rows))


def _misaligned(rows: _PairRows) -> frozenset[str]:
    misaligned = set()
    for row_id, found in rows.starts.items():
        positions = [p for p in found if p is not None]
        if len(positions) < 2:
            continue
        pages = {page for page, _ in positions}
        heights = [y for _, y in positions]
        if len(pages) > 1 or max(heights) - min(heights) > ALIGN_TOLERANCE:
            misaligned.add(row_id)
    return frozenset(misaligned)


def _stranded(rows: _PairRows) -> frozenset[str]:
    stranded = set()
    for page_number, (row_id, classes) in rows.last_row.items():
        next_first = rows.first_row.get(page_number + 1)
        if "heading" in classes.split() and next_first is not None and next_first != row_id:
            stranded.add(row_id)
    return frozenset(stranded)


def _deferring(rows: _PairRows) -> frozenset[str]:
    deferring = set()
    for number, page_number in rows.notes.items():
        call_page = rows.calls.get(number)
        if call_page is None or page_number <= call_page:
            continue
        # WeasyPrint defers a note when the page's last row is split under its orphan
        # rule (and keeping the row whole does the same); starting that row on the
        # next page lets the note stay with its call, at the cost of a few blank lines.
        following = set(rows.rows.get(call_page + 1, []))
        split = [row for row in rows.rows.get(call_page, []) if row in following]
        if split:
            deferring.add(split[-1])
        elif number in rows.call_rows:
            # the call's row set whole at the page foot with no room left for its note
            # (a chapter's last paragraph keeping five lines together, say): it starts
            # the next page, its note under it
            deferring.add(rows.call_rows[number])
    return frozenset(deferring)


def _first_line_y(cell: Any) -> float | None:
    """Top of the first line (or image) of a laid-out cell, None when the cell is empty here."""
    from weasyprint.formatting_structure import boxes

    for box in descendants(cell):
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox):
            if isinstance(box, boxes.LineBox) and not any(
                isinstance(child, boxes.TextBox | boxes.InlineReplacedBox | boxes.InlineBox)
                for child in descendants(box)
                if child is not box
            ):
                continue
            return float(box.position_y)
    return None


def _record_notes(
    box: Any, page_number: int, calls: dict[str, int], notes: dict[str, int]
) -> str | None:
    """Where each note is called (its ::footnote-call box) and where its body is set;
    the note's number where ``box`` is a call."""
    from weasyprint.formatting_structure import boxes

    element = getattr(box, "element", None)
    if element is None or "fn" not in (element.get("class") or "").split():
        return None
    number = element.get("data-n")
    if number is None:
        return None
    tag = getattr(box, "element_tag", "")
    if tag.endswith("::footnote-call"):
        calls.setdefault(number, page_number)
        return str(number)
    if tag == "span" and isinstance(box, boxes.BlockBox):
        notes.setdefault(number, page_number)
    return None

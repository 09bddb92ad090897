"""The facing edition synchronised at spreads (``[pdf] facing_sync = "spread"``).

Each page is filled on its own, and the two pages of a spread begin with the same
pair, or the continuation of the same pair: the Loeb way.  The chapter is laid out in
runs, each one row of the spread layout (render/pdf/facing.py) whose left cell holds
the run in ``languages[0]`` and right cell in ``languages[1]``, each flowing on its
own; every run opens a spread.  Inside a run the side that would run ahead is stopped
by a page break of its own before the pair the other side breaks in, so the next
spread opens with that pair on both pages.

1. measure: the chapter laid out as one run, each side flowing freely: each pair's
   height on each side (the heights of its pieces, page by page);
2. place (``plan``): page by page, the pair each side would break in; the next spread
   opens with the earlier of the two, the side that would go further breaking before
   it (and before a heading that leads it); a pair that crosses a page on one side
   while the other has room to spare after it ends its run;
3. verify and repair: in the laid-out boxes, every page of a spread must begin with
   the same pair on both sides, every pair begin on the same spread and every note
   sit on its call's page; where the measure erred, a new spread opens at the first
   pair out of step and what follows is placed again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

from bilingual_pub.render.pdf.boxes import descendants
from bilingual_pub.render.pdf.repair import LaidOutChapter
from bilingual_pub.render.pdf_blocks import Cell
from bilingual_pub.render.pdf_html import ChapterView, Row

log = logging.getLogger(__name__)

MAX_PASSES = 8
RUN = "-run-"  # a run's row id: <chapter>-run-<index of its first pair>
BREAK = "-break-"  # a side's own page break: <chapter>-break-<side>-<pair index>

# One layout of a chapter's view (a weasyprint.Document), rows in ``push`` opening a spread.
RenderView = Callable[[ChapterView, frozenset[str]], Any]


@dataclass
class Plan:
    """Where the runs begin, and before which pairs each side breaks a page of its own."""

    starts: list[int] = field(default_factory=lambda: [0])
    breaks: tuple[set[int], set[int]] = field(default_factory=lambda: (set(), set()))

    def names(self, chapter_id: str) -> frozenset[str]:
        """The plan as the layout's ``push``: runs after the first, and the sides' breaks."""
        runs = {f"{chapter_id}{RUN}{first}" for first in self.starts[1:]}
        breaks = {
            f"{chapter_id}{BREAK}{side}-{index}" for side in (0, 1) for index in self.breaks[side]
        }
        return frozenset(runs | breaks)

    @classmethod
    def from_names(cls, names: frozenset[str]) -> Plan:
        plan = cls()
        for name in names:
            if RUN in name:
                plan.starts.append(int(name.rsplit(RUN, 1)[1]))
            elif BREAK in name:
                side, index = name.rsplit(BREAK, 1)[1].split("-")
                plan.breaks[int(side)].add(int(index))
        plan.starts.sort()
        return plan

    def before(self, index: int) -> Plan:
        """The plan for the pairs before ``index``, which opens a run."""
        kept = [start for start in self.starts if start < index]
        breaks = (
            {i for i in self.breaks[0] if i < index},
            {i for i in self.breaks[1] if i < index},
        )
        return Plan([*kept, index], breaks)


def run_view(view: ChapterView, plan: Plan) -> ChapterView:
    """The chapter as runs of pairs, one table row each, with the sides' own breaks."""
    bounds = [*plan.starts, len(view.rows)]
    rows = []
    for first, end in pairwise(bounds):
        cells = []
        for side in range(2):
            parts = [
                _side_html(index, view.rows[index], side, index in plan.breaks[side])
                for index in range(first, end)
            ]
            cells.append(Cell(view.rows[first].cells[side].lang, Markup("".join(parts))))
        rows.append(Row(id=f"{view.id}{RUN}{first}", kind="run", cells=cells))
    return replace(view, rows=rows)


def _side_html(index: int, row: Row, side: int, page_break: bool) -> str:
    cell = row.cells[side]
    classes = ["side", row.kind, *row.classes]
    classes += ["stand-in-cell"] if cell.stand_in else []
    classes += ["break"] if page_break else []
    anchor = f' id="{escape(row.id)}"' if row.id and side == 0 else ""
    return f'<div class="{" ".join(classes)}" data-pair="{index}"{anchor}>{cell.html}</div>'


def _pair_boxes(document: Any) -> Any:
    """(page number, side, pair index, box) of every pair's piece, in order."""
    from weasyprint.formatting_structure import boxes

    middle = document.pages[0]._page_box.margin_width() / 2
    for page_number, page in enumerate(document.pages):
        for box in descendants(page._page_box):
            if isinstance(box, boxes.BlockBox) and box.element is not None:
                index = box.element.get("data-pair")
                if index is not None:
                    yield page_number, 0 if box.position_x < middle else 1, int(index), box


def heights(view: ChapterView, document: Any) -> tuple[list[list[float]], float]:
    """Each pair's height on each side, measured in one free-flowing layout (the heights
    of its pieces on every page it is set on), and a page's text height."""
    measured: list[list[float]] = [[0.0] * len(view.rows), [0.0] * len(view.rows)]
    previous: list[tuple[int, int, Any] | None] = [None, None]
    for page, side, index, box in _pair_boxes(document):
        before = previous[side]
        if before is not None:
            page_before, index_before, box_before = before
            # down to the next pair's top, the margin between them included
            gone = box.position_y if page == page_before else None
            measured[side][index_before] += (
                gone - box_before.position_y if gone is not None else box_before.margin_height()
            )
        previous[side] = (page, index, box)
    for before in previous:
        if before is not None:
            measured[previous.index(before)][before[1]] += before[2].margin_height()
    return measured, document.pages[0]._page_box.height


class _Placer:
    """Places the pairs from a run's first pair on, spread by spread (step 2)."""

    def __init__(
        self, measured: list[list[float]], headings: list[bool], capacity: float, line: float
    ):
        self.measured = measured
        self.headings = headings
        self.capacity = capacity
        self.lines = 2.5 * line  # the least of a paragraph a page may end with (orphans: 2)

    def breaking_pair(self, side: int, first: int, left: float) -> tuple[int, float]:
        """The pair a side's page breaks in, its page opening with ``left`` of pair
        ``first`` still to set, and how much of that pair the page holds."""
        room, index = self.capacity, first
        height = left
        while index < len(self.headings):
            if height > room:
                return index, room
            room -= height
            index += 1
            if index < len(self.headings):
                height = self.measured[side][index]
        return index, 0.0

    def fresh(self, index: int) -> list[float]:
        if index >= len(self.headings):
            return [0.0, 0.0]
        return [self.measured[0][index], self.measured[1][index]]

    def plan(self, plan: Plan) -> Plan:
        """``plan`` carried on from its last run's first pair to the chapter's end."""
        first = plan.starts[-1]
        left = self.fresh(first)  # what is left to set of the spread's first pair, per side
        while first < len(self.headings):
            ends = [self.breaking_pair(side, first, left[side]) for side in (0, 1)]
            opening = min(end for end, _ in ends)
            if opening >= len(self.headings):
                break  # the chapter ends on this spread
            crossing = all(end == opening and held >= self.lines for end, held in ends)
            if crossing and (opening == first or not self.headings[opening - 1]):
                # both pages break inside the same pair: the next spread continues it
                left = [
                    (left[s] if opening == first else self.measured[s][opening]) - ends[s][1]
                    for s in (0, 1)
                ]
                first = opening
                continue
            if opening == first:
                plan.starts.append(first + 1)  # crossing on one side only: a run of its own
                first += 1
            else:
                if opening > first + 1 and self.headings[opening - 1]:
                    opening -= 1  # the heading opens the next spread with its text
                plan.breaks[0].add(opening)  # both pages break before the opening pair
                plan.breaks[1].add(opening)
                first = opening
            left = self.fresh(first)
        plan.starts = [start for start in plan.starts if start < len(self.headings)]
        return plan


def first_out_of_step(plan: Plan, document: Any) -> int | None:
    """The first pair where the laid-out sides are out of step: a pair begun on
    different spreads, or a page begun with different pairs on its two sides."""
    begins: list[dict[int, int]] = [{}, {}]
    tops: dict[int, list[int | None]] = {}
    for page, side, index, _ in _pair_boxes(document):
        begins[side].setdefault(index, page)
        tops.setdefault(page, [None, None])
        if tops[page][side] is None:
            tops[page][side] = index
    found = [index for index, page in begins[0].items() if page != begins[1].get(index, page)]
    for page, top in tops.items():
        if top[0] is not None and top[1] is not None and top[0] != top[1]:
            low, high = sorted((top[0], top[1]))
            behind = top.index(low)
            # a pair continued on one side only (a long one) ends its run; a pair begun
            # on one side only opens a new run on both
            continued = begins[behind][low] < page
            found.append(high if continued or low in plan.starts else low)
    found += [index for index in _deferring_notes(document) if index not in plan.starts]
    return min(found, default=None)


def _deferring_notes(document: Any) -> list[int]:
    """Pairs calling a note that WeasyPrint set on a later page than its call."""
    from weasyprint.formatting_structure import boxes

    calls: dict[str, tuple[int, int]] = {}  # note number -> page, calling pair
    for page, _, index, box in _pair_boxes(document):
        for child in descendants(box):
            if getattr(child, "element_tag", "").endswith("::footnote-call"):
                calls.setdefault(child.element.get("data-n"), (page, index))
    bodies: dict[str, int] = {}
    for page_number, page in enumerate(document.pages):
        for box in descendants(page._page_box):
            if isinstance(box, boxes.BlockBox) and box.element_tag == "span":
                classes = (box.element.get("class") or "").split()
                if "fn" in classes:
                    bodies.setdefault(box.element.get("data-n"), page_number)
    return [
        calls[number][1]
        for number, page in bodies.items()
        if number in calls and page > calls[number][0]
    ]



def spread_layout(
    view: ChapterView, render: RenderView, label: str, push: frozenset[str]
) -> LaidOutChapter:
    """Lay the chapter out in runs, spread by spread (``push`` from an earlier layout of
    the same chapter reproduces it in one pass)."""
    if push:
        return LaidOutChapter(
            render(run_view(view, Plan.from_names(push)), push), frozenset(), push
        )
    free = render(run_view(view, Plan()), frozenset())
    measured, capacity = heights(view, free)
    line = 1.4 * free.pages[0]._page_box.children[0].style["font_size"]
    placer = _Placer(measured, [row.kind == "heading" for row in view.rows], capacity, line)
    plan = placer.plan(Plan())
    for attempt in range(1, MAX_PASSES + 1):
        push = plan.names(view.id)
        rendered = render(run_view(view, plan), push)
        out_of_step = first_out_of_step(plan, rendered)
        if out_of_step is None:
            return LaidOutChapter(rendered, frozenset(), push)
        log.info("%s: pass %d: a new spread at pair %d", label, attempt, out_of_step)
        plan = placer.plan(plan.before(out_of_step))
    log.warning("%s: spreads still out of step after %d passes", label, MAX_PASSES)
    return LaidOutChapter(rendered, frozenset(), push)

"""Where the facing edition's spreads break, in spread mode (render/pdf/spread.py).

A plan says where the runs begin (each run opens a spread), before which pairs a side
breaks a page of its own, and where a side leaves white so that both sides cross a
page inside the same pair: the placer (``Placer``) works it out from each pair's
measured height on each side, spread by spread.

On each spread the side that reaches the lesser pair (the one whose text runs behind)
flows freely.  Where it crosses the page inside a pair, the other side crosses the page
inside that pair too: it sets the pair lower on its page (``spaces``: white before the
pair, at the height the first side sets it where it can) so that the pair runs over the
page foot, or, when its part of the pair is too short to run over as many page feet,
leaves white after it (``fills``: page breaks, then white as high as the first side's
last part of the pair), as the pair mode does.  The next spread then opens with the
continuation of that pair on both pages, and the side behind never loses room: spread
mode uses no more page than the free flow of its longer side, where the pair mode uses
the longer side of every pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from itertools import pairwise

from markupsafe import Markup, escape

from bilingual_pub.render.pdf_blocks import Cell
from bilingual_pub.render.pdf_html import ChapterView, Row

ORPHANS, WIDOWS, LAST_WIDOWS = 2, 2, 5  # book.css: p, and a chapter's last paragraph
RUN = "-run-"  # a run's row id: <chapter>-run-<index of its first pair>
BREAK = "-break-"  # a side's own page break: <chapter>-break-<side>-<pair index>
SPACE = "-space-"  # white before a pair: <chapter>-space-<side>-<pair index>-<px>
FILL = "-fill-"  # white after a pair: <chapter>-fill-<side>-<pair index>-<page breaks>-<px>

Sides = tuple[dict[int, int], dict[int, int]]


def _two() -> Sides:
    return ({}, {})


@dataclass
class Plan:
    """Where the runs begin, before which pairs each side breaks a page of its own, and
    the white a side leaves before (``spaces``, px) or after (``fills``: page breaks and
    px) a pair so that both sides cross a page inside it."""

    starts: list[int] = field(default_factory=lambda: [0])
    breaks: tuple[set[int], set[int]] = field(default_factory=lambda: (set(), set()))
    spaces: Sides = field(default_factory=_two)
    fills: tuple[dict[int, tuple[int, int]], dict[int, tuple[int, int]]] = field(
        default_factory=lambda: ({}, {})
    )

    def names(self, chapter_id: str) -> frozenset[str]:
        """The plan as the layout's ``push``: runs after the first, the sides' breaks and
        white."""
        names = {f"{chapter_id}{RUN}{first}" for first in self.starts[1:]}
        for side in (0, 1):
            names |= {f"{chapter_id}{BREAK}{side}-{index}" for index in self.breaks[side]}
            names |= {
                f"{chapter_id}{SPACE}{side}-{index}-{px}" for index, px in self.spaces[side].items()
            }
            names |= {
                f"{chapter_id}{FILL}{side}-{index}-{pages}-{px}"
                for index, (pages, px) in self.fills[side].items()
            }
        return frozenset(names)

    @classmethod
    def from_names(cls, names: frozenset[str]) -> Plan:
        plan = cls()
        for name in names:
            if RUN in name:
                plan.starts.append(int(name.rsplit(RUN, 1)[1]))
            elif BREAK in name:
                side, index = name.rsplit(BREAK, 1)[1].split("-")
                plan.breaks[int(side)].add(int(index))
            elif SPACE in name:
                side, index, px = name.rsplit(SPACE, 1)[1].split("-")
                plan.spaces[int(side)][int(index)] = int(px)
            elif FILL in name:
                side, index, pages, px = name.rsplit(FILL, 1)[1].split("-")
                plan.fills[int(side)][int(index)] = (int(pages), int(px))
        plan.starts.sort()
        return plan

    def before(self, index: int) -> Plan:
        """The plan for the pairs before ``index``, which opens a run."""
        plan = self.until(index)
        plan.starts.append(index)
        return plan

    def until(self, index: int) -> Plan:
        """The plan for the pairs before ``index`` alone."""
        return Plan(
            [start for start in self.starts if start < index],
            ({i for i in self.breaks[0] if i < index}, {i for i in self.breaks[1] if i < index}),
            ({i: v for i, v in self.spaces[0].items() if i < index},
             {i: v for i, v in self.spaces[1].items() if i < index}),
            ({i: v for i, v in self.fills[0].items() if i < index},
             {i: v for i, v in self.fills[1].items() if i < index}),
        )  # fmt: skip


def run_view(view: ChapterView, plan: Plan) -> ChapterView:
    """The chapter as runs of pairs, one table row each, with the sides' own breaks."""
    bounds = [*plan.starts, len(view.rows)]
    rows = []
    for first, end in pairwise(bounds):
        cells = []
        for side in range(2):
            parts = [_side_html(index, view.rows[index], side, plan) for index in range(first, end)]
            cells.append(Cell(view.rows[first].cells[side].lang, Markup("".join(parts))))
        rows.append(Row(id=f"{view.id}{RUN}{first}", kind="run", cells=cells))
    return replace(view, rows=rows)


def _side_html(index: int, row: Row, side: int, plan: Plan) -> str:
    cell = row.cells[side]
    classes = ["side", row.kind, *row.classes]
    classes += ["stand-in-cell"] if cell.stand_in else []
    classes += ["break"] if index in plan.breaks[side] else []
    anchor = f' id="{escape(row.id)}"' if row.id and side == 0 else ""
    space = plan.spaces[side].get(index)
    style = f' style="padding-top: {space}px"' if space else ""
    html = f'<div class="{" ".join(classes)}" data-pair="{index}"{anchor}{style}>{cell.html}</div>'
    if index in plan.fills[side]:
        pages, px = plan.fills[side][index]
        html += f'<div class="side filler break" data-pair="{index}"></div>' * (pages - 1)
        html += f'<div class="side filler break" data-pair="{index}" style="height: {px}px"></div>'
    return html


@dataclass
class _Side:
    """One side's part of the pair both sides cross a page in: where it begins on the
    page, how high it is, and over how many page feet it runs."""

    top: float
    height: float
    capacity: float
    slack: float  # how far a pair's margin below it may run over the page foot

    @property
    def feet(self) -> int:
        return max(0, math.ceil((self.top + self.height - self.slack) / self.capacity) - 1)

    def rest(self, feet: int) -> float:
        """What of it is set on the page after ``feet`` page feet."""
        return self.top + self.height - feet * self.capacity


class Placer:
    """Places the pairs from a run's first pair on, spread by spread."""

    def __init__(
        self, measured: list[list[float]], headings: list[bool], capacity: float, line: float
    ):
        self.measured = measured
        self.headings = headings
        self.capacity = capacity
        self.lines = 2.5 * line  # the least of a paragraph a page may end with (orphans: 2)
        self.line = line
        self.slack = 0.6 * line  # a paragraph's margin below it (0.55em) ends no page

    def fresh(self, index: int) -> list[float]:
        if index >= len(self.headings):
            return [0.0, 0.0]
        return [self.measured[0][index], self.measured[1][index]]

    def crossing_pair(self, side: int, first: int, left: float) -> tuple[int, float]:
        """The pair a side's page runs over the foot in, its page opening with ``left``
        of pair ``first`` still to set, and where on the page that pair begins."""
        top, index, height = 0.0, first, left
        while index < len(self.headings):
            if top + height > self.capacity + self.slack:
                return index, top
            top += height
            index += 1
            if index < len(self.headings):
                height = self.measured[side][index]
        return index, top

    def plan(self, plan: Plan, first: int | None = None, left: list[float] | None = None) -> Plan:
        """``plan`` carried on to the chapter's end from its last run's first pair, or from
        a spread opening with ``left`` of pair ``first`` still to set on each side."""
        if first is None or left is None:
            first = plan.starts[-1]
            left = self.fresh(first)
        while first < len(self.headings):
            ends = [self.crossing_pair(side, first, left[side]) for side in (0, 1)]
            opening = min(end for end, _ in ends)
            if opening >= len(self.headings):
                break  # the chapter ends on this spread
            carried = self._cross(plan, first, left, ends)
            if carried is not None:
                left = carried
                first = opening
                continue
            if opening == first:
                plan.starts.append(first + 1)  # no crossing together: a run of its own
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

    def refill(self, plan: Plan, index: int, side: int, height: float) -> Plan:
        """The plan mended where pair ``index`` ran over a page foot on the other side only:
        ``side`` leaves white after it, to the next page and as high as the other side's
        part of it there, and what follows is placed again."""
        mended = plan.until(index + 1)
        pages, _ = mended.fills[side].get(index, (0, 0))
        mended.fills[side][index] = (pages + 1, math.ceil(height))
        mended.spaces[side].pop(index, None)
        return self.plan(mended, index, [float(math.ceil(height))] * 2)

    def _cross(
        self, plan: Plan, first: int, left: list[float], ends: list[tuple[int, float]]
    ) -> list[float] | None:
        """Both sides crossing the page foot inside the pair the side behind crosses it
        in, the other side leaving white where it must (``plan`` gets it); what is left
        of that pair per side on the spread that continues it, or None where they can't."""
        index = min(end for end, _ in ends)
        parts = []
        for side in (0, 1):
            height = left[side] if index == first else self.measured[side][index]
            top = ends[side][1] if ends[side][0] == index else self._top(side, first, left, index)
            parts.append(_Side(top, height, self.capacity, self.slack))
        feet = max(part.feet for part in parts)
        if any(p.feet == feet and self.capacity - p.top < self.lines for p in parts):
            return None  # too little room for it on the page: it would begin on the next
        whole = index != first  # a pair begun on this page, not the rest of one
        if whole and any(p.feet and not self._splits(p, index) for p in parts):
            return None  # too short to part at a page foot: it would begin on the next
        widows = self._widows(index)
        behind = [part.feet for part in parts].index(feet)
        other = 1 - behind
        if parts[other].feet == feet:
            return [max(part.rest(feet), widows) for part in parts]
        lead = max(parts[behind].rest(feet), widows)
        # white before a heading that leads the pair, not between them
        led = index - 1 if index - 1 > first and self.headings[index - 1] else index
        movable = led > first and self._splits(parts[other], index)
        space = self._space(parts[other], parts[behind].top, feet, movable)
        if space is not None:
            plan.spaces[other][led] = math.ceil(space)
            moved = replace(parts[other], top=parts[other].top + math.ceil(space))
            rests = [lead, moved.rest(feet)]
        else:
            plan.fills[other][index] = (feet - parts[other].feet, math.ceil(lead))
            rests = [lead, float(math.ceil(lead))]
        return rests if behind == 0 else rests[::-1]

    def _widows(self, index: int) -> float:
        """The least of a pair's paragraph a page continues with (book.css: widows 2, 5
        for a chapter's last paragraph)."""
        return (LAST_WIDOWS if index == len(self.headings) - 1 else WIDOWS) * self.line

    def _splits(self, part: _Side, index: int) -> bool:
        """Whether a pair's part is long enough to be parted at a page foot: its first
        page keeps two lines (orphans), the next as many as its widows."""
        return part.height >= ORPHANS * self.line + self._widows(index)

    def _top(self, side: int, first: int, left: list[float], index: int) -> float:
        """Where pair ``index`` begins on the side's page (it begins on this one)."""
        return left[side] + sum(self.measured[side][first + 1 : index])

    def _space(self, part: _Side, aligned: float, feet: int, movable: bool) -> float | None:
        """White before a side's part of the pair so that it runs over ``feet`` page feet
        as the other side's does: to begin at the other side's height where that
        suffices, a few lines lower where it must; None where it is too short (white
        after it then keeps it beside the other side's) or can't be moved."""
        if not movable:
            return None  # it opens the page: white above it would open the page too
        lowest = self.capacity - self.lines  # it must still begin with enough of it
        beside = max(part.top, aligned)
        wanted = feet * self.capacity + self.lines - part.height  # it must run over
        top = max(beside, wanted)
        if top > lowest or top + part.height > (feet + 1) * self.capacity - self.lines:
            return None
        if top - beside > 3 * self.line:
            return None  # set far below the other side's part, it would lose its place
        return top - part.top

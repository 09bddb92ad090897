"""The facing edition synchronised at spreads (``[pdf] facing_sync = "spread"``).

Each page is filled on its own, and the two pages of a spread begin with the same
pair, or the continuation of the same pair: the Loeb way.  The chapter is laid out in
runs, each one row of the spread layout (render/pdf/facing.py) whose left cell holds
the run in ``languages[0]`` and right cell in ``languages[1]``, each flowing on its
own; every run opens a spread.  Inside a run the side whose text runs behind flows
freely; the other one crosses each page foot inside the same pair (white before or
after that pair, render/pdf/spread_plan.py), or breaks its page before the pair the
side behind begins its next page with.

1. measure: the chapter laid out as one run, each side flowing freely: each pair's
   height on each side (the heights of its pieces, page by page, and the notes it
   calls, which take room at the foot of both pages);
2. place (``Placer.plan``): page by page, the pair each side would run over the page
   foot in; the side that reaches the lesser pair sets the next spread's opening
   (that pair, or its continuation when both sides can cross in it);
3. verify and repair: in the laid-out boxes, every page of a spread must begin with
   the same pair on both sides, every pair begin on the same spread and every note
   sit on its call's page.  Where the measure erred, a pair that ran over a page foot
   on one side only gets white after it on the other side (as the pair mode sets it),
   any other fault opens a new spread at the first pair out of step; what follows is
   placed again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bilingual_pub.render.pdf.boxes import descendants
from bilingual_pub.render.pdf.repair import LaidOutChapter
from bilingual_pub.render.pdf.spread_plan import Placer, Plan, run_view
from bilingual_pub.render.pdf_html import ChapterView

log = logging.getLogger(__name__)

MAX_PASSES = 8
# One layout of a chapter's view (a weasyprint.Document), rows in ``push`` opening a spread.
RenderView = Callable[[ChapterView, frozenset[str]], Any]


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
    _add_notes(measured, document)
    return measured, document.pages[0]._page_box.height


def _add_notes(measured: list[list[float]], document: Any) -> None:
    """The notes a pair calls counted in its height on both sides: they take that room
    from the foot of its page, on both pages (they are set side by side); the notes'
    area (its rule and margin) once per pair."""
    calls = _note_calls(document)
    bodies = _note_bodies(document)
    area = max((_area_overhead(page, bodies) for page in document.pages), default=0.0)
    counted: set[int] = set()
    for number, (_, height) in bodies.items():
        if number in calls:
            pair = calls[number][1]
            extra = height + (area if pair not in counted else 0.0)
            counted.add(pair)
            for side in (0, 1):
                measured[side][pair] += extra


def _area_overhead(page: Any, bodies: dict[str, tuple[int, float]]) -> float:
    """The height of a page's notes' area beyond its notes (its rule, padding, margin)."""
    from weasyprint.formatting_structure import boxes

    for box in page._page_box.children:
        if isinstance(box, boxes.FootnoteAreaBox) and box.children:
            notes = sum(child.margin_height() for child in box.children)
            return float(box.margin_height() - notes)
    return 0.0


@dataclass(frozen=True)
class OutOfStep:
    """The first pair where the laid-out sides are out of step, and, where it ran over a
    page foot on one side only, the other side (to leave white after it) and the height
    of the part of it that ran over."""

    index: int
    fill: tuple[int, float] | None = None


def first_out_of_step(plan: Plan, document: Any) -> OutOfStep | None:
    """Where the laid-out sides are first out of step: a pair begun on different
    spreads, or a page begun with different pairs on its two sides."""
    begins: list[dict[int, int]] = [{}, {}]
    tops: dict[int, list[tuple[int, float] | None]] = {}
    for page, side, index, box in _pair_boxes(document):
        begins[side].setdefault(index, page)
        tops.setdefault(page, [None, None])
        if tops[page][side] is None:
            tops[page][side] = (index, box.margin_height())
    found = [
        OutOfStep(index) for index, page in begins[0].items() if page != begins[1].get(index, page)
    ]
    for page, (left, right) in tops.items():
        if left is None or right is None or left[0] == right[0]:
            continue
        behind = 0 if left[0] < right[0] else 1
        low, height = (left, right)[behind]
        if begins[behind][low] < page and begins[1 - behind].get(low) == begins[behind][low]:
            found.append(OutOfStep(low, (1 - behind, height)))  # over a page foot on one side
        else:
            found.append(OutOfStep(max(left[0], right[0]) if low in plan.starts else low))
    found += [OutOfStep(i) for i in _deferring_notes(document) if i not in plan.starts]
    return min(found, key=lambda fault: (fault.index, fault.fill is not None), default=None)


def _deferring_notes(document: Any) -> list[int]:
    """Pairs calling a note that WeasyPrint set on a later page than its call."""
    calls = _note_calls(document)
    return [
        calls[number][1]
        for number, (page, _) in _note_bodies(document).items()
        if number in calls and page > calls[number][0]
    ]


def _note_calls(document: Any) -> dict[str, tuple[int, int]]:
    """Note number -> the page of its call and the calling pair."""
    calls: dict[str, tuple[int, int]] = {}
    for page, _, index, box in _pair_boxes(document):
        for child in descendants(box):
            if getattr(child, "element_tag", "").endswith("::footnote-call"):
                calls.setdefault(child.element.get("data-n"), (page, index))
    return calls


def _note_bodies(document: Any) -> dict[str, tuple[int, float]]:
    """Note number -> the page its body is set on and the body's height."""
    from weasyprint.formatting_structure import boxes

    bodies: dict[str, tuple[int, float]] = {}
    for page_number, page in enumerate(document.pages):
        for box in descendants(page._page_box):
            if isinstance(box, boxes.BlockBox) and box.element_tag == "span":
                classes = (box.element.get("class") or "").split()
                if "fn" in classes:
                    bodies.setdefault(box.element.get("data-n"), (page_number, box.margin_height()))
    return bodies


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
    placer = Placer(measured, [row.kind == "heading" for row in view.rows], capacity, line)
    plan = placer.plan(Plan())
    for attempt in range(1, MAX_PASSES + 1):
        push = plan.names(view.id)
        rendered = render(run_view(view, plan), push)
        fault = first_out_of_step(plan, rendered)
        if fault is None:
            break
        if fault.fill is not None:
            log.info("%s: pass %d: white after pair %d", label, attempt, fault.index)
            plan = placer.refill(plan, fault.index, *fault.fill)
        else:
            log.info("%s: pass %d: a new spread at pair %d", label, attempt, fault.index)
            plan = placer.plan(plan.before(fault.index))
    else:
        log.warning("%s: spreads still out of step after %d passes", label, MAX_PASSES)
    _log_spreads(label, rendered, free, max(map(sum, measured)) / capacity)
    return LaidOutChapter(rendered, frozenset(), push)


def _log_spreads(label: str, rendered: Any, free: Any, text_pages: float) -> None:
    """How many spreads the chapter takes beside the fewest it could: as many pages as
    its longer side fills flowing freely, since every chapter opens a spread
    (bench/facing_bench.py reads this line)."""
    log.info(
        "%s: %d spreads; its longer side alone fills %d pages (%.2f pages of text)",
        label,
        len(rendered.pages),
        len(free.pages),
        text_pages,
    )

"""The repair pass: lay a chapter out until its parallel layout is clean.

Keeping every row together would cost ~15-18% more pages, so a chapter is laid out
once, its faults read from the boxes (render/pdf/faults.py), and only the faulty
rows are marked (kept together, or moved to the next page) for the next layout,
until the layout is clean.  The commonest fault, a short side left at a page foot
while its partner starts whole on the next page, is repaired in the laid-out boxes
instead: moving that side beside its partner gives the very pages a new layout
keeping the row together would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bilingual_pub.render.pdf.boxes import cells, descendants, pair_rows
from bilingual_pub.render.pdf.faults import LayoutFaults, find_layout_faults

log = logging.getLogger(__name__)

MAX_PASSES = 6

# One layout of a chapter (a weasyprint.Document), given the rows to keep together and
# the rows to move to the next page.
Render = Callable[[frozenset[str], frozenset[str]], Any]


@dataclass(frozen=True)
class LaidOutChapter:
    document: Any  # weasyprint.Document
    keep: frozenset[str]  # rows the repair pass keeps together
    push: frozenset[str]  # rows the repair pass moves to the next page
    ragged: frozenset[str] = frozenset()  # rows set ragged-right (render/pdf/spacing.py)


def repaired_layout(
    render: Render,
    label: str,
    keep: frozenset[str] = frozenset(),
    push: frozenset[str] = frozenset(),
) -> LaidOutChapter:
    """Lay a chapter out with ``render``, repairing the parallel layout until it is clean.

    ``keep`` and ``push`` from an earlier layout of the same chapter reproduce that
    layout in one pass.  ``label`` names the chapter in the log.
    """
    for attempt in range(1, MAX_PASSES + 1):
        rendered = render(keep, push)
        faults = find_layout_faults(rendered)
        moved = move_stranded_sides(rendered, faults.misaligned) if faults.misaligned else None
        if moved:
            rechecked = find_layout_faults(rendered)
            if rechecked.misaligned & moved:  # not what keeping them together gives
                keep, push = _marked(faults, keep, push)
                continue
            log.info("%s: pass %d: %d row(s) repaired in place", label, attempt, len(moved))
            keep, faults = keep | moved, rechecked  # as if laid out with them kept
        new_keep, new_push = _marked(faults, keep, push)
        if new_keep == keep and new_push == push:
            return LaidOutChapter(rendered, keep, push)
        log.info(
            "%s: pass %d: keeping %d row(s) together, moving %d row(s) to the next page",
            label,
            attempt,
            len(new_keep - keep),
            len(new_push - push),
        )
        keep, push = new_keep, new_push
    log.warning("%s: misaligned rows remain after %d passes", label, MAX_PASSES)
    return LaidOutChapter(rendered, keep, push)


def _marked(
    faults: LayoutFaults, keep: frozenset[str], push: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """The rows to keep together and to move to the next page in the next layout."""
    return keep | faults.misaligned, push | faults.stranded | faults.deferring


def move_stranded_sides(document: Any, misaligned: frozenset[str]) -> frozenset[str]:
    """Repair in place the misaligned rows whose repair needs no new layout.

    The commonest fault: one side of a pair (a one-line source, say) fits in the last
    lines of a page while its partner cannot start there and is set whole at the top of
    the next page.  Where ``_stranded_side`` finds that moving the stranded side beside
    its partner is what laying the text out again with the row kept together would give,
    its boxes are moved there and the row leaves the first page.  Returns the rows so
    repaired.
    """
    from weasyprint.document import Page

    moved = set()
    for index in range(len(document.pages) - 1):
        this_page = document.pages[index]._page_box
        rows_here = pair_rows(this_page)
        if not rows_here or rows_here[-1].element.get("id") not in misaligned:
            continue
        row = rows_here[-1]
        next_page = document.pages[index + 1]._page_box
        rows_next = pair_rows(next_page)
        if not rows_next or rows_next[0].element is not row.element:
            continue
        continued = rows_next[0]
        side = _stranded_side(rows_here, continued)
        if side is None:
            continue
        source, target = cells(row)[side], cells(continued)[side]
        dx = target.content_box_x() - source.content_box_x()
        dy = target.content_box_y() - source.content_box_y()
        for child in source.children:
            child.translate(dx, dy)
        target.children = list(source.children)
        target.height = max(target.height, cells(continued)[1 - side].height)
        for box in descendants(this_page):
            if row in getattr(box, "children", ()):
                box.children = [child for child in box.children if child is not row]
                break
        # a Page gathers its links, anchors and bookmarks from its boxes when made
        document.pages[index] = Page(this_page)
        document.pages[index + 1] = Page(next_page)
        moved.add(row.element.get("id"))
    return frozenset(moved)


def _is_zero(length: Any) -> bool:
    return bool(getattr(length, "value", length) == 0)


def _stranded_side(rows_here: list[Any], continued: Any) -> int | None:
    """Which cell of the page's last row stands alone at the page foot, when moving it to
    the top of the next page gives exactly the layout keeping the row together would.

    That is so when the other cell starts whole at the top of the next page, the stranded
    one is no taller than the row is there, the row before asks nothing to stay with it
    (a heading), the stranded side calls no note (its note would have to move too), and
    no padding, border or margin sits at the top of the cells (those differ between a row
    that starts on a page and one continued there).
    """
    if len(rows_here) < 2:
        return None
    row, previous = rows_here[-1], rows_here[-2]
    cells_here, cells_next = cells(row), cells(continued)
    if len(cells_here) != 2 or len(cells_next) != 2:
        return None
    filled = [index for index, cell in enumerate(cells_here) if cell.children]
    if len(filled) != 1:
        return None
    side = filled[0]
    other = 1 - side
    if cells_next[side].children or not cells_next[other].children:
        return None
    if cells_here[side].height > continued.height:
        return None
    if previous.style["break_after"] in ("avoid", "avoid-page") or row.style["break_before"] in (
        "avoid",
        "avoid-page",
    ):
        return None
    if any(cell.padding_top or cell.border_top_width for cell in cells_here):
        return None
    tops = (cells_here[side].children[0], cells_next[other].children[0])
    if not all(_is_zero(box.style["margin_top"]) for box in tops):
        return None
    if any(
        getattr(box, "element_tag", "").endswith("::footnote-call")
        for box in descendants(cells_here[side])
    ):
        return None
    return side

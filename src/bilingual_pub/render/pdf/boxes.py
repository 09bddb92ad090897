"""Walking WeasyPrint's laid-out boxes: every box of a page, the pair rows, their cells.

A pair row is a table row with an id (the pair's); its cells are the pair's sides.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def descendants(box: Any) -> Iterator[Any]:
    """``box`` and every box below it, in document order."""
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        children = getattr(current, "children", None)
        if children:
            stack.extend(reversed(children))


def pair_rows(page_box: Any) -> list[Any]:
    """The pair rows (table rows with an id) laid out on a page, in order."""
    from weasyprint.formatting_structure import boxes

    return [
        box
        for box in descendants(page_box)
        if isinstance(box, boxes.TableRowBox) and box.element is not None and box.element.get("id")
    ]


def cells(row: Any) -> list[Any]:
    """The cells of a laid-out table row."""
    from weasyprint.formatting_structure import boxes

    return [child for child in row.children if isinstance(child, boxes.TableCellBox)]

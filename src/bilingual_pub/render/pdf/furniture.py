"""A chapter's page furniture (running heads, page numbers) in laid-out pages: what it
says, and taking it off the pages, or the pages' own painting off the furniture.

Chapters laid out in worker processes are written without their furniture, which this
process lays out alone on empty pages with the real page numbers (render/pdf/workers.py).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from bilingual_pub.render.pdf.boxes import descendants


class MarginText(NamedTuple):
    """What one margin box of a page says."""

    box: str  # the margin box's at-keyword, e.g. "@top-center"
    text: str  # with digits blanked out


class Furniture(NamedTuple):
    """What the margin boxes of each page say, page by page (boxes that say nothing left out)."""

    pages: tuple[tuple[MarginText, ...], ...]


def furniture_to_json(furniture: Furniture) -> list[list[list[str]]]:
    return [list(map(list, page)) for page in furniture.pages]


def furniture_from_json(pages: Any) -> Furniture:
    """Furniture as ``furniture_to_json`` wrote it (a cache record's)."""
    return Furniture(
        tuple(tuple(MarginText(str(box), str(text)) for box, text in page) for page in pages)
    )


_DIGITS = re.compile(r"\d+")


def furniture_of(rendered: Any) -> Furniture:
    """What each page's margin boxes say, with digits blanked out (page numbers differ
    between a chapter laid out with a stand-in first page number and the real one)."""
    from weasyprint.formatting_structure import boxes

    pages = []
    for page in rendered.pages:
        margins = []
        for box in page._page_box.children:
            if isinstance(box, boxes.MarginBox):
                text = "".join(
                    child.text for child in descendants(box) if isinstance(child, boxes.TextBox)
                )
                if text:
                    margins.append(MarginText(box.at_keyword, _DIGITS.sub("#", text)))
        pages.append(tuple(margins))
    return Furniture(tuple(pages))


def strip_furniture(rendered: Any) -> None:
    """Drop the margin boxes (running heads, page numbers) from laid-out pages."""
    from weasyprint.formatting_structure import boxes

    for page in rendered.pages:
        page_box = page._page_box
        page_box.children = [c for c in page_box.children if not isinstance(c, boxes.MarginBox)]


def strip_page_background(rendered: Any) -> None:
    """Drop what the page boxes paint themselves (background, crop marks): pages drawn
    over a chapter's pages keep only their margin boxes, which must not cover the text."""
    for page in rendered.pages:
        page._page_box.background = None
        page._page_box.canvas_background = None

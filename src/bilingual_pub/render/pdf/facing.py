"""The facing edition: ``languages[0]`` on the left-hand pages, ``languages[1]`` on the right.

A chapter is laid out as the parallel edition lays it out (one row per pair, the
repair pass included), on "spread" pages as wide as two pages: the outer margins at
the two ends, the two inner margins meeting in the middle as the gutter, each
column as wide as one page's text.  Every pair therefore starts on the same spread
at the same height in both languages.  Each laid-out spread is then cut into its
two pages (``cut_spreads``): a copy of the spread's boxes keeps what lies in its
half, the right half moved to the left edge, and each copy becomes a page of the
trim size with its own margins, bleed and crop marks.  Links, anchors and
bookmarks are gathered from each page's own boxes, so the contents and the
bookmarks point at the page their target is set on, a chapter's at its left-hand
page; and no text of one page hides, clipped, on the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bilingual_pub.config import BookConfig, PdfConfig
from bilingual_pub.editions import BuildContext
from bilingual_pub.render.pdf_blocks import Cell
from bilingual_pub.render.pdf_html import ChapterView

_UNITS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0, "px": 0.75}
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)(in|mm|cm|pt|px)?\s*$")
_NAMED_SIZES = {  # width, height in millimetres or inches, as CSS names them
    "a3": (297.0, 420.0, "mm"),
    "a4": (210.0, 297.0, "mm"),
    "a5": (148.0, 210.0, "mm"),
    "b5": (176.0, 250.0, "mm"),
    "letter": (8.5, 11.0, "in"),
    "legal": (8.5, 14.0, "in"),
}
PX_PER_PT = 4 / 3  # WeasyPrint lays out in CSS pixels


def points(length: str) -> float:
    """A book.toml length ("0.5in", "12mm", "0") in points."""
    match = _LENGTH.match(length)
    if not match:
        raise ValueError(f"not a length: {length!r}")
    return float(match.group(1)) * _UNITS[match.group(2) or "pt"]


def trim_size(page_size: str) -> tuple[float, float]:
    """Width and height of one page, in points."""
    named = _NAMED_SIZES.get(page_size.strip().lower())
    if named:
        width, height, unit = named
        return width * _UNITS[unit], height * _UNITS[unit]
    width_text, height_text = page_size.split()
    return points(width_text), points(height_text)


def facing_css(config: BookConfig, context: BuildContext) -> str:
    """The facing edition's own rules (templates/pdf/facing.css), after the book's."""
    width, height = trim_size(config.pdf.page_size)
    return str(
        context.templates.get_template("pdf/facing.css").render(
            config=config, pdf=config.pdf, spread_width=2 * width, spread_height=height
        )
    )


@dataclass(frozen=True)
class SpreadGeometry:
    """Where a spread is cut, in CSS pixels."""

    page_width: float  # the trim width of one page
    inner: float  # the inner margin
    outer: float  # the outer margin

    @classmethod
    def of(cls, pdf: PdfConfig) -> SpreadGeometry:
        width, _ = trim_size(pdf.page_size)
        return cls(
            width * PX_PER_PT,
            points(pdf.margin_inner) * PX_PER_PT,
            points(pdf.margin_outer) * PX_PER_PT,
        )

    def is_spread(self, page_box: Any) -> bool:
        return bool(page_box.margin_width() > self.page_width * 1.5)


def on_both_pages(views: list[ChapterView], languages: tuple[str, ...]) -> list[ChapterView]:
    """The chapters with every row that spans both columns of the parallel edition (a
    figure, code, a rule) set in both: on a spread each column is a page of its own."""
    for view in views:
        view.rows = [
            replace(row, cells=[Cell(lang, row.wide) for lang in languages], wide=None)
            if row.wide is not None
            else row
            for row in view.rows
        ]
    return views


def cut_spreads(document: Any, geometry: SpreadGeometry) -> None:
    """Replace every spread of a laid-out document (a weasyprint.Document) by its
    left-hand and right-hand pages; pages of one page's width are left as they are."""
    from weasyprint.document import Page

    pages = []
    for page in document.pages:
        spread = page._page_box
        if not geometry.is_spread(spread):
            pages.append(page)
            continue
        verso = Page(_half(spread, geometry, right=False))
        recto = Page(_half(spread, geometry, right=True))
        _targets_on_the_left(verso, recto)
        pages.extend([verso, recto])
    document.pages[:] = pages


def _targets_on_the_left(verso: Any, recto: Any) -> None:
    """Every link target and bookmark of a spread on its left-hand page, at its height.

    A box across both halves (a pair's row, the chapter's opening marker) gives both
    pages its anchor and bookmark; an anchor of the right-hand page alone (its chapter
    title) moves to the left-hand page, so the contents open the spread on its first page.
    """
    for name, area in recto.anchors.items():
        verso.anchors.setdefault(name, area)
    recto.anchors = {}
    on_the_left = {(level, label) for level, label, *_ in verso.bookmarks}
    recto.bookmarks = [mark for mark in recto.bookmarks if (mark[0], mark[1]) not in on_the_left]


def _half(spread: Any, geometry: SpreadGeometry, *, right: bool) -> Any:
    """A copy of the spread's page box holding the boxes of one half, as a page of its own."""
    from weasyprint.formatting_structure import boxes

    page = spread.deepcopy()
    middle = geometry.page_width
    keep = ("@top-right", "@bottom-right") if right else ("@top-left", "@bottom-left")
    page.children = [
        child
        for child in page.children
        if not isinstance(child, boxes.MarginBox) or child.at_keyword in keep
    ]
    for child in page.children:
        if not isinstance(child, boxes.MarginBox):
            _keep_side(child, middle, geometry.inner, right=right)
    page.width = geometry.page_width - geometry.inner - geometry.outer
    page.margin_left = geometry.inner if right else geometry.outer
    page.margin_right = geometry.outer if right else geometry.inner
    if right:
        for child in page.children:
            child.translate(dx=-middle)
    _fit_backgrounds(page)
    return page


def _keep_side(box: Any, middle: float, inner: float, *, right: bool) -> None:
    """Drop the descendants of ``box`` that lie wholly in the other half; a box that
    crosses the middle (a row, the notes' area) is narrowed to end at the gutter."""
    if right:
        start = box.border_box_x()
        edge = middle + inner
        if start < edge:
            shift = edge - start
            box.position_x += shift
            box.width = max(0.0, box.width - shift)
    else:
        end = box.border_box_x() + box.border_width()
        edge = middle - inner
        if end > edge:
            box.width = max(0.0, box.width - (end - edge))
    children = getattr(box, "children", None)
    if not children:
        return
    kept = []
    for child in children:
        left = child.position_x
        if right and left + child.margin_width() <= middle:
            continue
        if not right and left >= middle:
            continue
        kept.append(child)
    box.children = kept
    for child in kept:
        if _crosses(child, middle):
            _keep_side(child, middle, inner, right=right)


def _crosses(box: Any, middle: float) -> bool:
    return bool(box.position_x < middle < box.position_x + box.margin_width())


def _fit_backgrounds(page: Any) -> None:
    """The page's background (and crop marks, drawn with it) painted on this page's area."""
    for name in ("background", "canvas_background"):
        background = getattr(page, name, None)
        if background is not None:
            area = page.bleed_area
            layers = [layer._replace(painting_area=area) for layer in background.layers]
            setattr(page, name, background._replace(layers=layers))

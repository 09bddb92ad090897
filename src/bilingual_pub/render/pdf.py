"""HTML -> PDF with WeasyPrint, with a second pass that repairs the parallel layout.

WeasyPrint can start one cell of a table row on the next page while its partner
starts at the foot of the current one (upstream issue #1712): the pair is then
misaligned.  Keeping every row together would cost ~15-18% more pages, so we lay
out once, read the laid-out boxes to find the rows whose cells start on
different pages or heights (and heading rows stranded at a page foot, and rows
whose split made WeasyPrint defer a footnote past its call's page), mark only
those rows, and lay out again until the layout is clean.  The commonest fault, a
short side left at a page foot while its partner starts whole on the next page,
is repaired in the laid-out boxes instead: moving that side beside its partner
gives the very pages a new layout keeping the row together would.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bilingual_pub.align import Document
from bilingual_pub.editions import BuildContext, Edition
from bilingual_pub.errors import BuildError
from bilingual_pub.render.fonts import font_faces_css
from bilingual_pub.render.html import ChapterView, chapter_views, render_css, render_html

log = logging.getLogger(__name__)

MAX_PASSES = 6
ALIGN_TOLERANCE = 1.0  # points
# Workers cost CPU time one process does not spend: about 1.5 s each to start (Python,
# WeasyPrint and its C declarations) and to subset fonts per chapter, and the running
# heads of every page laid out a second time.  Measured on the sample book (110,000
# characters, 53 pages): 9.6 s of CPU in one process, 14.5 s with two workers, and on a
# quiet machine 0.76-0.90x the time of one process (slower on a loaded one); on a
# 476-page book, 0.60x (see docs/benchmarks.md).  Below about this much text
# (characters, all languages of the edition) per worker, one process is about as fast.
TEXT_PER_WORKER = 100_000
_DIGITS = re.compile(r"\d+")


def make_url_fetcher(allowed_roots: list[Path]) -> Any:
    """A fetcher that serves local files under ``allowed_roots`` and refuses everything else."""
    from weasyprint.urls import URLFetcher

    roots = [root.resolve() for root in allowed_roots]

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"refusing to fetch {url!r}: books are built offline")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise ValueError(f"refusing to read {path}: outside the book project")
            return super().fetch(url, headers)

    return OfflineFetcher(allowed_protocols=["file"], fail_on_errors=False)


@dataclass(frozen=True)
class LayoutFaults:
    misaligned: frozenset[str]  # rows whose two cells start on different pages/heights
    stranded: frozenset[str]  # heading rows left at the foot of a page
    deferring: frozenset[str] = frozenset()  # split rows that pushed a note off its call's page


def _descendants(box: Any) -> Iterator[Any]:
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        children = getattr(current, "children", None)
        if children:
            stack.extend(reversed(children))


def _first_line_y(cell: Any) -> float | None:
    """Top of the first line (or image) of a laid-out cell, None when the cell is empty here."""
    from weasyprint.formatting_structure import boxes

    for box in _descendants(cell):
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox):
            if isinstance(box, boxes.LineBox) and not any(
                isinstance(child, boxes.TextBox | boxes.InlineReplacedBox | boxes.InlineBox)
                for child in _descendants(box)
                if child is not box
            ):
                continue
            return float(box.position_y)
    return None


def find_layout_faults(document: Any) -> LayoutFaults:
    """Read WeasyPrint's laid-out boxes: where does each cell of each pair row begin?"""
    from weasyprint.formatting_structure import boxes

    starts: dict[str, list[tuple[int, float] | None]] = {}
    last_row_on_page: dict[int, tuple[str, str]] = {}
    first_row_on_page: dict[int, str] = {}
    rows_on_page: dict[int, list[str]] = {}
    anchor_page: dict[str, int] = {}  # note number -> page where its call's row ends
    note_page: dict[str, int] = {}  # note number -> page where its body is set
    for page_number, page in enumerate(document.pages):
        for box in _descendants(page._page_box):
            _record_notes(box, page_number, anchor_page, note_page)
            if not isinstance(box, boxes.TableRowBox) or box.element is None:
                continue
            row_id = box.element.get("id")
            if not row_id:
                continue
            first_row_on_page.setdefault(page_number, row_id)
            rows_on_page.setdefault(page_number, []).append(row_id)
            last_row_on_page[page_number] = (row_id, box.element.get("class", ""))
            cells = [child for child in box.children if isinstance(child, boxes.TableCellBox)]
            found = starts.setdefault(row_id, [None] * len(cells))
            for index, cell in enumerate(cells[: len(found)]):
                if found[index] is None:
                    y = _first_line_y(cell)
                    if y is not None:
                        found[index] = (page_number, y)
    misaligned = set()
    for row_id, found in starts.items():
        positions = [p for p in found if p is not None]
        if len(positions) < 2:
            continue
        pages = {page for page, _ in positions}
        heights = [y for _, y in positions]
        if len(pages) > 1 or max(heights) - min(heights) > ALIGN_TOLERANCE:
            misaligned.add(row_id)
    stranded = set()
    for page_number, (row_id, classes) in last_row_on_page.items():
        next_first = first_row_on_page.get(page_number + 1)
        if "heading" in classes.split() and next_first is not None and next_first != row_id:
            stranded.add(row_id)
    deferring = set()
    for number, page_number in note_page.items():
        call_page = anchor_page.get(number)
        if call_page is None or page_number <= call_page:
            continue
        # WeasyPrint defers a note when the page's last row is split under its orphan
        # rule (and keeping the row whole does the same); starting that row on the
        # next page lets the note stay with its call, at the cost of a few blank lines.
        following = set(rows_on_page.get(call_page + 1, []))
        split = [row for row in rows_on_page.get(call_page, []) if row in following]
        if split:
            deferring.add(split[-1])
    return LayoutFaults(frozenset(misaligned), frozenset(stranded), frozenset(deferring))


def _pair_rows(page_box: Any) -> list[Any]:
    """The pair rows (table rows with an id) laid out on a page, in order."""
    from weasyprint.formatting_structure import boxes

    return [
        box
        for box in _descendants(page_box)
        if isinstance(box, boxes.TableRowBox) and box.element is not None and box.element.get("id")
    ]


def _cells(row: Any) -> list[Any]:
    from weasyprint.formatting_structure import boxes

    return [child for child in row.children if isinstance(child, boxes.TableCellBox)]


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
    cells_here, cells_next = _cells(row), _cells(continued)
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
        for box in _descendants(cells_here[side])
    ):
        return None
    return side


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
        rows_here = _pair_rows(this_page)
        if not rows_here or rows_here[-1].element.get("id") not in misaligned:
            continue
        row = rows_here[-1]
        next_page = document.pages[index + 1]._page_box
        rows_next = _pair_rows(next_page)
        if not rows_next or rows_next[0].element is not row.element:
            continue
        continued = rows_next[0]
        side = _stranded_side(rows_here, continued)
        if side is None:
            continue
        source, target = _cells(row)[side], _cells(continued)[side]
        dx = target.content_box_x() - source.content_box_x()
        dy = target.content_box_y() - source.content_box_y()
        for child in source.children:
            child.translate(dx, dy)
        target.children = list(source.children)
        target.height = max(target.height, _cells(continued)[1 - side].height)
        for box in _descendants(this_page):
            if row in getattr(box, "children", ()):
                box.children = [child for child in box.children if child is not row]
                break
        # a Page gathers its links, anchors and bookmarks from its boxes when made
        document.pages[index] = Page(this_page)
        document.pages[index + 1] = Page(next_page)
        moved.add(row.element.get("id"))
    return frozenset(moved)


def _record_notes(box: Any, page_number: int, calls: dict[str, int], notes: dict[str, int]) -> None:
    """Where each note is called (its ::footnote-call box) and where its body is set."""
    from weasyprint.formatting_structure import boxes

    element = getattr(box, "element", None)
    if element is None or "fn" not in (element.get("class") or "").split():
        return
    number = element.get("data-n")
    if number is None:
        return
    tag = getattr(box, "element_tag", "")
    if tag.endswith("::footnote-call"):
        calls.setdefault(number, page_number)
    elif tag == "span" and isinstance(box, boxes.BlockBox):
        notes.setdefault(number, page_number)


@dataclass(frozen=True)
class LaidOutChapter:
    document: Any  # weasyprint.Document
    keep: frozenset[str]  # rows the repair pass keeps together
    push: frozenset[str]  # rows the repair pass moves to the next page


Furniture = tuple[tuple[tuple[str, str], ...], ...]  # per page: (margin box, its text)


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
                    child.text for child in _descendants(box) if isinstance(child, boxes.TextBox)
                )
                if text:
                    margins.append((box.at_keyword, _DIGITS.sub("#", text)))
        pages.append(tuple(margins))
    return tuple(pages)


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


class EditionLayout:
    """Lays out one edition: the front matter, then each chapter as its own document.

    Chapters open on right-hand pages, so a chapter's layout does not depend on
    the chapters before it: only its page numbers do.  Laying chapters out
    separately lets the repair pass redo just the chapter that needs it, lets
    render/pdf_jobs.py lay chapters out in other processes, and the pages are
    joined into one PDF at the end (links, anchors and bookmarks are resolved
    across the joined pages by WeasyPrint).
    """

    def __init__(self, document: Document, edition: Edition, context: BuildContext):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.document = document
        self.edition = edition
        self.context = context
        self.font_css, font_files = font_faces_css(document.config.pdf.font, context.root)
        allowed = [context.root, *sorted({path.parent for path in font_files})]
        self.fetcher = make_url_fetcher(allowed)
        self.font_config = FontConfiguration()
        self.views = chapter_views(document, edition, context)
        # parsed once for the whole edition rather than once per chapter document
        self.stylesheet = CSS(
            string=render_css(document, edition, context, self.font_css),
            base_url=context.root.as_uri() + "/",
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )

    def _render(self, html: str) -> Any:
        from weasyprint import HTML

        source = HTML(
            string=html, base_url=self.context.root.as_uri() + "/", url_fetcher=self.fetcher
        )
        return source.render(stylesheets=[self.stylesheet], font_config=self.font_config)

    def _html(self, **parts: Any) -> str:
        return render_html(
            self.document,
            self.edition,
            self.context,
            font_faces=self.font_css,
            embed_css=False,
            **parts,
        )

    def front(self, toc_pages: dict[str, int]) -> Any:
        html = self._html(
            chapters=[], show_front=True, toc_chapters=self.views, toc_pages=toc_pages
        )
        return self._render(html)

    def placeholder_toc(self) -> dict[str, int]:
        """Stand-in page numbers as wide as real ones, to count the front matter's pages."""
        return {view.id: 888 for view in self.views}

    def blank_page(self) -> Any:
        return self._render(self._html(chapters=[], blank_page=True)).pages[0]

    def furniture(self, view: ChapterView, start_page: int, pages: int) -> Any:
        """The chapter's running heads and page numbers alone, on ``pages`` empty pages."""
        return self._render(self._html(chapters=[view], start_page=start_page, margin_pages=pages))

    def render_chapter(
        self,
        view: ChapterView,
        start_page: int,
        keep: frozenset[str] = frozenset(),
        push: frozenset[str] = frozenset(),
    ) -> Any:
        """One layout of the chapter, ``keep`` rows kept together and ``push`` rows moved to
        the next page, without the repair pass."""
        html = self._html(chapters=[view], start_page=start_page, keep_together=keep, push=push)
        return self._render(html)

    def chapter(
        self,
        view: ChapterView,
        start_page: int,
        keep: frozenset[str] = frozenset(),
        push: frozenset[str] = frozenset(),
    ) -> LaidOutChapter:
        """Lay the chapter out, repairing the parallel layout until it is clean.

        ``keep`` and ``push`` from an earlier layout of the same chapter reproduce
        that layout in one pass.
        """
        for attempt in range(1, MAX_PASSES + 1):
            rendered = self.render_chapter(view, start_page, keep, push)
            if not self.edition.parallel:
                return LaidOutChapter(rendered, keep, push)
            faults = find_layout_faults(rendered)
            moved = move_stranded_sides(rendered, faults.misaligned) if faults.misaligned else None
            if moved:
                rechecked = find_layout_faults(rendered)
                if rechecked.misaligned & moved:  # not what keeping them together gives
                    keep = keep | faults.misaligned
                    push = push | faults.stranded | faults.deferring
                    continue
                log.info(
                    "%s %s: pass %d: %d row(s) repaired in place",
                    self.edition.name,
                    view.id,
                    attempt,
                    len(moved),
                )
                keep, faults = keep | moved, rechecked  # as if laid out with them kept
            new_keep = keep | faults.misaligned
            new_push = push | faults.stranded | faults.deferring
            if new_keep == keep and new_push == push:
                return LaidOutChapter(rendered, keep, push)
            log.info(
                "%s %s: pass %d: keeping %d row(s) together, moving %d row(s) to the next page",
                self.edition.name,
                view.id,
                attempt,
                len(new_keep - keep),
                len(new_push - push),
            )
            keep, push = new_keep, new_push
        log.warning(
            "%s %s: misaligned rows remain after %d passes", self.edition.name, view.id, MAX_PASSES
        )
        return LaidOutChapter(rendered, keep, push)


def right_hand(pages: int) -> int:
    """Pages to add after ``pages`` pages so that what follows opens on a right-hand page."""
    return pages % 2


class BookPages:
    """The chapters' pages in book order, each chapter opening on a right-hand page after
    the front matter, and the page number each one opens on (for the contents)."""

    def __init__(self, front_pages: int):
        self.next_page = front_pages + right_hand(front_pages) + 1  # where the next one opens
        self.toc_pages: dict[str, int] = {}
        self.chapters: list[list[Any]] = []

    def add(self, chapter_id: str, pages: list[Any]) -> None:
        self.toc_pages[chapter_id] = self.next_page
        self.chapters.append(pages)
        self.next_page += len(pages) + right_hand(len(pages))

    def with_front(self, front: Any, blank: Any) -> list[Any]:
        """Every page of the book: the front matter, then the chapters, blank pages between."""
        pages = list(front.pages) + [blank] * right_hand(len(front.pages))
        for index, chapter_pages in enumerate(self.chapters):
            pages.extend(chapter_pages)
            if index < len(self.chapters) - 1:
                pages.extend([blank] * right_hand(len(chapter_pages)))
        return pages


def available_cpus() -> int:
    """The CPUs this process may run on (fewer than the machine's under a CPU limit)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(document: Document, edition: Edition, requested: int | None) -> int:
    """How many processes lay the edition's chapters out: as asked (at most one per
    chapter), or one per CPU when the book has enough text to repay starting them."""
    chapters = len(document.chapters)
    if requested is not None:
        return max(1, min(requested, chapters))
    text = sum(
        len(pair.text(lang))
        for chapter in document.chapters
        for pair in chapter.pairs.values()
        for lang in edition.languages
        if lang in pair.texts
    )
    return max(1, min(available_cpus(), chapters, text // TEXT_PER_WORKER))


def write_pdf(document: Document, edition: Edition, target: Path, context: BuildContext) -> None:
    jobs = worker_count(document, edition, context.jobs)
    if jobs > 1:
        from bilingual_pub.render.pdf_jobs import WorkerFailed, write_pdf_in_processes

        try:
            write_pdf_in_processes(document, edition, target, context, jobs)
            return
        except WorkerFailed as failure:
            log.warning("%s; laying the edition out in this process", failure)
    layout = EditionLayout(document, edition, context)
    front_pages = len(layout.front(layout.placeholder_toc()).pages)
    book = BookPages(front_pages)
    for view in layout.views:
        book.add(view.id, list(layout.chapter(view, book.next_page).document.pages))
    front = final_front(layout, book.toc_pages, front_pages)
    front.copy(book.with_front(front, layout.blank_page())).write_pdf(target)


def final_front(layout: EditionLayout, toc_pages: dict[str, int], expected_pages: int) -> Any:
    """The front matter with the real page numbers in its table of contents."""
    front = layout.front(toc_pages)
    if len(front.pages) != expected_pages:
        raise BuildError(
            f"the front matter changed length ({expected_pages} -> {len(front.pages)} pages)"
        )
    return front

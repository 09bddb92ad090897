"""The layout of one edition in this process: front matter, chapters, the whole book.

Each chapter is laid out as its own document, with the repair pass
(render/pdf/repair.py) when the edition is parallel, and laid out again with the pairs
whose justified lines stretch their word spaces set ragged (render/pdf/spacing.py); the
chapters' pages are joined after the front matter, each chapter opening on a right-hand
page, and WeasyPrint writes the book.  The facing edition lays its chapters out on spreads
(in pair mode as the parallel edition does, in spread mode by render/pdf/spread.py), cuts
them into pages (render/pdf/facing.py) and opens each chapter on a left-hand page, a new
spread.  Worker processes (render/pdf/workers.py) use the same layout for one chapter at
a time.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from bilingual_pub.editions import BuildContext, Edition
from bilingual_pub.errors import BuildError
from bilingual_pub.model import Document
from bilingual_pub.render.fonts import font_faces_css
from bilingual_pub.render.pdf.facing import (
    SpreadGeometry,
    cut_spreads,
    facing_css,
    on_both_pages,
)
from bilingual_pub.render.pdf.fetcher import make_url_fetcher
from bilingual_pub.render.pdf.finish import finish_pdf
from bilingual_pub.render.pdf.repair import LaidOutChapter, Render, repaired_layout
from bilingual_pub.render.pdf.spacing import RaggedHint, predicted_stretched, stretched_rows
from bilingual_pub.render.pdf.spread import RenderView, spread_layout
from bilingual_pub.render.pdf.standards import print_standard
from bilingual_pub.render.pdf.tagging import page_text_areas
from bilingual_pub.render.pdf_html import (
    ChapterView,
    blank_html,
    chapter_html,
    chapter_views,
    front_matter_html,
    furniture_html,
    render_css,
)

log = logging.getLogger(__name__)


class EditionLayout:
    """Lays out one edition: the front matter, then each chapter as its own document.

    Chapters open on right-hand pages, so a chapter's layout does not depend on
    the chapters before it: only its page numbers do.  Laying chapters out
    separately lets the repair pass redo just the chapter that needs it, lets
    render/pdf/workers.py lay chapters out in other processes, and the pages are
    joined into one PDF at the end (links, anchors and bookmarks are resolved
    across the joined pages by WeasyPrint).
    """

    def __init__(self, document: Document, edition: Edition, context: BuildContext):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.document = document
        self.edition = edition
        self.context = context
        self.font_css, self.font_files = font_faces_css(document.config.pdf.font, context.root)
        self.standard = print_standard(document.config.pdf, context.root)
        allowed = [context.root, *sorted({path.parent for path in self.font_files})]
        self.fetcher = make_url_fetcher(allowed + self.standard.profile_dirs)
        self.font_config = FontConfiguration()
        self.color_profiles: dict[str, Any] = {}
        self.views = chapter_views(document, edition, context)
        css = self.standard.inks(render_css(document, edition, context, self.font_css))
        # the facing edition's chapters are laid out on spreads, then cut into pages
        self.spreads = SpreadGeometry.of(document.config.pdf) if edition.facing else None
        if edition.facing:
            css += self.standard.inks(facing_css(document.config, context))
            self.views = on_both_pages(self.views, edition.languages)
        css += self.standard.css()
        # parsed once for the whole edition rather than once per chapter document
        self.css = css  # the whole stylesheet, as the chapter cache's key hashes it
        self.stylesheet = CSS(
            string=css,
            base_url=context.root.as_uri() + "/",
            url_fetcher=self.fetcher,
            font_config=self.font_config,
            color_profiles=self.color_profiles,
        )

    def _render(self, html: str) -> Any:
        from weasyprint import HTML

        source = HTML(
            string=html, base_url=self.context.root.as_uri() + "/", url_fetcher=self.fetcher
        )
        return source.render(
            stylesheets=[self.stylesheet],
            font_config=self.font_config,
            color_profiles=self.color_profiles,
            **self.standard.options(),
        )

    def write(self, rendered: Any, target: Path) -> None:
        """Write a laid-out document as the edition's standard asks."""
        rendered.write_pdf(target, **self.standard.options())

    def write_book(self, front: Any, pages: list[Any], target: Path) -> None:
        """Write the book's ``pages`` (with ``front``'s metadata) as the edition, its
        languages tagged when it is a tagged edition, and check its standard is met."""
        self.write(front.copy(pages), target)
        main = self.edition.main_language
        areas = page_text_areas(pages, main) if self.standard.tagged else None
        finish_pdf(target, self.standard, areas, main, self.edition.name)

    def front(self, toc_pages: dict[str, int]) -> Any:
        return self._render(self.front_markup(toc_pages))

    def front_markup(self, toc_pages: dict[str, int]) -> str:
        """The front matter's HTML, the contents giving ``toc_pages``."""
        return front_matter_html(
            self.document, self.edition, self.context, contents=self.views, pages=toc_pages
        )

    def placeholder_toc(self) -> dict[str, int]:
        """Stand-in page numbers as wide as real ones, to count the front matter's pages."""
        return {view.id: 888 for view in self.views}

    def blank_page(self) -> Any:
        return self.blank().pages[0]

    def blank(self) -> Any:
        """A document of one empty page (with the edition's metadata, as every document)."""
        return self._render(self.blank_markup())

    def blank_markup(self) -> str:
        return blank_html(self.document, self.edition, self.context)

    def furniture(self, view: ChapterView, start_page: int, pages: int) -> Any:
        """The chapter's running heads and page numbers alone, on ``pages`` empty pages."""
        return self._cut(self._render(self.furniture_markup(view, start_page, pages)))

    def furniture_markup(self, view: ChapterView, start_page: int, pages: int) -> str:
        spreads = pages // 2 if self.spreads else pages
        return furniture_html(
            self.document,
            self.edition,
            self.context,
            chapter=view,
            start_page=start_page,
            pages=spreads,
        )

    def _cut(self, rendered: Any) -> Any:
        """The facing edition's spreads cut into their pages; other layouts as they are."""
        if self.spreads is not None:
            cut_spreads(rendered, self.spreads)
        return rendered

    def book_pages(self, front_pages: int) -> BookPages:
        """The book's pages in order, chapters opening where this edition opens them."""
        return BookPages(front_pages, opens_on_left=self.edition.facing)

    def render_chapter(
        self,
        view: ChapterView,
        start_page: int,
        keep: frozenset[str] = frozenset(),
        push: frozenset[str] = frozenset(),
    ) -> Any:
        """One layout of the chapter, ``keep`` rows kept together and ``push`` rows moved to
        the next page, without the repair pass."""
        return self._render(self.chapter_markup(view, start_page, keep, push))

    def chapter_markup(
        self,
        view: ChapterView,
        start_page: int,
        keep: frozenset[str] = frozenset(),
        push: frozenset[str] = frozenset(),
    ) -> str:
        """The HTML of one chapter's document (what the chapter cache's key hashes)."""
        return chapter_html(
            self.document,
            self.edition,
            self.context,
            chapter=view,
            start_page=start_page,
            keep_together=keep,
            push=push,
        )

    def render_view(self, start_page: int) -> RenderView:
        """Lays out a view of a chapter (the spread mode's runs), ``push`` rows opening a page."""

        def render(view: ChapterView, push: frozenset[str]) -> Any:
            return self.render_chapter(view, start_page, push=push)

        return render

    def chapter(
        self,
        view: ChapterView,
        start_page: int,
        keep: frozenset[str] = frozenset(),
        push: frozenset[str] = frozenset(),
        hint: RaggedHint | None = None,
    ) -> LaidOutChapter:
        """Lay the chapter out, repairing the parallel layout until it is clean.

        ``keep`` and ``push`` from an earlier layout of the same chapter reproduce
        that layout in one pass; ``hint``, from an earlier layout of the chapter before
        some of its rows changed, spares the layout that finds the rows to set ragged.
        """
        if not self.edition.parallel:
            return LaidOutChapter(self.render_chapter(view, start_page, keep, push), keep, push)

        label = f"{self.edition.name} {view.id}"
        if self.edition.facing and self.document.config.pdf.facing_sync == "spread":
            laid_out = spread_layout(view, self.render_view(start_page), label, push)
        else:
            laid_out = self._evenly_spaced(view, start_page, label, keep, push, hint)
        self._cut(laid_out.document)
        return laid_out

    def _evenly_spaced(
        self,
        view: ChapterView,
        start_page: int,
        label: str,
        keep: frozenset[str],
        push: frozenset[str],
        hint: RaggedHint | None = None,
    ) -> LaidOutChapter:
        """The repaired layout, laid out again with the pairs whose justified lines stretch
        their word spaces too far set ragged-right."""

        def render(shown: ChapterView) -> Render:
            return lambda keep, push: self.render_chapter(shown, start_page, keep, push)

        if hint is not None:
            guessed = self._as_guessed(view, start_page, label, keep, push, hint)
            if guessed is not None:
                return guessed
        laid = repaired_layout(render(view), label, keep, push)
        stretched = stretched_rows(laid.document)
        if not stretched:
            return laid
        log.info("%s: %d pair(s) set ragged-right: word spaces stretched", label, len(stretched))
        again = repaired_layout(render(ragged_view(view, stretched)), label, keep, push)
        return replace(again, ragged=stretched)

    def _as_guessed(
        self,
        view: ChapterView,
        start_page: int,
        label: str,
        keep: frozenset[str],
        push: frozenset[str],
        hint: RaggedHint,
    ) -> LaidOutChapter | None:
        """The layout ``_evenly_spaced`` gives, with the rows to set ragged predicted from
        ``hint`` (render/pdf/spacing.py); None where no row is to be set ragged or where the
        layout shows the prediction wrong (a row left justified stretches)."""

        def stretched_in(shown: ChapterView) -> frozenset[str]:
            return stretched_rows(self.render_chapter(shown, start_page))

        guess = predicted_stretched(view, hint, stretched_in)
        if not guess:
            return None
        shown = ragged_view(view, guess)
        laid = repaired_layout(
            lambda keep, push: self.render_chapter(shown, start_page, keep, push),
            label,
            keep,
            push,
        )
        if stretched_rows(laid.document):
            log.info("%s: the rows set ragged-right before do not hold; laid out anew", label)
            return None
        log.info(
            "%s: %d pair(s) set ragged-right: word spaces stretched (as before, but for the "
            "changed rows)",
            label,
            len(guess),
        )
        return replace(laid, ragged=guess)


def ragged_view(view: ChapterView, rows: frozenset[str]) -> ChapterView:
    """The chapter with ``rows`` set ragged-right (book.css: ``tr.ragged``)."""
    return replace(
        view,
        rows=[
            replace(row, classes=[*row.classes, "ragged"]) if row.id in rows else row
            for row in view.rows
        ],
    )


def right_hand(pages: int) -> int:
    """Pages to add after ``pages`` pages so that what follows opens on a right-hand page."""
    return pages % 2


def left_hand(pages: int) -> int:
    """Pages to add after ``pages`` pages so that what follows opens on a left-hand page."""
    return (pages + 1) % 2


class BookPages:
    """The chapters' pages in book order, each chapter opening on a right-hand page after
    the front matter (on a left-hand one, a spread, with ``opens_on_left``), and the page
    number each one opens on (for the contents)."""

    def __init__(self, front_pages: int, *, opens_on_left: bool = False):
        self.padding = left_hand if opens_on_left else right_hand
        self.next_page = front_pages + self.padding(front_pages) + 1  # where the next one opens
        self.toc_pages: dict[str, int] = {}
        self.chapters: list[list[Any]] = []

    def add(self, chapter_id: str, pages: list[Any]) -> None:
        self.toc_pages[chapter_id] = self.next_page
        self.chapters.append(pages)
        self.next_page += len(pages) + self.padding(self.next_page + len(pages) - 1)

    def with_front(self, front: Any, blank: Any) -> list[Any]:
        """Every page of the book: the front matter, then the chapters, blank pages between
        (where this edition opens its chapters), and a blank last page where the count would
        be odd (printers ask for even ones)."""
        pages = list(front.pages) + [blank] * self.padding(len(front.pages))
        for index, chapter_pages in enumerate(self.chapters):
            pages.extend(chapter_pages)
            if index < len(self.chapters) - 1:
                pages.extend([blank] * self.padding(len(pages)))
        pages.extend([blank] * right_hand(len(pages)))
        return pages


def write_in_one_process(
    document: Document, edition: Edition, target: Path, context: BuildContext
) -> None:
    """Lay the whole edition out in this process and write it to ``target``."""
    layout = EditionLayout(document, edition, context)
    front_pages = len(layout.front(layout.placeholder_toc()).pages)
    book = layout.book_pages(front_pages)
    for view in layout.views:
        book.add(view.id, list(layout.chapter(view, book.next_page).document.pages))
    front = final_front(layout, book.toc_pages, front_pages)
    layout.write_book(front, book.with_front(front, layout.blank_page()), target)


def final_front(layout: EditionLayout, toc_pages: dict[str, int], expected_pages: int) -> Any:
    """The front matter with the real page numbers in its table of contents."""
    front = layout.front(toc_pages)
    if len(front.pages) != expected_pages:
        raise BuildError(
            f"the front matter changed length ({expected_pages} -> {len(front.pages)} pages)"
        )
    return front

"""The layout of one edition in this process: front matter, chapters, the whole book.

Each chapter is laid out as its own document, with the repair pass
(render/pdf/repair.py) when the edition is parallel; the chapters' pages are joined
after the front matter, each chapter opening on a right-hand page, and WeasyPrint
writes the book.  Worker processes (render/pdf/workers.py) use the same layout for
one chapter at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bilingual_pub.align import Document
from bilingual_pub.editions import BuildContext, Edition
from bilingual_pub.errors import BuildError
from bilingual_pub.render.fonts import font_faces_css
from bilingual_pub.render.html import ChapterView, chapter_views, render_css, render_html
from bilingual_pub.render.pdf.fetcher import make_url_fetcher
from bilingual_pub.render.pdf.repair import LaidOutChapter, repaired_layout


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
        allowed = [context.root, *sorted({path.parent for path in self.font_files})]
        self.fetcher = make_url_fetcher(allowed)
        self.font_config = FontConfiguration()
        self.views = chapter_views(document, edition, context)
        # parsed once for the whole edition rather than once per chapter document
        self.css = render_css(document, edition, context, self.font_css)
        self.stylesheet = CSS(
            string=self.css,
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
        return self._render(self.chapter_html(view, start_page, keep, push))

    def chapter_html(
        self,
        view: ChapterView,
        start_page: int,
        keep: frozenset[str] = frozenset(),
        push: frozenset[str] = frozenset(),
    ) -> str:
        return self._html(chapters=[view], start_page=start_page, keep_together=keep, push=push)

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
        if not self.edition.parallel:
            return LaidOutChapter(self.render_chapter(view, start_page, keep, push), keep, push)

        def render(keep: frozenset[str], push: frozenset[str]) -> Any:
            return self.render_chapter(view, start_page, keep, push)

        return repaired_layout(render, f"{self.edition.name} {view.id}", keep, push)


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


def write_in_one_process(
    document: Document, edition: Edition, target: Path, context: BuildContext
) -> None:
    """Lay the whole edition out in this process and write it to ``target``."""
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

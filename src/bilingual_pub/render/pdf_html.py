"""Document -> HTML for WeasyPrint: the parallel edition as one table row per pair,
a monolingual edition as a single flowing column.

Each document WeasyPrint lays out has its function: ``front_matter_html``,
``chapter_html``, ``furniture_html`` (a chapter's running heads and page numbers
alone) and ``blank_html``.  The chapters' rows and flow are walked here from the
block tree, one language's HTML comes from render/pdf_blocks.py; the pages (title
pages, contents, CSS) come from Jinja templates that a book may override.  Every
piece of text passes through ``render_inline``, which escapes untrusted input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from html import escape
from typing import TypedDict, Unpack, assert_never

from markupsafe import Markup

from bilingual_pub.config import BookConfig
from bilingual_pub.editions import BuildContext, Edition
from bilingual_pub.model import (
    Block,
    Chapter,
    Code,
    Document,
    Figure,
    Heading,
    ListBlock,
    Pair,
    Paragraph,
    Quote,
    RawHtml,
    Rule,
    Table,
)
from bilingual_pub.render.front import labels_in, translation_credits, typeset_lines
from bilingual_pub.render.inline import plain_text, render_inline
from bilingual_pub.render.labels import Label, label
from bilingual_pub.render.pdf_blocks import BlockRenderer, Cell


@dataclass
class Row:
    """One table row of the parallel edition: a pair, or a full-width item (figure, code)."""

    id: str
    kind: str  # heading, paragraph, item, quote, figure, caption, code, table, rule
    cells: list[Cell] = field(default_factory=list)
    wide: Markup | None = None  # content spanning both columns
    classes: list[str] = field(default_factory=list)

    @property
    def css_class(self) -> str:
        return " ".join(["pair", self.kind, *self.classes])


@dataclass
class ChapterView:
    id: str
    number: int
    titles: dict[str, str]  # lang -> plain title
    titles_html: dict[str, Markup]
    rows: list[Row] = field(default_factory=list)  # parallel edition
    flow: Markup = field(default_factory=Markup)  # monolingual edition


def _marker(block: ListBlock, index: int) -> str:
    return f"{block.start + index}." if block.ordered else "•"


class ChapterBuilder:
    """Walks a chapter's block tree once, emitting parallel rows or a single-language flow."""

    def __init__(
        self, chapter: Chapter, edition: Edition, context: BuildContext, config: BookConfig
    ):
        self.chapter = chapter
        self.edition = edition
        self.renderers = [
            BlockRenderer(chapter, lang, context, parallel=edition.parallel, config=config)
            for lang in edition.languages
        ]
        if edition.parallel:
            first, second = self.renderers
            first.partner, second.partner = second, first
            second.column = 1
        self.title_done = False

    def view(self) -> ChapterView:
        title = self.chapter.title
        typeset = self.renderers[0].typeset
        rules = {lang: typeset(title, lang) if title else None for lang in self.edition.languages}
        titles = {
            lang: plain_text(title.text(lang), typography=rules[lang])
            if title
            else self.chapter.text.stem
            for lang in self.edition.languages
        }
        titles_html = {
            lang: Markup(render_inline(title.text(lang), typography=rules[lang]))
            if title
            else Markup(escape(self.chapter.text.stem))
            for lang in self.edition.languages
        }
        view = ChapterView(self.chapter.id, self.chapter.number, titles, titles_html)
        if self.edition.parallel:
            view.rows = list(self.rows(self.chapter.text.blocks, depth=0, context=()))
        else:
            view.flow = Markup("\n".join(self.flow(self.chapter.text.blocks, self.renderers[0])))
        return view

    # -- parallel rows -------------------------------------------------------

    def _pair_row(
        self,
        kind: str,
        pair: Pair,
        make: Callable[[BlockRenderer], str],
        classes: list[str],
        *,
        quoted: bool = False,
    ) -> Row:
        """One row, each cell made by ``make`` for its language (inside a quote if ``quoted``)."""
        cells = []
        for renderer in self.renderers:
            html = make(renderer)
            cells.append(
                renderer.cell(pair, f"<blockquote>{html}</blockquote>" if quoted else html)
            )
        return Row(id=pair.id, kind=kind, cells=cells, classes=classes)

    def rows(
        self, blocks: tuple[Block, ...], *, depth: int, context: tuple[str, ...]
    ) -> Iterator[Row]:
        for block in blocks:
            match block:
                case Heading():
                    yield self.heading_row(block)
                case Paragraph():
                    pair = self.chapter.pair(block.segment)
                    quoted = "quote" in context
                    yield self._pair_row(
                        "quote" if quoted else "paragraph",
                        pair,
                        partial(BlockRenderer.paragraph, block=block),
                        [],
                        quoted=quoted,
                    )
                case Figure():
                    pair = self.chapter.pair(block.segment)
                    image = self.renderers[0].figure_image(block)
                    yield Row(
                        id=f"{pair.id}-img",
                        kind="figure",
                        wide=Markup(f'<div class="figure">{image}</div>'),
                    )
                    caption = partial(BlockRenderer.caption, block=block)
                    yield self._pair_row("caption", pair, caption, [])
                case ListBlock():
                    yield from self.list_rows(block, depth=depth, context=context)
                case Quote():
                    yield from self.rows(block.blocks, depth=depth, context=(*context, "quote"))
                case Table():
                    yield self.table_row(block)
                case Code():
                    code = Markup(f"<pre><code>{escape(block.text)}</code></pre>")
                    yield Row(id="", kind="code", wide=code)
                case RawHtml():
                    yield Row(id="", kind="html", wide=self._raw(block))
                case Rule():
                    yield Row(id="", kind="rule", wide=Markup("<hr/>"))
                case _:
                    assert_never(block)

    def heading_row(self, block: Heading) -> Row:
        pair = self.chapter.pair(block.segment)
        is_title = not self.title_done and block.level == 1
        self.title_done = self.title_done or is_title
        classes = [f"h{min(block.level, 4)}"] + (["chapter-title"] if is_title else [])
        return self._pair_row(
            "heading",
            pair,
            partial(BlockRenderer.heading, block=block, chapter_title=is_title),
            classes,
        )

    def list_rows(self, block: ListBlock, *, depth: int, context: tuple[str, ...]) -> Iterator[Row]:
        for index, item in enumerate(block.items):
            marker = _marker(block, index)
            for position, child in enumerate(item.blocks):
                if isinstance(child, Paragraph):
                    pair = self.chapter.pair(child.segment)
                    lead = marker if position == 0 else ""
                    yield self._pair_row(
                        "item",
                        pair,
                        partial(BlockRenderer.list_item, pair=pair, marker=lead, depth=depth),
                        [f"depth-{depth}"],
                        quoted="quote" in context,
                    )
                else:
                    yield from self.rows((child,), depth=depth + 1, context=context)

    def table_row(self, block: Table) -> Row:
        cells = []
        for renderer in self.renderers:
            cells.append(Cell(renderer.lang, Markup(self.table_html(block, renderer))))
        first = block.header[0] if block.header else None
        row_id = self.chapter.pair(first).id + "-table" if first else ""
        return Row(id=row_id, kind="table", cells=cells)

    def table_html(self, block: Table, renderer: BlockRenderer) -> str:
        def cell(tag: str, segment: object, align: str) -> str:
            pair = self.chapter.pair(segment)  # type: ignore[arg-type]
            style = f' style="text-align: {align}"' if align in ("left", "right", "center") else ""
            marked = renderer.marked_inline(pair)
            return f"<{tag}{style}{renderer.stand_in_attr(pair)}>{marked}</{tag}>"

        aligns = list(block.aligns) + [""] * len(block.header)
        head = "".join(cell("th", s, aligns[i]) for i, s in enumerate(block.header))
        body = "".join(
            "<tr>" + "".join(cell("td", s, aligns[i]) for i, s in enumerate(row)) + "</tr>"
            for row in block.rows
        )
        return (
            f'<table class="text-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        )

    def _raw(self, block: RawHtml) -> Markup:
        raw_html = self.renderers[0].raw_html
        return Markup(block.text) if raw_html else Markup(f"<pre>{escape(block.text)}</pre>")

    # -- monolingual flow ------------------------------------------------------

    def flow(self, blocks: tuple[Block, ...], r: BlockRenderer) -> Iterator[str]:
        for block in blocks:
            match block:
                case Heading():
                    is_title = not self.title_done and block.level == 1
                    self.title_done = self.title_done or is_title
                    html = r.heading(block, is_title)
                    yield f'<div class="chapter-title">{html}</div>' if is_title else html
                case Paragraph():
                    yield r.paragraph(block)
                case Figure():
                    image, caption = r.figure_image(block), r.caption(block)
                    yield (
                        f'<figure class="figure">{image}<figcaption>{caption}</figcaption></figure>'
                    )
                case ListBlock():
                    yield self.list_flow(block, r)
                case Quote():
                    yield "<blockquote>" + "".join(self.flow(block.blocks, r)) + "</blockquote>"
                case Table():
                    yield self.table_html(block, r)
                case Code():
                    yield f"<pre><code>{escape(block.text)}</code></pre>"
                case RawHtml():
                    yield str(self._raw(block))
                case Rule():
                    yield "<hr/>"
                case _:
                    assert_never(block)

    def list_flow(self, block: ListBlock, r: BlockRenderer) -> str:
        tag = "ol" if block.ordered else "ul"
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        items = []
        for item in block.items:
            items.append("<li>" + "".join(self.flow(item.blocks, r)) + "</li>")
        tight = " tight" if block.tight else ""
        return f'<{tag} class="list{tight}"{start}>' + "".join(items) + f"</{tag}>"


def chapter_views(document: Document, edition: Edition, context: BuildContext) -> list[ChapterView]:
    return [
        ChapterBuilder(chapter, edition, context, document.config).view()
        for chapter in document.chapters
    ]


def render_css(document: Document, edition: Edition, context: BuildContext, font_faces: str) -> str:
    """The edition's stylesheet: the default book.css (or the book's own) with its extra.css."""
    config = document.config
    return context.templates.get_template("pdf/book.css").render(
        config=config, pdf=config.pdf, edition=edition, font_faces=Markup(font_faces)
    )


def _label_text(key: str, lang: str) -> str:
    return label(key, lang).text


def front_matter_html(
    document: Document,
    edition: Edition,
    context: BuildContext,
    *,
    contents: list[ChapterView],
    pages: dict[str, int],
) -> str:
    """The front matter: title pages and the contents, ``pages`` the page each chapter opens on."""
    return _book_html(
        document,
        edition,
        context,
        show_front=True,
        toc_chapters=contents,
        toc_pages=pages,
        credits=translation_credits(document, edition),
        typeset=typeset_lines(document, edition),
    )


def blank_html(document: Document, edition: Edition, context: BuildContext) -> str:
    """One empty page, to open what follows on a right-hand page."""
    return _book_html(document, edition, context, blank_page=True)


def chapter_html(
    document: Document,
    edition: Edition,
    context: BuildContext,
    *,
    chapter: ChapterView,
    start_page: int,
    keep_together: frozenset[str] = frozenset(),
    push: frozenset[str] = frozenset(),
) -> str:
    """One chapter, its pages numbered from ``start_page``; rows in ``keep_together`` are kept
    on one page, rows in ``push`` moved to the next."""
    return _book_html(
        document,
        edition,
        context,
        chapters=[chapter],
        start_page=start_page,
        keep_together=keep_together,
        push=push,
    )


def furniture_html(
    document: Document,
    edition: Edition,
    context: BuildContext,
    *,
    chapter: ChapterView,
    start_page: int,
    pages: int,
) -> str:
    """Only the page furniture (running heads, page numbers) of the chapter, on ``pages``
    otherwise empty pages, numbered from ``start_page``."""
    return _book_html(
        document, edition, context, chapters=[chapter], start_page=start_page, margin_pages=pages
    )


class _BookPage(TypedDict, total=False):
    """The variables of pdf/book.html that differ between the kinds of document."""

    chapters: list[ChapterView]
    show_front: bool
    blank_page: bool
    toc_chapters: list[ChapterView]
    toc_pages: dict[str, int]
    start_page: int
    margin_pages: int
    keep_together: frozenset[str]
    push: frozenset[str]
    credits: list[Label]
    typeset: list[Label]


def _book_html(
    document: Document, edition: Edition, context: BuildContext, **page: Unpack[_BookPage]
) -> str:
    """pdf/book.html with every variable it (or a book's own copy) may use: ``page`` sets
    those of one kind of document, the others keep their empty values.  The stylesheet is
    not embedded (``css`` is empty): the caller parses ``render_css`` once and hands it to
    WeasyPrint with every document."""
    template = context.templates.get_template("pdf/book.html")
    variables: dict[str, object] = {
        "config": document.config,
        "edition": edition,
        "languages": edition.languages,
        "chapters": [],
        "show_front": False,
        "blank_page": False,
        "toc_chapters": [],
        "toc_pages": {},
        "css": Markup(""),
        "start_page": None,
        "margin_pages": 0,
        "keep_together": frozenset(),
        "push": frozenset(),
        "built_at": context.built_at,
        "label": _label_text,
        "credits": [],
        "typeset": [],
        "contents": labels_in("contents", edition),
    }
    return template.render(variables | page)

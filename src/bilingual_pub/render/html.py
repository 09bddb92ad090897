"""Document -> HTML for WeasyPrint: the parallel edition as one table row per pair,
a monolingual edition as a single flowing column.

Block HTML is produced here from the block tree; page furniture (title pages,
contents, CSS) comes from Jinja templates that a book may override.  Every
piece of text passes through ``render_inline``, which escapes untrusted input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from html import escape
from typing import assert_never

from markupsafe import Markup

from bilingual_pub.config import BookConfig
from bilingual_pub.editions import BuildContext, Edition
from bilingual_pub.model import (
    Block,
    Chapter,
    Code,
    Document,
    Figure,
    FootnoteDef,
    Heading,
    ListBlock,
    Pair,
    Paragraph,
    Quote,
    RawHtml,
    Rule,
    Table,
    footnote_numbers,
)
from bilingual_pub.render.front import labels_in, translation_credits, typeset_lines
from bilingual_pub.render.inline import plain_text, render_inline
from bilingual_pub.render.labels import label
from bilingual_pub.typography import Typesetter, typesetter


@dataclass
class Cell:
    lang: str
    html: Markup
    stand_in: bool = False


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


class _Renderer:
    """Renders one chapter's blocks for one language."""

    def __init__(
        self,
        chapter: Chapter,
        lang: str,
        context: BuildContext,
        *,
        parallel: bool,
        config: BookConfig,
    ):
        self.chapter = chapter
        self.lang = lang
        self.context = context
        self.raw_html = config.raw_html
        self.parallel = parallel
        self.typography = config.typography
        self.numbers = footnote_numbers(chapter.text)
        self.notes = {note.label: note for note in chapter.text.footnotes}
        self.partner: _Renderer | None = None  # the other column, for paired footnotes
        self.column = 0

    # -- inline ------------------------------------------------------------

    def typeset(self, pair: Pair, lang: str) -> Typesetter | None:
        """The rules of the language the pair shows in ``lang``'s place (a stand-in's own)."""
        return typesetter(self.typography, pair.source_lang if pair.stands_in(lang) else lang)

    def inline(self, pair: Pair, *, with_notes: bool = True) -> Markup:
        hook = self.footnote_call if with_notes else None

        def image(src: str, alt: str, title: str) -> str:
            path = self.context.resolve_image(pair.location, src)
            return f'<img class="inline" src="{escape(path.as_uri())}" alt="{escape(alt)}"/>'

        # raw HTML is trusted in the authors' texts only, never in a translation
        shows_source = self.lang == pair.source_lang or pair.stands_in(self.lang)
        html = render_inline(
            pair.text(self.lang),
            raw_html=self.raw_html and shows_source,
            footnote=hook,
            image=image,
            typography=self.typeset(pair, self.lang),
        )
        if pair.stands_in(self.lang):  # hyphenated with its own language's patterns
            return Markup(f'<span lang="{escape(pair.source_lang)}">{html}</span>')
        return Markup(html)

    def footnote_call(self, label: str) -> str | None:
        number = self.numbers.get(label)
        if number is None:
            return None
        if self.column == 1:
            # the note body (both languages side by side) floats from the first column;
            # this column only shows the call
            return f'<sup class="fn-call">{number}</sup>'
        return self.note_float(label, number)

    def note_float(self, label: str, number: int) -> str:
        body = self.note_body(label, number)
        return f'<span class="fn" data-n="{number}">{body}</span>'

    def note_body(self, label: str, number: int) -> str:
        note = self.notes[label]
        if not self.parallel or self.partner is None:
            return f'<span class="fn-text" lang="{self.lang}">{self.note_html(note, number)}</span>'
        columns = [self.note_html(note, number), self.partner.note_html(note, number)]
        langs = [self.lang, self.partner.lang]
        inner = "".join(
            f'<span class="fn-col" lang="{lang}">{html}</span>'
            for lang, html in zip(langs, columns, strict=True)
        )
        return f'<span class="fn-row">{inner}</span>'

    def note_html(self, note: FootnoteDef, number: int) -> str:
        parts = []
        for index, block in enumerate(note.blocks):
            match block:
                case Paragraph():
                    pair = self.chapter.pair(block.segment)
                    marker = f'<span class="fn-number">{number}</span> ' if index == 0 else ""
                    css, mark = self.marked(pair)
                    body = self.inline(pair, with_notes=False)
                    parts.append(f'<span class="fn-p{css}">{marker}{mark}{body}</span>')
                case Heading() | Figure() | ListBlock() | Quote() | Table():
                    pass  # a PDF footnote shows its paragraphs only: other blocks are left out
                case Code() | RawHtml() | Rule():
                    pass
                case _:
                    assert_never(block)
        return "".join(parts)

    # -- blocks ------------------------------------------------------------

    def cell(self, pair: Pair, html: str) -> Cell:
        return Cell(self.lang, Markup(html), pair.stands_in(self.lang))

    def marked(self, pair: Pair) -> tuple[str, str]:
        """The class (with a leading space) and the mark of a stand-in or a fuzzy translation;
        the mark is text where the words start (in a list item, after the bullet)."""
        key = pair.mark(self.lang)
        if key is None:
            return "", ""
        words = label(key, self.lang)
        css = " stand-in" if key == "untranslated" else " needs-review"
        mark = f'<span class="mark" lang="{escape(words.lang)}">[{escape(words.text)}]</span> '
        return css, mark

    def stand_in_attr(self, pair: Pair) -> str:
        css = self.marked(pair)[0].strip()
        return f' class="{css}"' if css else ""

    def marked_inline(self, pair: Pair) -> str:
        return self.marked(pair)[1] + str(self.inline(pair))  # the mark is HTML already

    def heading(self, block: Heading, chapter_title: bool) -> str:
        pair = self.chapter.pair(block.segment)
        level = min(block.level, 4)
        attributes = self.stand_in_attr(pair)
        if chapter_title:
            attributes += f' id="{self.chapter.id}-{self.lang}"'
        elif self.partner is not None and self.column == 0:
            # the outline shows one entry per heading pair, in both languages
            label = " / ".join(
                plain_text(pair.text(lang), typography=self.typeset(pair, lang))
                for lang in (self.lang, self.partner.lang)
            )
            attributes += f' data-bookmark="{escape(label)}"'
        return f"<h{level}{attributes}>{self.marked_inline(pair)}</h{level}>"

    def paragraph(self, block: Paragraph) -> str:
        pair = self.chapter.pair(block.segment)
        return f"<p{self.stand_in_attr(pair)}>{self.marked_inline(pair)}</p>"

    def list_item(self, pair: Pair, marker: str, depth: int) -> str:
        css, mark = self.marked(pair)
        lead = f'<span class="marker">{escape(marker)}</span>' if marker else ""
        return f'<p class="item depth-{depth}{css}">{lead}{mark}{self.inline(pair)}</p>'

    def caption(self, block: Figure) -> str:
        pair = self.chapter.pair(block.segment)
        return f"<p{self.stand_in_attr(pair)}>{self.marked_inline(pair)}</p>"

    def figure_image(self, block: Figure) -> str:
        path = self.context.resolve_image(block.segment.location, block.src)
        pair = self.chapter.pair(block.segment)
        alt = plain_text(pair.text(self.lang), typography=self.typeset(pair, self.lang))
        return f'<img src="{escape(path.as_uri())}" alt="{escape(alt)}"/>'


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
            _Renderer(chapter, lang, context, parallel=edition.parallel, config=config)
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
        make: Callable[[_Renderer], str],
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
            yield from self.block_rows(block, depth=depth, context=context)

    def block_rows(self, block: Block, *, depth: int, context: tuple[str, ...]) -> Iterator[Row]:
        match block:
            case Heading():
                pair = self.chapter.pair(block.segment)
                is_title = not self.title_done and block.level == 1
                self.title_done = self.title_done or is_title
                classes = [f"h{min(block.level, 4)}"] + (["chapter-title"] if is_title else [])
                yield self._pair_row(
                    "heading",
                    pair,
                    partial(_Renderer.heading, block=block, chapter_title=is_title),
                    classes,
                )
            case Paragraph():
                pair = self.chapter.pair(block.segment)
                quoted = "quote" in context
                yield self._pair_row(
                    "quote" if quoted else "paragraph",
                    pair,
                    partial(_Renderer.paragraph, block=block),
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
                yield self._pair_row("caption", pair, partial(_Renderer.caption, block=block), [])
            case ListBlock():
                yield from self.list_rows(block, depth=depth, context=context)
            case Quote():
                yield from self.rows(block.blocks, depth=depth, context=(*context, "quote"))
            case Table():
                yield self.table_row(block)
            case Code():
                yield Row(
                    id="", kind="code", wide=Markup(f"<pre><code>{escape(block.text)}</code></pre>")
                )
            case RawHtml():
                yield Row(id="", kind="html", wide=self._raw(block))
            case Rule():
                yield Row(id="", kind="rule", wide=Markup("<hr/>"))
            case _:
                assert_never(block)

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
                        partial(_Renderer.list_item, pair=pair, marker=lead, depth=depth),
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

    def table_html(self, block: Table, renderer: _Renderer) -> str:
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

    def flow(self, blocks: tuple[Block, ...], r: _Renderer) -> Iterator[str]:
        for block in blocks:
            yield from self.flow_block(block, r)

    def flow_block(self, block: Block, r: _Renderer) -> Iterator[str]:
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
                yield f'<figure class="figure">{image}<figcaption>{caption}</figcaption></figure>'
            case ListBlock():
                tag = "ol" if block.ordered else "ul"
                start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
                items = []
                for item in block.items:
                    items.append("<li>" + "".join(self.flow(item.blocks, r)) + "</li>")
                tight = " tight" if block.tight else ""
                yield f'<{tag} class="list{tight}"{start}>' + "".join(items) + f"</{tag}>"
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


def render_html(
    document: Document,
    edition: Edition,
    context: BuildContext,
    *,
    font_faces: str,
    chapters: list[ChapterView],
    show_front: bool = False,
    blank_page: bool = False,
    toc_chapters: list[ChapterView] | None = None,
    toc_pages: dict[str, int] | None = None,
    start_page: int | None = None,
    margin_pages: int = 0,
    keep_together: frozenset[str] = frozenset(),
    push: frozenset[str] = frozenset(),
    embed_css: bool = True,
) -> str:
    """One HTML document: the front matter, or chapters (each opening on a right-hand page).

    ``margin_pages=N`` renders only the page furniture (running heads, page numbers)
    of the one chapter given, on N otherwise empty pages.
    ``embed_css=False`` leaves the stylesheet out, for a caller that parsed
    ``render_css`` once and hands it to WeasyPrint with every document.
    """
    config = document.config
    template = context.templates.get_template("pdf/book.html")
    css = render_css(document, edition, context, font_faces) if embed_css else ""
    return template.render(
        config=config,
        edition=edition,
        languages=edition.languages,
        chapters=chapters,
        show_front=show_front,
        blank_page=blank_page,
        toc_chapters=toc_chapters or [],
        toc_pages=toc_pages or {},
        css=Markup(css),
        start_page=start_page,
        margin_pages=margin_pages,
        keep_together=keep_together,
        push=push,
        built_at=context.built_at,
        label=_label_text,
        credits=translation_credits(document, edition) if show_front else [],
        typeset=typeset_lines(document, edition) if show_front else [],
        contents=labels_in("contents", edition),
    )

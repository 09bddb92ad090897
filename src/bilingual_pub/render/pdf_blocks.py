"""The PDF's HTML of one language's blocks: a cell of the parallel edition's table, or the
single column of a monolingual edition.  Inline text with its footnotes (in the parallel
edition, both languages' notes float side by side from the first column), the marks of a
stand-in or a translation needing review, headings, paragraphs, list items, figures.

Every piece of text passes through ``render_inline``, which escapes untrusted input.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import assert_never

from markupsafe import Markup

from bilingual_pub.config import BookConfig
from bilingual_pub.editions import BuildContext
from bilingual_pub.model import (
    Chapter,
    Code,
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
from bilingual_pub.render.inline import plain_text, render_inline
from bilingual_pub.render.labels import label
from bilingual_pub.typography import Typesetter, typesetter


@dataclass
class Cell:
    lang: str
    html: Markup
    stand_in: bool = False


class BlockRenderer:
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
        self.partner: BlockRenderer | None = None  # the other column, for paired footnotes
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

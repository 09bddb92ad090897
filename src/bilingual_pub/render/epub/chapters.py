"""One chapter's block tree -> the XHTML of an EPUB content document.

The parallel edition writes every pair as one element with a stable id (the
pair's id) holding one child per language, in the edition's column order, each
child carrying ``lang`` and ``xml:lang``; monolingual editions write the single
language's element with the id.  The layout (stacked or side by side) is left
to the stylesheets.  Footnotes become EPUB 3 notes, one ``aside`` per language.

Everything here returns strings of well-formed XHTML: inline text comes from
``render_inline`` (which escapes), everything else is escaped here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import NamedTuple, assert_never

from bilingual_pub.config import Typography
from bilingual_pub.model import (
    Block,
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
    Segment,
    Table,
    footnote_numbers,
)
from bilingual_pub.render.epub.images import ImageStore
from bilingual_pub.render.epub.links import LinkResolver, is_safe_xhtml
from bilingual_pub.render.inline import plain_text, render_inline
from bilingual_pub.render.labels import label
from bilingual_pub.typography import Typesetter, typesetter

log = logging.getLogger(__name__)


def lang_attrs(lang: str) -> str:
    """HTML readers look at ``lang``, XML ones at ``xml:lang``: EPUB wants both, equal."""
    value = escape(lang)
    return f'lang="{value}" xml:lang="{value}"'


@dataclass
class ChapterFacts:
    """What rendering found out, for the package metadata."""

    uses_images: bool = False
    images_without_text: bool = False  # an image with an empty caption or alt text
    stand_ins: bool = False
    reviews: bool = False  # a fuzzy translation is shown, marked as needing review
    referenced_notes: set[tuple[int, str]] = field(default_factory=set)  # (number, language)


class TocLabel(NamedTuple):
    text: str
    lang: str


class TocEntry(NamedTuple):
    href: str
    labels: tuple[TocLabel, ...]
    children: tuple[TocEntry, ...] = ()

    @property
    def text(self) -> str:
        return " / ".join(item.text for item in self.labels)


class RenderedChapter(NamedTuple):
    body: str
    notes: str
    toc: TocEntry
    facts: ChapterFacts


class ChapterWriter:
    """Renders one chapter for the given languages (two in the parallel edition)."""

    def __init__(
        self,
        chapter: Chapter,
        *,
        languages: tuple[str, ...],
        raw_html: bool,
        images: ImageStore,
        links: LinkResolver,
        facts: ChapterFacts | None = None,
        with_ids: bool = True,
        columns: tuple[str, ...] | None = None,
        typography: Typography | None = None,
    ) -> None:
        self.chapter = chapter
        self.typography = typography or Typography()
        self.languages = languages
        self.columns = columns or languages  # the edition's languages: "l1", "l2" name the column
        self.raw_html = raw_html
        self.images = images
        self.links = links
        self.facts = facts if facts is not None else ChapterFacts()
        self.with_ids = with_ids
        self.note_numbers = footnote_numbers(chapter.text)

    @property
    def parallel(self) -> bool:
        return len(self.languages) > 1

    def render(self, file_name: str) -> RenderedChapter:
        body = self.blocks(self.chapter.text.blocks)
        notes = self.notes()  # after the body: backlinks need to know which calls exist
        return RenderedChapter(body, notes, self.toc_entry(file_name), self.facts)

    # -- blocks ---------------------------------------------------------------

    def blocks(self, blocks: Sequence[Block]) -> str:
        return "\n".join(html for html in (self.block(block) for block in blocks) if html)

    def block(self, block: Block) -> str:
        match block:
            case Heading(level=level, segment=segment):
                tag = f"h{min(max(level, 1), 6)}"
                return self.pair(self.chapter.pair(segment), outer=tag, part="span", single=tag)
            case Paragraph(segment=segment):
                return self.pair(self.chapter.pair(segment), outer="div", part="p", single="p")
            case Figure():
                return self.figure(block)
            case ListBlock():
                return self.list_block(block)
            case Quote(blocks=inner):
                return f"<blockquote>\n{self.blocks(inner)}\n</blockquote>"
            case Table():
                return self.table(block)
            case Code(text=text, info=info):
                language = re.sub(r"[^A-Za-z0-9_-]", "", info.split(" ")[0]) if info else ""
                css = f' class="language-{language}"' if language else ""
                code = escape(text.rstrip("\n"), quote=False)
                return f'<pre class="code"><code{css}>{code}</code></pre>'
            case RawHtml(text=text):
                return self.raw_block(text)
            case Rule():
                return "<hr/>"
            case _:
                assert_never(block)

    def figure(self, figure: Figure) -> str:
        self.facts.uses_images = True
        pair = self.chapter.pair(figure.segment)
        main = self.languages[0]
        href = self.images.add(pair.location, figure.src)
        alt_lang = self._shown_lang(pair, main)
        lang = f" {lang_attrs(alt_lang)}" if alt_lang != main else ""
        alt = plain_text(pair.text(main), typography=self.typeset(pair, main))
        self.facts.images_without_text |= not alt
        image = f'<img src="{escape(href)}" alt="{escape(alt)}"{lang}/>'
        caption = ""
        if pair.text(main).strip():
            caption = self.pair(
                pair, outer="figcaption", part="span", single="figcaption", ident=False
            )
        return f'<figure{self._id(pair)} class="figure">{image}\n{caption}</figure>'

    def list_block(self, block: ListBlock) -> str:
        tag = "ol" if block.ordered else "ul"
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        css = ' class="tight"' if block.tight else ""
        items = "\n".join(f"<li>{self.blocks(item.blocks)}</li>" for item in block.items)
        return f"<{tag}{start}{css}>\n{items}\n</{tag}>"

    def table(self, table: Table) -> str:
        def row(cells: tuple[Segment, ...], tag: str) -> str:
            rendered = []
            for column, segment in enumerate(cells):
                align = table.aligns[column] if column < len(table.aligns) else ""
                css = f"align-{align}" if align in ("left", "center", "right") else ""
                rendered.append(
                    self.pair(
                        self.chapter.pair(segment), outer=tag, part="span", single=tag, css=css
                    )
                )
            return "<tr>" + "".join(rendered) + "</tr>"

        head = f"<thead>{row(table.header, 'th')}</thead>" if table.header else ""
        body = "\n".join(row(cells, "td") for cells in table.rows)
        return f'<table class="table">{head}\n<tbody>\n{body}\n</tbody></table>'

    def raw_block(self, text: str) -> str:
        if self.raw_html and is_safe_xhtml(text):
            return text.strip()
        log.warning(
            "%s: raw HTML block is not well-formed, script-free XHTML; the EPUB shows it as text",
            self.chapter.text.path,
        )
        shown = escape(text.rstrip("\n"), quote=False)
        return f'<pre class="raw-html">{shown}</pre>'

    # -- one pair -------------------------------------------------------------

    def pair(
        self,
        pair: Pair,
        *,
        outer: str,
        part: str,
        single: str,
        css: str = "",
        ident: bool = True,
        prefix: str = "",
    ) -> str:
        """The pair as one element: ``outer`` with a ``part`` per language, or just ``single``."""
        identity = self._id(pair) if ident else ""
        if not self.parallel:
            return self.part(
                pair, self.languages[0], single, attrs=identity, css=css, prefix=prefix
            )
        parts = "\n".join(self.part(pair, lang, part, prefix=prefix) for lang in self.languages)
        classes = " ".join(filter(None, ("pair", css)))
        return f'<{outer}{identity} class="{classes}">\n{parts}\n</{outer}>'

    def part(
        self, pair: Pair, lang: str, tag: str, *, attrs: str = "", css: str = "", prefix: str = ""
    ) -> str:
        """One language of a pair; a stand-in says so, and carries the language it is really in;
        a translation needing review says so."""
        classes = [self.column_class(lang), css]
        mark = ""
        key = pair.mark(lang) if self._marked(pair) else None
        if key is not None:
            if key == "untranslated":
                self.facts.stand_ins = True
                classes.append("stand-in")
                mark_class = "stand-in-mark"
            else:
                self.facts.reviews = True
                classes.append("needs-review")
                mark_class = "stand-in-mark review-mark"  # styled as the stand-in's mark
            words = label(key, lang)
            mark_lang = lang_attrs(words.lang)
            mark = f'<span class="{mark_class}" {mark_lang}>[{escape(words.text)}]</span> '
        css_value = " ".join(filter(None, classes))
        shown = lang_attrs(self._shown_lang(pair, lang))
        content = prefix + mark + self.inline(pair, lang)
        return f'<{tag}{attrs} class="{css_value}" {shown}>{content}</{tag}>'

    def inline(self, pair: Pair, lang: str) -> str:
        text = pair.text(lang)
        trusted = self.raw_html and self._shown_lang(pair, lang) == pair.source_lang
        if trusted and not is_safe_xhtml(render_inline(text, raw_html=True, footnote=lambda _: "")):
            log.warning(
                "%s: inline HTML is not safe, well-formed XHTML; shown as text", pair.location
            )
            trusted = False

        def image(src: str, alt: str, title: str) -> str:
            self.facts.uses_images = True
            self.facts.images_without_text |= not alt.strip()
            href = self.images.add(pair.location, src)
            return f'<img class="inline" src="{escape(href)}" alt="{escape(alt)}"/>'

        html = render_inline(
            text,
            raw_html=trusted,
            footnote=lambda note: self.noteref(note, lang),
            image=image,
            typography=self.typeset(pair, lang),
        )
        return self.links.rewrite(html, pair.location)

    def column_class(self, lang: str) -> str:
        return f"l{self.columns.index(lang) + 1}"

    @staticmethod
    def _marked(pair: Pair) -> bool:
        # an empty source (an empty table cell) has nothing to translate
        return bool(pair.text(pair.source_lang).strip())

    @staticmethod
    def _shown_lang(pair: Pair, lang: str) -> str:
        return pair.source_lang if pair.stands_in(lang) else lang

    def typeset(self, pair: Pair, lang: str) -> Typesetter | None:
        """The typographic rules of the language the pair is shown in."""
        return typesetter(self.typography, self._shown_lang(pair, lang))

    def _id(self, pair: Pair) -> str:
        return f' id="{escape(pair.id)}"' if self.with_ids else ""

    # -- notes ----------------------------------------------------------------

    def _note_id(self, number: int, lang: str) -> str:
        return f"{self.chapter.id}-fn{number}-{lang}"

    def _call_id(self, number: int, lang: str) -> str:
        return f"{self.chapter.id}-fnref{number}-{lang}"

    def noteref(self, note_label: str, lang: str) -> str | None:
        number = self.note_numbers.get(note_label)
        if number is None:
            return None  # the text defines no such note: render_inline shows the label as written
        identity = ""
        # a note called twice: only the first call gets the id the note links back to
        if (number, lang) not in self.facts.referenced_notes:
            self.facts.referenced_notes.add((number, lang))
            identity = f' id="{self._call_id(number, lang)}"'
        return (
            f'<a epub:type="noteref" role="doc-noteref" class="noteref"'
            f' href="#{self._note_id(number, lang)}"{identity}>{number}</a>'
        )

    def notes(self) -> str:
        asides: list[str] = []
        seen: set[int] = set()
        for note in self.chapter.text.footnotes:
            number = self.note_numbers[note.label]
            if number in seen:
                continue
            seen.add(number)
            languages = "\n".join(self.aside(note, number, lang) for lang in self.languages)
            # a note's languages are a pair too: side by side on wide screens
            asides.append(
                f'<div class="pair note">\n{languages}\n</div>' if self.parallel else languages
            )
        return "\n".join(asides)

    def aside(self, note: FootnoteDef, number: int, lang: str) -> str:
        """One language of a note, written once per language so each call has its own target."""
        if (number, lang) in self.facts.referenced_notes:
            back = label("back_to_text", lang)
            number_html = (
                f'<a class="note-number" role="doc-backlink" href="#{self._call_id(number, lang)}"'
                f' title="{escape(back.text)}">{number}</a> '
            )
        else:
            number_html = f'<span class="note-number">{number}</span> '
        single = ChapterWriter(
            self.chapter,
            languages=(lang,),
            raw_html=self.raw_html,
            images=self.images,
            links=self.links,
            facts=self.facts,
            with_ids=False,
            columns=self.columns,
            typography=self.typography,
        )
        first, rest = (note.blocks[0], note.blocks[1:]) if note.blocks else (None, ())
        if isinstance(first, Paragraph):
            opening = single.pair(
                self.chapter.pair(first.segment),
                outer="p",
                part="p",
                single="p",
                prefix=number_html,
            )
        else:
            opening = f"<p>{number_html}</p>\n{single.block(first)}" if first is not None else ""
        body = "\n".join(filter(None, (opening, single.blocks(rest))))
        return (
            f'<aside epub:type="footnote" role="doc-footnote" id="{self._note_id(number, lang)}"'
            f' class="footnote {self.column_class(lang)}" {lang_attrs(lang)}>\n{body}\n</aside>'
        )

    # -- navigation -------------------------------------------------------------

    def toc_entry(self, file_name: str) -> TocEntry:
        """The chapter's title and its next-level headings, in every language of the edition."""
        headings = [block for block in self.chapter.text.blocks if isinstance(block, Heading)]
        if not headings:
            number = str(self.chapter.number)
            return TocEntry(file_name, tuple(TocLabel(number, lang) for lang in self.languages))
        title, *others = headings
        children = tuple(
            TocEntry(
                f"{file_name}#{self.chapter.pair(heading.segment).id}",
                self.toc_labels(heading.segment),
            )
            for heading in others
            if heading.level <= title.level + 1
        )
        return TocEntry(file_name, self.toc_labels(title.segment), children)

    def toc_labels(self, segment: Segment) -> tuple[TocLabel, ...]:
        pair = self.chapter.pair(segment)
        return tuple(
            TocLabel(
                plain_text(pair.text(lang), typography=self.typeset(pair, lang)),
                self._shown_lang(pair, lang),
            )
            for lang in self.languages
        )

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
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path
from typing import NamedTuple, assert_never
from urllib.parse import unquote, urlsplit

from bilingual_pub.assets import media_type
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
    SourceLocation,
    Table,
    footnote_numbers,
    iter_segments,
)
from bilingual_pub.render.inline import plain_text, render_inline, safe_url
from bilingual_pub.render.labels import label
from bilingual_pub.typography import Typesetter, typesetter

log = logging.getLogger(__name__)

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"

ImageResolver = Callable[[SourceLocation, str], Path]


def lang_attrs(lang: str) -> str:
    """HTML readers look at ``lang``, XML ones at ``xml:lang``: EPUB wants both, equal."""
    value = escape(lang)
    return f'lang="{value}" xml:lang="{value}"'


# --- images ------------------------------------------------------------------


# records are NamedTuples, not frozen dataclasses: quicker to create at start-up (epub.py)
class PackagedImage(NamedTuple):
    href: str  # relative to the content documents, e.g. "images/alliance-map.svg"
    source: Path
    media_type: str


class ImageStore:
    """Every image an edition uses, copied once, under a unique name without spaces."""

    def __init__(self, resolve: ImageResolver) -> None:
        self._resolve = resolve
        self._by_source: dict[Path, PackagedImage] = {}

    def add(self, location: SourceLocation, src: str) -> str:
        return self.add_file(self._resolve(location, src))

    def add_file(self, source: Path) -> str:
        known = self._by_source.get(source)
        if known is not None:
            return known.href
        href = self._unique_href(source)
        self._by_source[source] = PackagedImage(href, source, media_type(source))
        return href

    def _unique_href(self, source: Path) -> str:
        # file names in a package may not contain spaces (PKG-010); keep them plain ASCII
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", source.stem).strip("-") or "image"
        suffix = source.suffix.lower()
        taken = {image.href for image in self._by_source.values()}
        candidate, counter = f"images/{stem}{suffix}", 1
        while candidate in taken:
            counter += 1
            candidate = f"images/{stem}-{counter}{suffix}"
        return candidate

    @property
    def images(self) -> list[PackagedImage]:
        return sorted(self._by_source.values(), key=lambda image: image.href)


# --- links ---------------------------------------------------------------------

_LINK_TAG = re.compile(r'<a href="(?P<href>[^"]*)"(?P<rest>[^>]*)>|<a\s[^>]*>|</a>')
_KEPT_SCHEMES = {"http", "https", "mailto"}


class LinkResolver:
    """Points in-book links (``02-juarez.md``) at the right content document.

    A relative link that leads nowhere in the package would make the EPUB
    invalid (RSC-007/RSC-012), so it is unwrapped: its words stay, the link goes.
    """

    def __init__(self, files: Mapping[str, str], ids: Mapping[str, frozenset[str]]) -> None:
        self._files = files  # text path -> content document: "texts/01-a.md" -> "t01.xhtml"
        self._ids = ids  # content document -> the ids a link may target in it

    def rewrite(self, html: str, location: SourceLocation) -> str:
        if "<a" not in html:
            return html
        out: list[str] = []
        kept: list[bool] = []  # links cannot nest in Markdown, but note calls may sit inside one
        position = 0
        for match in _LINK_TAG.finditer(html):
            out.append(html[position : match.start()])
            position = match.end()
            tag = match.group(0)
            if tag == "</a>":
                if not kept or kept.pop():
                    out.append(tag)
            elif match.group("href") is None:
                kept.append(True)
                out.append(tag)
            else:
                target = self.target(unescape(match.group("href")), location)
                kept.append(target is not None)
                if target is not None:
                    out.append(f'<a href="{escape(target)}"{match.group("rest")}>')
        out.append(html[position:])
        return "".join(out)

    def target(self, href: str, location: SourceLocation) -> str | None:
        parts = urlsplit(href)
        if parts.scheme.lower() in _KEPT_SCHEMES:
            return href
        if parts.scheme or parts.netloc:
            return self._unresolved(href, location)
        document = self._document_for(parts.path, location)
        if document is None:
            return self._unresolved(href, location)
        if parts.fragment and parts.fragment in self._ids.get(document, frozenset()):
            return f"{document}#{parts.fragment}"
        return document

    def _document_for(self, path: str, location: SourceLocation) -> str | None:
        if not path:
            return self._files.get(location.path)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(location.path), unquote(path)))
        return self._files.get(joined)

    @staticmethod
    def _unresolved(href: str, location: SourceLocation) -> None:
        log.warning(
            "%s: link %r leads nowhere in the book; the EPUB keeps its words only", location, href
        )
        return None


def link_targets(chapter: Chapter) -> frozenset[str]:
    """The ids a link into this chapter may name: its body pairs (notes carry no pair ids)."""
    return frozenset(chapter.pair(segment).id for segment in iter_segments(chapter.text.blocks))


# --- trusted raw HTML ----------------------------------------------------------

# Elements that would need scripting, forms, or manifest properties the packager does not set.
_UNSAFE_ELEMENTS = {
    *("script", "iframe", "object", "embed", "form", "base", "meta", "link", "style"),
    *("svg", "math"),  # need manifest properties
}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
# Attributes a reading system loads at once: only a file in the package may be named there.
_RESOURCE_ATTRIBUTES = {"src", "poster", "data", "srcset", "background"}


def is_safe_xhtml(fragment: str) -> bool:
    """Well-formed XHTML with nothing executable: the only raw HTML an EPUB can take."""
    import xml.etree.ElementTree as ET  # only books that trust raw HTML need the XML parser

    try:
        root = ET.fromstring(f'<div xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}">{fragment}</div>')
    except ET.ParseError:
        return False
    for element in root.iter():
        if _local(element.tag).lower() in _UNSAFE_ELEMENTS:
            return False
        for name, value in element.attrib.items():
            attribute = _local(name).lower()
            if attribute.startswith("on"):
                return False
            if attribute in _URL_ATTRIBUTES and not safe_url(value):
                return False
            if attribute in _RESOURCE_ATTRIBUTES and _is_remote(value):
                return False
            if attribute == "style" and "url(" in value.replace(" ", "").lower():
                return False
    return True


def _is_remote(url: str) -> bool:
    """Anything but a plain relative path: a reading system would fetch it from the network."""
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace())
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return True
    return bool(parts.scheme or parts.netloc) or "," in cleaned


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


# --- the chapter -------------------------------------------------------------------


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

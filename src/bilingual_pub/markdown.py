"""The one place that configures markdown-it, for reading texts and rendering segments."""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin


@cache
def block_parser(*, raw_html: bool) -> MarkdownIt:
    """Parser for whole texts: CommonMark + tables + footnotes + YAML front matter.

    Inline Markdown is parsed only where the reader of texts looks at it (see
    ``_inline_where_read``): every block still has its ``content``.
    """
    md = MarkdownIt("commonmark", {"html": raw_html}).enable("table")
    md.use(front_matter_plugin)
    md.use(footnote_plugin, inline=False)
    md.core.ruler.at("normalize", _normalize)
    md.core.ruler.at("inline", _inline_where_read)
    return md


def _normalize(state: StateCore) -> None:
    """markdown-it's core ``normalize`` rule with ``str.replace`` instead of a regex.

    markdown-it substitutes every line end, ``\\n`` included, one match at a
    time: a tenth of the time of reading a long text.
    """
    state.src = state.src.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def _inline_where_read(state: StateCore) -> None:
    """markdown-it's core ``inline`` rule, for the blocks whose inline tokens are read.

    The reader of texts keeps each block's inline Markdown as written; it looks
    at inline tokens only to find a paragraph that is one image (a figure) and
    the footnote references (which tell it a definition is used).  A block
    without ``![`` or ``[^`` has neither, and parsing its inline Markdown would
    be a third of the time of reading a long text.
    """
    md, env = state.md, state.env
    for token in state.tokens:
        if token.type == "inline" and ("![" in token.content or "[^" in token.content):
            token.children = []
            md.inline.parse(token.content, md, env, token.children)


@cache
def inline_parser(*, raw_html: bool) -> MarkdownIt:
    """Parser for one segment's inline Markdown (a msgid or a msgstr).

    Footnote references match whatever their label: the renderer decides whether
    the text defines that note.
    """
    md = MarkdownIt("commonmark", {"html": raw_html})
    md.use(footnote_plugin, inline=False, always_match_refs=True)
    return md


class NoteOrImage(NamedTuple):
    """A footnote call or an image in a segment, and Markdown that shows it again."""

    what: str  # as the markup check names it: "footnote [^boats]", "image (map.png)"
    markdown: str
    is_call: bool


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # any ASCII punctuation may be escaped


def _escaped(text: str) -> str:
    return _PUNCTUATION.sub(r"\\\1", text)


def notes_and_images(text: str) -> list[NoteOrImage]:
    """Every footnote call and image of one segment's inline Markdown, in reading order."""
    if "[^" not in text and "![" not in text:
        return []
    tokens = inline_parser(raw_html=False).parseInline(text)
    found: list[NoteOrImage] = []
    for token in tokens[0].children or [] if tokens else []:
        if token.type == "footnote_ref":
            label = str(token.meta["label"])
            found.append(NoteOrImage(f"footnote [^{label}]", f"[^{label}]", is_call=True))
        elif token.type == "image":
            src = str(token.attrs.get("src", ""))
            title = str(token.attrs.get("title", "") or "")
            # token.content is the alt text as written: balanced brackets, safe to reuse
            quoted = f' "{_escaped(title)}"' if title else ""
            markdown = f"![{token.content}](<{_escaped(src)}>{quoted})"
            found.append(NoteOrImage(f"image ({src})", markdown, is_call=False))
    return found


def normalise_whitespace(text: str) -> str:
    """One msgid per paragraph, however the author wrapped it."""
    # Every whitespace character but the space is unprintable: a printable text without
    # double or outer spaces is already normal (most paragraphs: no copy is made).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())

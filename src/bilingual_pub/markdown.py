"""The one place that configures markdown-it, for reading texts and rendering segments."""

from __future__ import annotations

from functools import cache

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


def normalise_whitespace(text: str) -> str:
    """One msgid per paragraph, however the author wrapped it."""
    # Every whitespace character but the space is unprintable: a printable text without
    # double or outer spaces is already normal (most paragraphs: no copy is made).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())

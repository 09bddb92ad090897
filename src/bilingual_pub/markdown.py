"""The one place that configures markdown-it, for reading texts and rendering segments."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin


@cache
def block_parser(*, raw_html: bool) -> MarkdownIt:
    """Parser for whole texts: CommonMark + tables + footnotes + YAML front matter."""
    md = MarkdownIt("commonmark", {"html": raw_html}).enable("table")
    md.use(front_matter_plugin)
    md.use(footnote_plugin, inline=False)
    return md


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
    return " ".join(text.split())

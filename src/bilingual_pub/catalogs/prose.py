"""A segment's inline Markdown, parsed once: what markup it holds, and its prose.

The checks count markup with ``markup_inventory``; those that count characters or words
(numbers, punctuation, typography, the glossary) read ``prose``: the segment without code
spans, URLs and raw HTML, where `` `!=` `` is code, not an exclamation.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from markdown_it.token import Token

from bilingual_pub.markdown import inline_parser

# Every character that can open what the inventory counts: emphasis, code, brackets
# (links, notes, images) and "<" (raw HTML and autolinks).
_MARKUP_START = re.compile(r"[*_`\[<]")
_PARSER = inline_parser(raw_html=True)


@lru_cache(maxsize=4096)  # each text is read by several checks in a row
def _inline_tokens(text: str) -> tuple[Token, ...]:
    tokens = _PARSER.parseInline(text)
    return tuple(tokens[0].children or []) if tokens else ()


def markup_inventory(text: str) -> Counter[str]:
    """What inline markup a segment holds: emphasis, strong, code, links, notes, images."""
    inventory: Counter[str] = Counter()
    if _MARKUP_START.search(text) is None:  # most segments: nothing to parse (build runs this)
        return inventory
    for token in _inline_tokens(text):
        kind = token.type
        if kind in ("em_open", "strong_open", "code_inline"):
            inventory[kind.replace("_open", "")] += 1
        elif kind == "footnote_ref":
            inventory[f"footnote [^{token.meta['label']}]"] += 1
        elif kind == "link_open":
            inventory[f"link ({token.attrs.get('href', '')})"] += 1
        elif kind == "image":
            inventory[f"image ({token.attrs.get('src', '')})"] += 1
        elif kind in ("html_inline",):
            inventory["raw HTML"] += 1
    return inventory


_BARE_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_PROSE_BREAK = {"softbreak": " ", "hardbreak": "\n", "code_inline": " ", "html_inline": " "}


def prose(text: str) -> str:
    """The words a reader reads: ``text`` without code spans, URLs and raw HTML."""
    if _MARKUP_START.search(text) is not None:
        parts: list[str] = []
        in_autolink = False
        for token in _inline_tokens(text):
            if token.type == "link_open" and token.markup == "autolink":
                in_autolink = True
            elif token.type == "link_close":
                in_autolink = False
            elif token.type in ("text", "image") and not in_autolink:
                parts.append(token.content)
            else:
                parts.append(_PROSE_BREAK.get(token.type, ""))
        text = "".join(parts)
    if "://" in text or "www." in text:
        text = _BARE_URL.sub(" ", text)
    return text

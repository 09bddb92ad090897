"""One segment's inline Markdown -> safe (X)HTML.

Translations are untrusted text: raw HTML in them is escaped, and links keep
only web, mail and in-book targets.  The output is well-formed XML, so the
same function serves the PDF's HTML and the EPUB's XHTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from urllib.parse import urlsplit

from markdown_it.token import Token

from bilingual_pub.markdown import inline_parser
from bilingual_pub.typography import Typesetter

SAFE_SCHEMES = {"http", "https", "mailto", ""}

# Every character that can start markup, an entity, an escape or a line break under the
# parser's rules (CommonMark, footnote references), and the two its normaliser rewrites.
# Most segments hold none of them and would parse to one text token: they skip the parser,
# which is most of the time spent rendering a chapter.  tests/test_inline.py holds the two
# paths to the same output.
MARKUP_CHARACTERS = frozenset("\\`*_[]!<>&~\n\r\0")
_MARKUP_CHARACTER = re.compile("[" + re.escape("".join(sorted(MARKUP_CHARACTERS))) + "]")

FootnoteHook = Callable[[str], str | None]  # label -> HTML of the call, or None if undefined
ImageHook = Callable[[str, str, str], str]  # src, alt, title -> HTML


def safe_url(url: str) -> bool:
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace())
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    return scheme in SAFE_SCHEMES


def render_inline(
    text: str,
    *,
    raw_html: bool = False,
    footnote: FootnoteHook | None = None,
    image: ImageHook | None = None,
    typography: Typesetter | None = None,
) -> str:
    """``typography``: the rules of the language the text is in (None: as typed)."""
    if is_plain(text):
        return escape(typography.text(text) if typography else text, quote=False)
    tokens = inline_parser(raw_html=raw_html).parseInline(text)
    children = tokens[0].children or [] if tokens else []
    if typography:
        typography.tokens(children)
    return _render(children, raw_html=raw_html, footnote=footnote, image=image)


def plain_text(text: str, *, typography: Typesetter | None = None) -> str:
    """The words of a segment without markup (for titles, alt text, metadata)."""
    if is_plain(text):
        return (typography.text(text) if typography else text).strip()
    tokens = inline_parser(raw_html=False).parseInline(text)
    children = tokens[0].children or [] if tokens else []
    if typography:
        typography.tokens(children)
    parts: list[str] = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(token.content)
    return "".join(parts).strip()


def is_plain(text: str) -> bool:
    """True if the text is words only: no character of it can start inline markup."""
    return _MARKUP_CHARACTER.search(text) is None  # a regex scans 2.5x faster than a set


def image_sources(text: str) -> list[str]:
    """The ``src`` of every inline image a segment shows (they must be files in the project)."""
    if "![" not in text:
        return []
    tokens = inline_parser(raw_html=False).parseInline(text)
    children = tokens[0].children or [] if tokens else []
    return [str(token.attrs.get("src", "")) for token in children if token.type == "image"]


def _render(
    children: list[Token],
    *,
    raw_html: bool,
    footnote: FootnoteHook | None,
    image: ImageHook | None,
) -> str:
    out: list[str] = []
    open_links: list[bool] = []  # for each link_open: did we emit <a>?
    for token in children:
        kind = token.type
        if kind == "text":
            out.append(escape(token.content, quote=False))
        elif kind == "softbreak":
            out.append("\n")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind == "code_inline":
            out.append(f"<code>{escape(token.content, quote=False)}</code>")
        elif kind in ("em_open", "em_close", "strong_open", "strong_close"):
            tag = kind.split("_")[0]
            out.append(f"<{tag}>" if kind.endswith("open") else f"</{tag}>")
        elif kind == "link_open":
            href = str(token.attrs.get("href", ""))
            emitted = safe_url(href)
            open_links.append(emitted)
            if emitted:
                title = token.attrs.get("title")
                title_attr = f' title="{escape(str(title))}"' if title else ""
                out.append(f'<a href="{escape(href)}"{title_attr}>')
        elif kind == "link_close":
            if open_links.pop():
                out.append("</a>")
        elif kind == "image":
            src = str(token.attrs.get("src", ""))
            alt = token.content
            title = str(token.attrs.get("title", "") or "")
            out.append(image(src, alt, title) if image else escape(alt, quote=False))
        elif kind == "footnote_ref":
            label = str(token.meta["label"])
            call = footnote(label) if footnote else None
            out.append(call if call is not None else escape(f"[^{label}]", quote=False))
        elif kind == "html_inline":
            out.append(token.content if raw_html else escape(token.content, quote=False))
        else:
            out.append(escape(token.content, quote=False))
    return "".join(out)

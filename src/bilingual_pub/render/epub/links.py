"""Links in an EPUB chapter, and the raw HTML an EPUB can take.

In-book links (``02-juarez.md``) point at the content document the text became; a
link that leads nowhere in the package is unwrapped.  Raw HTML, trusted in the
authors' texts only, goes into a chapter as it is only when it is well-formed XHTML
with nothing executable and nothing fetched from the network.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Mapping
from html import escape, unescape
from urllib.parse import unquote, urlsplit

from bilingual_pub.model import (
    Chapter,
    SourceLocation,
    iter_segments,
)
from bilingual_pub.render.inline import safe_url

log = logging.getLogger(__name__)


XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"

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

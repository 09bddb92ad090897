"""Per-language typography: quotes, apostrophes, dashes, ellipses and unbreakable spaces.

Authors and translators type straight quotes, ``--`` and ``...``; a publisher sets
“quotes”, ’ and – — … as each language wants them.  This happens when a writer
renders a segment, never in the texts or the catalogs.

The rules work on one segment at a time, as one stream of characters: the text
tokens of its inline Markdown joined, emphasis and links (their words, not their
targets) and note calls transparent, code and images standing in as one opaque
character (a word the rules never change), URLs and HTML tags masked the same way.  So a quote
that opens before ``*emphasis*`` closes after it, and nothing inside code moves.

Quotes are paired first, by the character typed (``"`` with ``"``, ``'`` with
``'``, a typed “ with ”), then set by their depth: Spanish gets « » at the first
level, “ ” at the second, ‘ ’ at the third, whatever the author typed.  Quotes
typed curly are kept as they are and count for the depth.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it.token import Token

from bilingual_pub.config import Typography
from bilingual_pub.markdown import inline_parser

NBSP = "\u00a0"
WORD_JOINER = "\u2060"  # no line break on either side, no width
OPAQUE = "\ufffc"  # code, an image or a URL: a word the rules do not touch
HIDDEN = "\ufffe"  # an HTML tag shown as text: as if it were not there, and not touched

# Quote sets by language (the part of a tag before "-"): each pair is one depth.
DEFAULT_QUOTES = {
    "en": "“”‘’",  # then “ ” again: English alternates
    "es": "«»“”‘’",  # RAE, Ortografía 2010, §3.4.8
}
APOSTROPHE = "’"
# languages that open and close speech and asides with a raya tight against the words
DIALOGUE_LANGUAGES = frozenset({"es"})

_TYPED_PAIRS = {"“": "”", "«": "»", "‘": "’", "„": "“", "‚": "‘"}
_TYPED_CLOSERS = {closer: opener for opener, closer in _TYPED_PAIRS.items() if opener in "“«‘"}
_QUOTE = re.compile("[\"'“”‘’«»]")
_DASHES = re.compile(r"(?<!-)-{2,3}(?!-)")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_RAYA = re.compile("—|(?<!-)---(?!-)")
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:)[^\s<>\"]*[^\s<>\"'.,;:!?)\]]")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->")
_UNITS = (
    "%|‰|°C|°F|°|€|£|\\$|km/h|km²|km|m²|m³|m|cm|mm|µm|nm|kg|mg|g|t|ml|cl|dl|l|h|min|s|ms"
    "|ha|kWh|kW|MW|GW|W|V|Hz|kHz|MHz|GHz|KB|MB|GB|TB|USD|EUR|MXN|pesos|dólares|dollars"
)
_NUMBER_UNIT = re.compile(rf"\d (?:{_UNITS})(?!\w)")
_SPACE_BEFORE_NUMBER = re.compile(r" (?=\d)")
# words after which a number must not start the next line: p. 12, n.º 5
ABBREVIATIONS = frozenset(
    [
        "p.",
        "pp.",
        "n.º",
        "n.o",
        "nº",
        "núm.",
        "No.",
        "no.",
        "vol.",
        "vols.",
        "cap.",
        "art.",
        "fig.",
        "pág.",
        "págs.",
        "§",
        "ch.",
        "sec.",
    ]
)
_LEADING_PUNCTUATION = "([{«“‘\"'¿¡—"
_SINGLE_LETTER_SPACE = re.compile(r"(?<![\w'’.])[^\W\d_] (?=\S)")
# a quick look for anything the rules could change: most segments hold none of it
_CANDIDATE = re.compile(r"[\"'“”‘’«»—]|--|\.\.\.|\d |[.º§] \d")
_OPENING_NEIGHBOURS = frozenset("([{<—–-/¿¡«“‘\"'")


@dataclass(frozen=True)
class Typesetter:
    """The typographic rules of one language (a book's ``[typography]`` applied to it)."""

    lang: str
    quotes: tuple[tuple[str, str], ...]  # (opening, closing) by depth; () keeps straight quotes
    dialogue: bool = False
    nbsp_single_letter: bool = False

    def text(self, text: str) -> str:
        """A segment without markup, set."""
        if _CANDIDATE.search(text) is None and not self.nbsp_single_letter:
            return text
        edits = self.edits(text)
        return _apply(text, edits, 0, len(text)) if edits else text

    def tokens(self, children: list[Token]) -> None:
        """Set the words of a segment's inline tokens in place; code, HTML and URLs untouched."""
        stream, owners = _stream(children)
        if _CANDIDATE.search(stream) is None and not self.nbsp_single_letter:
            return
        edits = self.edits(stream)
        if not edits:
            return
        positions = sorted(edits)
        for token, start in owners:
            end = start + len(token.content)
            first = bisect_left(positions, start)
            if first < len(positions) and positions[first] < end:
                token.content = _apply(stream, edits, start, end)

    def edits(self, stream: str) -> dict[int, str]:
        """What replaces each changed character of ``stream`` (a character may become several)."""
        masked = _mask_verbatim(stream)
        edits: dict[int, str] = {}
        _quote_edits(masked, self.quotes, edits)
        if "--" in masked:
            for match in _DASHES.finditer(masked):
                start = match.start()
                edits[start] = "–" if len(match.group()) == 2 else "—"
                for index in range(start + 1, match.end()):
                    edits[index] = ""
        if "..." in masked:
            for match in _ELLIPSIS.finditer(masked):
                start = match.start()
                edits.update({start: "…", start + 1: "", start + 2: ""})
        if self.dialogue and ("—" in masked or "---" in masked):
            _raya_edits(masked, edits)
        _space_edits(masked, edits, single_letter=self.nbsp_single_letter)
        return edits


@lru_cache(maxsize=64)
def typesetter(settings: Typography, lang: str) -> Typesetter | None:
    """The rules for text in ``lang``, or None when the book turned typography off."""
    if not settings.smart:
        return None
    base = lang.split("-")[0]
    quote_set = settings.quotes_for(lang) or DEFAULT_QUOTES.get(base, "")
    pairs = tuple((quote_set[i], quote_set[i + 1]) for i in range(0, len(quote_set), 2))
    return Typesetter(
        lang=lang,
        quotes=pairs,
        dialogue=base in DIALOGUE_LANGUAGES,
        nbsp_single_letter=settings.nbsp_single_letter,
    )


# --- the stream of one segment's words -------------------------------------------

# a note call sits after the words it annotates, outside their quotes: "call"[^1]
_TRANSPARENT = frozenset(
    {"em_open", "em_close", "strong_open", "strong_close", "html_inline", "footnote_ref"}
)


def _stream(children: list[Token]) -> tuple[str, list[tuple[Token, int]]]:
    """The segment's words as one string, and where each text token starts in it."""
    parts: list[str] = []
    owners: list[tuple[Token, int]] = []
    position = 0
    in_autolink = False
    for token in children:
        kind = token.type
        if kind in ("link_open", "link_close"):
            in_autolink = kind == "link_open" and token.markup == "autolink"
            continue
        if kind == "text" and not in_autolink:
            owners.append((token, position))
            part = token.content
        elif kind in ("softbreak", "hardbreak"):
            part = " "
        elif kind in _TRANSPARENT:
            continue
        else:  # code, images, an autolink's address
            part = OPAQUE
        parts.append(part)
        position += len(part)
    return "".join(parts), owners


def _apply(stream: str, edits: dict[int, str], start: int, end: int) -> str:
    parts: list[str] = []
    last = start
    for index in sorted(index for index in edits if start <= index < end):
        parts += (stream[last:index], edits[index])
        last = index + 1
    parts.append(stream[last:end])
    return "".join(parts)


def _mask_verbatim(stream: str) -> str:
    """URLs and HTML tags (shown as text where HTML is not trusted) stay as typed: each of
    their characters becomes an opaque one."""
    if "<" in stream:
        stream = _TAG.sub(lambda match: HIDDEN * len(match.group()), stream)
    if "://" in stream or "www." in stream or "mailto:" in stream:
        stream = _URL.sub(_opaque, stream)
    return stream


def _opaque(match: re.Match[str]) -> str:
    return OPAQUE * len(match.group())


def _space_edits(stream: str, edits: dict[int, str], *, single_letter: bool) -> None:
    """Spaces a line must not break at: 10 km, 3,5 %, p. 12 (and after y, o, a if asked)."""
    for match in _NUMBER_UNIT.finditer(stream):
        edits[match.start() + 1] = NBSP
    for match in _SPACE_BEFORE_NUMBER.finditer(stream):
        index = match.start()
        word = stream[stream.rfind(" ", 0, index) + 1 : index].lstrip(_LEADING_PUNCTUATION)
        if word in ABBREVIATIONS:
            edits[index] = NBSP
    if single_letter:
        for match in _SINGLE_LETTER_SPACE.finditer(stream):
            edits[match.end() - 1] = NBSP


# --- quotes -----------------------------------------------------------------------


def _is_space(char: str) -> bool:
    return char == "" or char.isspace()


def _is_punctuation(char: str) -> bool:
    return char != OPAQUE and char != "" and unicodedata.category(char)[0] in "PS"


def _is_word(char: str) -> bool:
    return char == OPAQUE or char.isalnum()


@dataclass
class _Mark:
    """One quote character: a straight one to set, or a typed one that counts for depth."""

    index: int
    kind: str  # '"', "'", or the typed opening quote
    opening: bool
    partner: _Mark | None = None


def _quote_edits(stream: str, quotes: tuple[tuple[str, str], ...], edits: dict[int, str]) -> None:
    marks = list(_pair_quotes(stream))
    depth = 0
    for mark in marks:
        if mark.partner is not None and mark.opening:
            depth += 1
        level = quotes[(max(depth, 1) - 1) % len(quotes)] if quotes else None
        if mark.kind == "'" and mark.partner is None:
            edits[mark.index] = APOSTROPHE  # an opening quote never closed: ’tis, ’em
        elif mark.kind in "\"'" and level is not None:
            if mark.partner is None and mark.opening:  # opened, never closed: a level deeper
                level = quotes[depth % len(quotes)]
            edits[mark.index] = level[0] if mark.opening else level[1]
        if mark.partner is not None and not mark.opening:
            depth -= 1


def _pair_quotes(stream: str) -> Iterable[_Mark]:
    """Every quote mark of the stream in order, openers linked to their closers."""
    marks: list[_Mark] = []
    open_marks: list[_Mark] = []
    for match in _QUOTE.finditer(stream):
        index = match.start()
        char = stream[index]
        before, after = _neighbour(stream, index, -1), _neighbour(stream, index, 1)
        closing_place = not _is_space(before) and (_is_space(after) or _is_punctuation(after))
        if char in "“«‘":
            if char == "‘" or not closing_place:
                _open(marks, open_marks, index, char)
        elif char == "’":
            if closing_place and not _is_word(after):  # else an apostrophe: don’t
                _close(marks, open_marks, index, "‘")
        elif char in "”»":
            if not _close(marks, open_marks, index, _TYPED_CLOSERS[char]):
                marks.append(_Mark(index, _TYPED_CLOSERS[char], opening=False))
        elif char == "'" and _is_word(before) and _is_word(after):
            marks.append(_Mark(index, "'", opening=False))  # don't, l'eau: an apostrophe
        elif closing_place and _close(marks, open_marks, index, char):
            continue
        elif char == "'" and (closing_place or after.isdigit()):
            marks.append(_Mark(index, "'", opening=False))  # workers', '90s
        elif not _is_space(after):
            _open(marks, open_marks, index, char)
        elif closing_place:
            marks.append(_Mark(index, char, opening=False))  # a closer without an opener
    return marks


def _neighbour(stream: str, index: int, step: int) -> str:
    """The character next to ``index`` (step -1: before it), looking through hidden tags."""
    index += step
    while 0 <= index < len(stream) and stream[index] == HIDDEN:
        index += step
    return stream[index] if 0 <= index < len(stream) else ""


def _open(marks: list[_Mark], open_marks: list[_Mark], index: int, kind: str) -> None:
    mark = _Mark(index, kind, opening=True)
    marks.append(mark)
    open_marks.append(mark)


def _close(marks: list[_Mark], open_marks: list[_Mark], index: int, kind: str) -> bool:
    """Close the innermost open quote of ``kind``; quotes opened inside it stay unpaired."""
    for position in range(len(open_marks) - 1, -1, -1):
        opener = open_marks[position]
        if opener.kind == kind:
            closer = _Mark(index, kind, opening=False, partner=opener)
            opener.partner = closer
            marks.append(closer)
            del open_marks[position:]
            return True
    return False


# --- rayas -----------------------------------------------------------------------


def _raya_edits(stream: str, edits: dict[int, str]) -> None:
    """A raya sits tight against the speech it opens and the aside it closes: join them."""
    for match in _RAYA.finditer(stream):
        start, end = match.start(), match.end()
        before = stream[start - 1] if start else ""
        after = stream[end] if end < len(stream) else ""
        last = end - 1
        if _is_space(before) or before in _OPENING_NEIGHBOURS:
            if after == " " and end + 1 < len(stream) and not stream[end + 1].isspace():
                edits[end] = NBSP  # a space the check reports; meanwhile it must not break
            elif not _is_space(after):
                edits[last] = edits.get(last, stream[last]) + WORD_JOINER
        elif _is_space(after) or _is_punctuation(after):
            edits[start] = WORD_JOINER + edits.get(start, stream[start])


# --- what ``check`` reports ----------------------------------------------------------

_STRAIGHT_DOUBLE = '"'
_CURLY_DOUBLE = frozenset("“”«»„")
_CURLY_SINGLE = frozenset("‘’‚")
_SPACED_RAYA = re.compile(r"(?:^|(?<=\s))(?:—|(?<!-)---(?!-)) (?=\S)")


def words(text: str) -> str:
    """A segment's words as the rules see them: code, URLs and HTML each one opaque mark."""
    tokens = inline_parser(raw_html=True).parseInline(text)
    stream, _ = _stream(tokens[0].children or [] if tokens else [])
    return _mask_verbatim(stream)


def _unbalanced_quotes(text: str) -> list[str]:
    found = []
    if text.count(_STRAIGHT_DOUBLE) % 2:
        found.append('"')
    for opening, closing in (("“", "”"), ("«", "»")):
        if text.count(opening) != text.count(closing):
            found.append(f"{opening}…{closing}")
    return found


def typography_problems(source: str, translation: str, target_language: str) -> list[str]:
    """Typographic slips in a translation, said in a sentence each (nothing here is an error)."""
    source_words, target_words = words(source), words(translation)
    problems = []
    balanced_source = not _unbalanced_quotes(source_words)  # a quote running on is the author's
    for quote in _unbalanced_quotes(target_words) if balanced_source else []:
        problems.append(f"unbalanced quotes {quote}")
    if target_language.split("-")[0] in DIALOGUE_LANGUAGES:
        for match in _SPACED_RAYA.finditer(target_words):
            shown = target_words[match.start() : match.end() + 12].strip()
            problems.append(f"a raya followed by a space: {shown!r} (it belongs to the word after)")
    for straight, curly in ((_STRAIGHT_DOUBLE, _CURLY_DOUBLE), ("'", _CURLY_SINGLE)):
        if (
            straight in target_words
            and straight not in source_words
            and not curly.isdisjoint(source_words)
        ):
            problems.append(
                f"straight {straight} where the source's quotes are curly"
                " (rendered right, but the catalog disagrees with the source)"
            )
    return problems

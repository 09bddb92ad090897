"""Markdown texts -> SourceText (a block tree whose leaves are Segments).

markdown-it's tokens keep the source lines of every block (``token.map``), so
each Segment records ``path:line``.  The inline Markdown of each block is kept
as written (``*em*``, ``[text](url)``, ``[^1]``) with whitespace normalised: that
string is the msgid.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from bilingual_pub.errors import SourceError
from bilingual_pub.markdown import block_parser, normalise_whitespace
from bilingual_pub.model import (
    Block,
    Code,
    Figure,
    FootnoteDef,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    RawHtml,
    Rule,
    Segment,
    SegmentKind,
    SourceLocation,
    SourceText,
    Table,
    iter_segments,
)

log = logging.getLogger(__name__)

FRONT_MATTER_KEYS = {"lang", "running_head"}


def read_text(
    path: Path, *, root: Path, default_lang: str, languages: Sequence[str], raw_html: bool = False
) -> SourceText:
    """Read one Markdown file of the book."""
    relative = path.relative_to(root).as_posix()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read text: {error.strerror}", relative) from None
    if b"\x00" in data:
        raise SourceError("not a text file (it contains NUL bytes)", relative)
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError("not valid UTF-8 text", relative, line) from None
    return parse_text(
        source, path=relative, default_lang=default_lang, languages=languages, raw_html=raw_html
    )


def parse_text(
    source: str,
    *,
    path: str,
    default_lang: str,
    languages: Sequence[str],
    raw_html: bool = False,
) -> SourceText:
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    # HTML blocks are always recognised, so they are never translated: ``raw_html`` only
    # decides how they are rendered (as HTML, or shown as text), not what is a segment.
    parser = block_parser(raw_html=True)
    env: dict[str, Any] = {}
    tokens = parser.parse(source, env)
    _check_nesting(tokens, path, int(parser.options["maxNesting"]))
    _check_footnotes_referenced(env, source, path)
    lang = default_lang
    running_head = None
    if tokens and tokens[0].type == "front_matter":
        meta = parse_front_matter(tokens[0].content, path=path)
        lang = meta.get("lang", default_lang)
        if meta.get("running_head", "").strip():
            line = _front_matter_line(tokens[0].content, "running_head")
            running_head = Segment(
                normalise_whitespace(meta["running_head"]),
                SegmentKind.RUNNING_HEAD,
                SourceLocation(path, line),
            )
        if lang not in languages:
            raise SourceError(
                f"front matter: lang {lang!r} is not one of the book's languages "
                f"({', '.join(languages)})",
                path,
                _front_matter_line(tokens[0].content, "lang"),
            )
        tokens = tokens[1:]
    elif source.startswith("---\n"):
        raise SourceError("front matter is not closed by a '---' line", path, 1)
    builder = _TreeBuilder(tokens, path)
    blocks, footnotes = builder.build()
    return SourceText(
        stem=Path(path).stem,
        path=path,
        lang=lang,
        blocks=tuple(blocks),
        footnotes=tuple(footnotes),
        running_head=running_head,
    )


# Blocks whose content markdown-it parses by calling its block tokenizer again.
_CONTAINERS = {
    "blockquote_open",
    "bullet_list_open",
    "ordered_list_open",
    "list_item_open",
    "footnote_reference_open",
}


def _check_nesting(tokens: list[Token], path: str, limit: int) -> None:
    """Refuse nesting deeper than markdown-it follows: past it, the text would be dropped."""
    for token in tokens:
        if token.nesting == 1 and token.level >= limit - 1 and token.type in _CONTAINERS:
            line = token.map[0] + 1 if token.map else None
            raise SourceError(
                f"lists and quotes are nested too deeply here (at most {limit - 1} levels, "
                "a list counting as two): the text inside would be lost",
                path,
                line,
            )


def _check_footnotes_referenced(env: dict[str, Any], source: str, path: str) -> None:
    """Refuse a footnote definition nothing refers to: markdown-it drops it, text and all."""
    refs: dict[str, int] = env.get("footnotes", {}).get("refs", {})
    orphans = [key[1:] for key, number in refs.items() if number < 0]
    if not orphans:
        return
    label = orphans[0]
    line = next(
        (
            number
            for number, text in enumerate(source.split("\n"), start=1)
            if text.lstrip().startswith(f"[^{label}]:")
        ),
        None,
    )
    raise SourceError(
        f"footnote [^{label}] is never referenced (labels are case-sensitive): "
        "its text would be lost; refer to it with [^" + label + "] or delete it",
        path,
        line,
    )


def _front_matter_line(content: str, key: str) -> int:
    """The line of ``key:`` in the front matter (the opening ``---`` is line 1)."""
    for number, raw in enumerate(content.splitlines(), start=2):
        if re.match(rf"^\s*{re.escape(key)}\s*:", raw):
            return number
    return 1


def parse_front_matter(content: str, *, path: str) -> dict[str, str]:
    """The small YAML subset texts need: ``key: value`` lines."""
    meta: dict[str, str] = {}
    for number, raw in enumerate(content.splitlines(), start=2):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not match:
            raise SourceError(f"front matter: expected 'key: value', got {line!r}", path, number)
        key, value = match.group(1), match.group(2).strip().strip("\"'")
        if key not in FRONT_MATTER_KEYS:
            raise SourceError(
                f"front matter: unknown key {key!r} "
                f"(known: {', '.join(sorted(FRONT_MATTER_KEYS))})",
                path,
                number,
            )
        meta[key] = value
    return meta


class _TreeBuilder:
    """Walks markdown-it's flat token stream and rebuilds the block tree."""

    def __init__(self, tokens: list[Token], path: str):
        self.tokens = tokens
        self.path = path
        self.pos = 0

    def build(self) -> tuple[list[Block], list[FootnoteDef]]:
        blocks: list[Block] = []
        footnotes: list[FootnoteDef] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if token.type == "footnote_block_open":
                self.pos += 1
                footnotes.extend(self._footnotes())
            else:
                blocks.extend(self._blocks_until(None, SegmentKind.PARAGRAPH))
        return blocks, footnotes

    # -- helpers ---------------------------------------------------------------

    def _location(self, token: Token) -> SourceLocation:
        line = token.map[0] + 1 if token.map else 1
        return SourceLocation(self.path, line)

    def _segment(self, inline: Token, kind: SegmentKind, opener: Token) -> Segment:
        return Segment(normalise_whitespace(inline.content), kind, self._location(opener))

    def _blocks_until(self, closing: str | None, kind: SegmentKind) -> list[Block]:
        """Blocks up to the token type ``closing`` (consumed), or one block if None."""
        blocks: list[Block] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if closing is not None and token.type == closing:
                self.pos += 1
                return blocks
            if closing is None and token.type == "footnote_block_open":
                return blocks
            block = self._block(kind)
            if block is not None:
                blocks.append(block)
            if closing is None:
                return blocks
        return blocks

    def _block(self, kind: SegmentKind) -> Block | None:
        token = self.tokens[self.pos]
        kind_of = token.type
        if kind_of == "heading_open":
            inline = self.tokens[self.pos + 1]
            self.pos += 3
            return Heading(int(token.tag[1]), self._segment(inline, SegmentKind.HEADING, token))
        if kind_of == "paragraph_open":
            inline = self.tokens[self.pos + 1]
            self.pos += 3
            return self._paragraph(token, inline, kind)
        if kind_of in ("bullet_list_open", "ordered_list_open"):
            return self._list(token)
        if kind_of == "blockquote_open":
            self.pos += 1
            return Quote(tuple(self._blocks_until("blockquote_close", SegmentKind.QUOTE)))
        if kind_of in ("fence", "code_block"):
            self.pos += 1
            return Code(token.content, token.info.strip())
        if kind_of == "html_block":
            self.pos += 1
            return RawHtml(token.content)
        if kind_of == "hr":
            self.pos += 1
            return Rule()
        if kind_of == "table_open":
            return self._table()
        log.debug("%s: skipping token %s", self._location(token), kind_of)
        self.pos += 1
        return None

    def _paragraph(self, opener: Token, inline: Token, kind: SegmentKind) -> Block:
        children = [
            c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())
        ]
        if len(children) == 1 and children[0].type == "image":
            image = children[0]
            caption = normalise_whitespace(image.content)
            return Figure(
                src=str(image.attrs.get("src", "")),
                title=str(image.attrs.get("title", "") or ""),
                segment=Segment(caption, SegmentKind.CAPTION, self._location(opener)),
            )
        return Paragraph(self._segment(inline, kind, opener))

    def _list(self, opener: Token) -> ListBlock:
        closing = opener.type.replace("_open", "_close")
        ordered = opener.type == "ordered_list_open"
        start = int(opener.attrs.get("start", 1) or 1) if ordered else 1
        self.pos += 1
        items: list[ListItem] = []
        tight = True
        while self.tokens[self.pos].type != closing:
            item_open = self.tokens[self.pos]
            assert item_open.type == "list_item_open"
            self.pos += 1
            item_start = self.pos
            blocks = self._blocks_until("list_item_close", SegmentKind.ITEM)
            inside = self.tokens[item_start : self.pos]
            if any(t.type == "paragraph_open" and not t.hidden for t in inside):
                tight = False
            items.append(ListItem(tuple(blocks)))
        self.pos += 1
        return ListBlock(ordered=ordered, start=start, items=tuple(items), tight=tight)

    def _table(self) -> Table:
        header: list[Segment] = []
        rows: list[tuple[Segment, ...]] = []
        aligns: list[str] = []
        current: list[Segment] = []
        row_opener = self.tokens[self.pos]
        self.pos += 1
        while self.tokens[self.pos].type != "table_close":
            token = self.tokens[self.pos]
            if token.type == "tr_open" and token.map:
                row_opener = token  # cells carry no line numbers; their row does
            if token.type in ("th_open", "td_open"):
                inline = self.tokens[self.pos + 1]
                segment = self._segment(inline, SegmentKind.CELL, row_opener)
                if token.type == "th_open":
                    header.append(segment)
                    style = str(token.attrs.get("style", ""))
                    aligns.append(style.replace("text-align:", "").strip())
                else:
                    current.append(segment)
                self.pos += 3
                continue
            if token.type == "tr_close" and current:
                rows.append(tuple(current))
                current = []
            self.pos += 1
        self.pos += 1
        return Table(header=tuple(header), rows=tuple(rows), aligns=tuple(aligns))

    def _footnotes(self) -> list[FootnoteDef]:
        notes: list[FootnoteDef] = []
        while self.tokens[self.pos].type != "footnote_block_close":
            token = self.tokens[self.pos]
            if token.type == "footnote_open":
                label = str(token.meta.get("label", ""))
                self.pos += 1
                blocks: list[Block] = []
                while self.tokens[self.pos].type != "footnote_close":
                    if self.tokens[self.pos].type == "footnote_anchor":
                        self.pos += 1
                        continue
                    block = self._block(SegmentKind.FOOTNOTE)
                    if block is not None:
                        blocks.append(block)
                location = _first_location(blocks) or SourceLocation(self.path, 1)
                notes.append(FootnoteDef(label, tuple(blocks), location))
            self.pos += 1
        self.pos += 1
        return notes


def _first_location(blocks: list[Block]) -> SourceLocation | None:
    segments = iter_segments(tuple(blocks))
    return segments[0].location if segments else None

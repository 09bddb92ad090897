"""The typed values passed between the pipeline's stages.

Every segment remembers where it came from (``SourceLocation``) so that PO
references, warnings and errors point back into the author's Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Union


@dataclass(frozen=True, order=True)
class SourceLocation:
    path: str  # POSIX path relative to the project root, e.g. "texts/01-origins.md"
    line: int  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class SegmentKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "list item"
    QUOTE = "quote"
    CELL = "table cell"
    CAPTION = "caption"
    FOOTNOTE = "footnote"


@dataclass(frozen=True)
class Segment:
    """One translatable unit: its text is Markdown inline source, whitespace normalised."""

    text: str
    kind: SegmentKind
    location: SourceLocation


# --- The block tree of one text.  Leaves hold Segments; writers walk the tree. ---


@dataclass(frozen=True)
class Heading:
    level: int
    segment: Segment


@dataclass(frozen=True)
class Paragraph:
    segment: Segment


@dataclass(frozen=True)
class Figure:
    """A paragraph that holds only an image: the alt text is the caption."""

    src: str
    title: str
    segment: Segment


@dataclass(frozen=True)
class ListItem:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[ListItem, ...]
    tight: bool


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[Segment, ...]
    rows: tuple[tuple[Segment, ...], ...]
    aligns: tuple[str, ...]


@dataclass(frozen=True)
class Code:
    """Not translated: shown identically in both languages."""

    text: str
    info: str


@dataclass(frozen=True)
class RawHtml:
    """Not translated; rendered as text unless the book trusts its authors' HTML."""

    text: str


@dataclass(frozen=True)
class Rule:
    pass


Block = Union[  # noqa: UP007 -- a runtime alias of classes defined above
    Heading, Paragraph, Figure, ListBlock, Quote, Table, Code, RawHtml, Rule
]


@dataclass(frozen=True)
class FootnoteDef:
    label: str
    blocks: tuple[Block, ...]
    location: SourceLocation


@dataclass(frozen=True)
class SourceText:
    """One Markdown text, parsed: the block tree plus its footnote definitions."""

    stem: str  # file stem, names the catalog: locales/<stem>.pot
    path: str  # relative POSIX path
    lang: str  # the language the text is written in
    blocks: tuple[Block, ...]
    footnotes: tuple[FootnoteDef, ...] = field(default=())


def iter_segments(blocks: tuple[Block, ...]) -> list[Segment]:
    """Every segment of a block tree in reading order."""
    found: list[Segment] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph | Figure):
            found.append(block.segment)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found.extend(iter_segments(item.blocks))
        elif isinstance(block, Quote):
            found.extend(iter_segments(block.blocks))
        elif isinstance(block, Table):
            found.extend(block.header)
            for row in block.rows:
                found.extend(row)
    return found


def iter_figures(blocks: tuple[Block, ...]) -> list[Figure]:
    """Every figure of a block tree (in lists and quotes too), in reading order."""
    found: list[Figure] = []
    for block in blocks:
        if isinstance(block, Figure):
            found.append(block)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found.extend(iter_figures(item.blocks))
        elif isinstance(block, Quote):
            found.extend(iter_figures(block.blocks))
    return found


def text_figures(text: SourceText) -> list[Figure]:
    """All figures of a text: body first, then footnote definitions."""
    found = iter_figures(text.blocks)
    for note in text.footnotes:
        found.extend(iter_figures(note.blocks))
    return found


def text_segments(text: SourceText) -> list[Segment]:
    """All segments of a text: body first, then footnote definitions."""
    found = iter_segments(text.blocks)
    for note in text.footnotes:
        found.extend(iter_segments(note.blocks))
    return found


def footnote_numbers(text: SourceText) -> dict[str, int]:
    """Each footnote label's number within its text, in order of first reference."""
    return {note.label: number for number, note in enumerate(text.footnotes, start=1)}

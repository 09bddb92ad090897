"""The typed values passed between the pipeline's stages.

A text's block tree (``SourceText``) and its ``Segment``s; the ``Document`` the
writers read: every segment paired with its translation (``Pair``), chapter by
chapter, with the warnings about what the editions show; and the ``Finding``s of
``check`` on the catalogs.  Every segment remembers where it came from
(``SourceLocation``) so that PO references, warnings and errors point back into
the author's Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import NamedTuple, Protocol, Union, assert_never

from bilingual_pub.catalogs.messages import PoFile
from bilingual_pub.config import BookConfig


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


# --- The document: every segment of every text paired with its translation. ---


class TextCatalog(NamedTuple):
    """A text with the catalog that translates it (None before the first update)."""

    text: SourceText
    catalog: PoFile | None
    catalog_path: str  # relative POSIX path, e.g. "locales/es/LC_MESSAGES/01-origins.po"


class Status(str, Enum):
    TRANSLATED = "translated"
    FUZZY = "fuzzy"
    MISSING = "missing"


@dataclass(frozen=True)
class Pair:
    """One segment in both languages."""

    id: str  # stable per position: "t01-s0042"
    kind: SegmentKind
    location: SourceLocation
    source_lang: str
    texts: Mapping[str, str]  # language -> inline Markdown
    status: Status

    def text(self, lang: str) -> str:
        return self.texts[lang]

    def stands_in(self, lang: str) -> bool:
        """True where the source text is shown because there is no translation."""
        return lang != self.source_lang and self.status is Status.MISSING

    def needs_review(self, lang: str) -> bool:
        """True where a fuzzy translation is shown: it exists, but needs checking."""
        return lang != self.source_lang and self.status is Status.FUZZY

    def mark(self, lang: str) -> str | None:
        """The label key of the mark the text in ``lang`` carries, if any."""
        if self.stands_in(lang):
            return "untranslated"
        if self.needs_review(lang):
            return "review"
        return None


@dataclass(frozen=True)
class Chapter:
    number: int
    text: SourceText
    pairs: Mapping[Segment, Pair]

    @property
    def id(self) -> str:
        return f"t{self.number:02d}"

    def pair(self, segment: Segment) -> Pair:
        return self.pairs[segment]

    @property
    def title(self) -> Pair | None:
        for block in self.text.blocks:
            if isinstance(block, Heading):
                return self.pairs[block.segment]
        return None


@dataclass(frozen=True)
class TranslationWarning:
    """A segment shown without a translation, or with a fuzzy one."""

    location: SourceLocation
    catalog: str
    status: Status
    lang: str

    def __str__(self) -> str:
        if self.status is Status.MISSING:
            shown = "no translation", "the source text stands in"
        else:
            shown = "fuzzy translation", "shown marked for review"
        return f"{self.location}: {shown[0]} into {self.lang!r} ({self.catalog}); {shown[1]}"


@dataclass(frozen=True)
class RestoredWarning:
    """A translation lacked footnote calls or images of its source: they were put back."""

    location: SourceLocation
    catalog: str
    lang: str
    kind: SegmentKind
    restored: tuple[str, ...]  # "footnote [^boats]", "image (map.png)"

    def __str__(self) -> str:
        return (
            f"{self.location}: the translation into {self.lang!r} ({self.catalog}) lacks "
            f"{', '.join(self.restored)}; shown at the end of the {self.kind.value}"
        )


class Notice(Protocol):
    """A warning about what the editions in one language show."""

    @property
    def location(self) -> SourceLocation: ...

    @property
    def lang(self) -> str: ...


DocumentWarning = TranslationWarning | RestoredWarning


@dataclass(frozen=True)
class Document:
    config: BookConfig
    chapters: tuple[Chapter, ...]
    warnings: tuple[DocumentWarning, ...] = field(default=())

    @property
    def languages(self) -> tuple[str, str]:
        return self.config.languages


# --- What ``check`` finds in a catalog. ---


class Level(StrEnum):
    """How much a finding matters: any error fails ``check`` and ``build --strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One finding of ``check`` on one catalog entry (its fields are ``check --json``'s)."""

    path: str
    line: int
    level: Level
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.message}"


def iter_segments(blocks: tuple[Block, ...]) -> list[Segment]:
    """Every segment of a block tree in reading order."""
    found: list[Segment] = []
    for block in blocks:
        match block:
            case Heading() | Paragraph() | Figure():
                found.append(block.segment)
            case ListBlock():
                for item in block.items:
                    found.extend(iter_segments(item.blocks))
            case Quote():
                found.extend(iter_segments(block.blocks))
            case Table():
                found.extend(block.header)
                for row in block.rows:
                    found.extend(row)
            case Code() | RawHtml() | Rule():
                pass  # not translated: no segment
            case _:
                assert_never(block)
    return found


def iter_figures(blocks: tuple[Block, ...]) -> list[Figure]:
    """Every figure of a block tree (in lists and quotes too), in reading order."""
    found: list[Figure] = []
    for block in blocks:
        match block:
            case Figure():
                found.append(block)
            case ListBlock():
                for item in block.items:
                    found.extend(iter_figures(item.blocks))
            case Quote():
                found.extend(iter_figures(block.blocks))
            case Heading() | Paragraph() | Table() | Code() | RawHtml() | Rule():
                pass  # holds no figure (an image in a heading or a cell is an inline image)
            case _:
                assert_never(block)
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

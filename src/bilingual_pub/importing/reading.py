"""A translation file -> blocks, each with its kind and where it starts.

Markdown is segmented by the toolkit's own reader, so a block is exactly what a
msgstr must be: the inline Markdown of one heading, paragraph, list item, quote
paragraph, table cell, caption or footnote, whitespace normalised.  Plain text
is split at blank lines.  Word-processor files (.docx, .odt) are converted to
Markdown by pandoc, keeping emphasis, links and footnotes; their blocks are
numbered by paragraph, since such a file has no lines to point to.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bilingual_pub.errors import SourceError
from bilingual_pub.markdown import normalise_whitespace
from bilingual_pub.model import SegmentKind, text_segments
from bilingual_pub.sources import parse_text

log = logging.getLogger(__name__)

MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", ".text")
PANDOC_SUFFIXES = {".docx": "docx", ".odt": "odt"}
# CommonMark with the pieces the toolkit reads: pipe tables and footnotes; one line a block
PANDOC_TARGET = "commonmark+footnotes+pipe_tables-raw_html"


@dataclass(frozen=True)
class TranslationBlock:
    """One block of the translation: Markdown inline text, as a msgstr holds it."""

    text: str
    kind: SegmentKind
    line: int  # the line in a text file; the paragraph's number in a .docx/.odt


@dataclass(frozen=True)
class Translation:
    path: str  # as the user gave it, for the report
    blocks: tuple[TranslationBlock, ...]
    structured: bool  # blocks have kinds (Markdown, .docx); plain text is paragraphs only


def read_translation(path: Path, *, display: str, languages: Sequence[str]) -> Translation:
    """Read ``path`` into blocks; a file the toolkit cannot read is an error at its line."""
    suffix = path.suffix.lower()
    if suffix in PANDOC_SUFFIXES:
        markdown = _convert_with_pandoc(path, PANDOC_SUFFIXES[suffix], display)
        blocks = _markdown_blocks(markdown, display=display, languages=languages)
        numbered = tuple(
            TranslationBlock(block.text, block.kind, number)
            for number, block in enumerate(blocks, start=1)
        )
        return Translation(display, numbered, structured=True)
    source = _read_utf8(path, display)
    if suffix in TEXT_SUFFIXES:
        return Translation(display, tuple(_plain_blocks(source)), structured=False)
    if suffix not in MARKDOWN_SUFFIXES:
        log.info("%s: read as Markdown", display)
    blocks = _markdown_blocks(source, display=display, languages=languages)
    return Translation(display, tuple(blocks), structured=True)


def _read_utf8(path: Path, display: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read the translation: {error.strerror}", display) from None
    if b"\x00" in data:
        raise SourceError(
            "not a text file (it contains NUL bytes); .md, .txt, .docx and .odt are read",
            display,
        )
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError("not valid UTF-8 text", display, line) from None


def _markdown_blocks(
    source: str, *, display: str, languages: Sequence[str]
) -> list[TranslationBlock]:
    parsed = parse_text(source, path=display, default_lang=languages[0], languages=languages)
    return [
        TranslationBlock(segment.text, segment.kind, segment.location.line)
        for segment in text_segments(parsed)
        if segment.text
    ]


_BLANK_LINES = re.compile(r"\n[ \t]*\n")
# what inline Markdown would read as markup; plain text means every character as written
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<])")


def _plain_blocks(source: str) -> list[TranslationBlock]:
    """Paragraphs separated by blank lines, each with the line it starts on.

    Characters Markdown would take for markup are escaped, so that the editions
    show them as they are.
    """
    blocks = []
    line = 1
    position = 0
    for match in [*_BLANK_LINES.finditer(source), None]:
        end = match.start() if match else len(source)
        chunk = source[position:end]
        text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", normalise_whitespace(chunk))
        if text:
            leading = len(chunk) - len(chunk.lstrip())
            first = line + chunk[:leading].count("\n")
            blocks.append(TranslationBlock(text, SegmentKind.PARAGRAPH, first))
        if match:
            line += source[position : match.end()].count("\n")
            position = match.end()
    return blocks


def _convert_with_pandoc(path: Path, reader: str, display: str) -> str:
    try:
        import pypandoc
    except ImportError:
        raise SourceError(
            f"reading .{reader} files needs pandoc: "
            "pip install 'bilingual-pub[docx]' (or convert the file to Markdown)",
            display,
        ) from None
    try:
        converted: str = pypandoc.convert_file(
            str(path), PANDOC_TARGET, format=reader, extra_args=["--wrap=none"]
        )
    except (RuntimeError, OSError) as error:
        first = str(error).strip().splitlines()[:1]
        raise SourceError(
            f"pandoc cannot read this .{reader} file: {first[0] if first else error}", display
        ) from None
    return converted

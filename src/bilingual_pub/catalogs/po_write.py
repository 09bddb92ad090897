"""Writing PO/POT files: a generator of lines in the layout GNU gettext uses (79 columns,
breaks after spaces and ``\\n``), which ``msgfmt -c`` accepts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from bilingual_pub.catalogs.headers import utf8_header
from bilingual_pub.catalogs.messages import Message, PoFile, previous_msgid
from bilingual_pub.catalogs.po_strings import escape

WIDTH = 79


def _chunk_lines(text: str, width: int, prefix: str) -> list[str]:
    """An escaped string in pieces that fit, each as a line ``prefix"piece"``.

    Each piece is the longest run of whole words (each ending in its space) that
    fits in ``width``; a word longer than that stands alone.  Breaks come after
    every escaped newline first, as gettext does.
    """
    pieces: list[str] = []
    if "\\n" in text:
        lines = [line + "\\n" for line in text.split("\\n")]
        lines[-1] = lines[-1][:-2]
    else:
        lines = [text]
    opening = prefix + '"'
    for line in lines:
        start, end = 0, len(line)
        while end - start > width:
            cut = line.rfind(" ", start, start + width)
            if cut < start:  # the first word alone is too long: it goes whole
                cut = line.find(" ", start)
                if cut == -1:
                    break
            pieces.append(opening + line[start : cut + 1] + '"')
            start = cut + 1
        if start < end:
            pieces.append(opening + line[start:] + '"')
    return pieces


def format_string(
    keyword: str, text: str, prefix: str = "", *, multiline: bool = False
) -> list[str]:
    """``msgid "..."`` lines in gettext's layout, with ``prefix`` (``#~ ``, ``#| ``) on each.

    A string that does not fit on one line (or holds a newline before its end,
    or ``multiline`` is asked for, as for the header) starts with ``keyword ""``
    and goes on in pieces.  Every piece is a complete string literal: breaks
    fall after spaces and escaped newlines, never inside an escape.
    """
    escaped = escape(text)
    fits = len(prefix) + len(keyword) + len(escaped) + 3 <= WIDTH
    if fits and not multiline and "\\n" not in escaped[:-2]:
        return [f'{prefix}{keyword} "{escaped}"']
    return [f'{prefix}{keyword} ""', *_chunk_lines(escaped, WIDTH - len(prefix) - 2, prefix)]


def _comment_lines(message: Message) -> list[str]:
    lines = [f"# {comment}".rstrip() for comment in message.user_comments]
    lines.extend(f"#. {comment}".rstrip() for comment in message.auto_comments)
    return lines


def _location_lines(locations: Iterable[tuple[str, int | None]]) -> list[str]:
    lines: list[str] = []
    current = "#:"
    for path, line in locations:
        ref = f"{path}:{line}" if line else path
        if len(current) + 1 + len(ref) > WIDTH and current != "#:":
            lines.append(current)
            current = "#:"
        current += " " + ref
    if current != "#:":
        lines.append(current)
    return lines


def _ordered_flags(flags: Iterable[str]) -> list[str]:
    unique = set(flags)
    return (["fuzzy"] if "fuzzy" in unique else []) + sorted(f for f in unique if f != "fuzzy")


def _strings(value: Any) -> list[str]:
    if isinstance(value, tuple | list):
        return [str(item or "") for item in value]
    return [str(value or "")]


def _message_lines(message: Message, *, obsolete: bool) -> list[str]:
    """The lines of one entry (a list, not a generator: a catalog has hundreds of thousands)."""
    prefix = "#~ " if obsolete else ""
    lines = _comment_lines(message)
    if not obsolete:
        lines += _location_lines(message.locations)
    flags = _ordered_flags(message.flags) if message.flags else []
    if flags:
        lines.append("#, " + ", ".join(flags))
    previous = previous_msgid(message)
    if previous and "fuzzy" in flags:
        # gettext writes an obsolete entry's previous msgid as '#~| msgid'
        lines += format_string("msgid", previous, prefix="#~| " if obsolete else "#| ")
    if message.context is not None:
        lines += format_string("msgctxt", message.context, prefix)
    ids = _strings(message.id)
    if isinstance(message.id, tuple | list):
        lines += format_string("msgid", ids[0], prefix)
        lines += format_string("msgid_plural", ids[1], prefix)
        for index, string in enumerate(_strings(message.string)):
            lines += format_string(f"msgstr[{index}]", string, prefix)
    else:
        lines += format_string("msgid", ids[0], prefix)
        lines += format_string("msgstr", _strings(message.string)[0], prefix)
    return lines


def generate_po(po: PoFile) -> Iterator[str]:
    """Every line of the PO file (to be saved as UTF-8), header first, obsolete entries last."""
    for comment in po.header_comments:
        yield f"# {comment}".rstrip() if comment else "#"
    if po.header_flags:
        yield "#, " + ", ".join(po.header_flags)
    yield 'msgid ""'
    # the header is always written as 'msgstr ""' and one line per field, as gettext does
    header = utf8_header(po.header)
    yield from format_string("msgstr", header, multiline=True) if header else ['msgstr ""']
    for message in po.messages():
        yield ""
        yield from _message_lines(message, obsolete=False)
    for message in po.obsolete():
        yield ""
        yield from _message_lines(message, obsolete=True)


def render_po(po: PoFile) -> str:
    return "\n".join(generate_po(po)) + "\n"

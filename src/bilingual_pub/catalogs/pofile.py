"""Reading and writing PO/POT files without losing anything a translator wrote.

Reading uses Babel's ``PoFileParser`` with three additions Babel lacks: the
previous msgid (``#|``) of fuzzy entries, the verbatim header (Babel rebuilds it
and drops fields such as ``X-Generator``), and strict errors with line numbers
(Babel prints warnings and guesses).  Writing is a generator of lines in the
layout GNU gettext uses (79 columns, breaks after spaces and ``\\n``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, unescape

from bilingual_pub.errors import CatalogError

WIDTH = 79
_STRING_LITERAL = re.compile(r'^"(?:[^"\\]|\\(?:[\\"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]+))*"$')


@dataclass
class PoFile:
    """A catalog plus what Babel's model does not keep."""

    catalog: Catalog
    header: str = ""  # the header entry's msgstr, verbatim
    header_comments: list[str] = field(default_factory=list)
    header_flags: list[str] = field(default_factory=list)
    # previous msgid (#| msgid) by message key; Babel's reader does not parse it
    previous: dict[Any, str] = field(default_factory=dict)

    def messages(self) -> list[Message]:
        return [m for m in self.catalog if m.id]

    def obsolete(self) -> list[Message]:
        return list(self.catalog.obsolete.values())


class _StrictParser(PoFileParser):
    """Babel's parser, made strict and taught ``#|`` and the verbatim header."""

    def __init__(self, catalog: Catalog, path: str):
        super().__init__(catalog, ignore_obsolete=False, abort_invalid=True)
        self.path = path
        self.header: str | None = None
        self.header_comments: list[str] = []
        self.header_flags: list[str] = []
        self.previous: dict[Any, str] = {}
        self._previous_lines: list[str] = []
        self._lineno = 0

    # Babel calls these with its own state; we only add checks around them.
    def _process_message_line(self, lineno: int, line: str, obsolete: bool = False) -> None:
        self._lineno = lineno
        if line.startswith('"'):
            self._check_literal(line, lineno)
        elif line:
            keyword, _, arg = line.partition(" ")
            if keyword.startswith("msgstr") and not self.messages:
                self._fail(lineno, f"{keyword} without a msgid")
            if arg.strip():
                self._check_literal(arg.strip(), lineno)
        super()._process_message_line(lineno, line, obsolete)

    def _process_comment(self, line: str) -> None:
        if line.startswith("#|"):
            self._finish_current_message()
            self._previous_lines.append(line[2:].strip())
            return
        super()._process_comment(line)

    def _add_message(self) -> None:
        msgid = self.messages[0].denormalize() if self.messages else ""
        context = self.context.denormalize() if self.context else None
        if len(self.messages) > 1:
            key: Any = self.catalog._key_for(tuple(m.denormalize() for m in self.messages), context)
        else:
            key = self.catalog._key_for(msgid, context)
        if msgid == "" and not self.obsolete and len(self.messages) == 1:
            if self.header is not None:
                self._fail(self.offset, "duplicate header entry (msgid \"\")")
            self.header = self.translations[0][1].denormalize() if self.translations else ""
            self.header_comments = list(self.user_comments)
            self.header_flags = [f for f in self.flags if f]
        elif not self.obsolete and key in self.catalog._messages:
            self._fail(self.offset, f"duplicate msgid {_shorten(msgid)!r}")
        if self._previous_lines:
            self.previous[(key, self.obsolete)] = _previous_msgid(self._previous_lines)
            self._previous_lines = []
        super()._add_message()

    def _check_literal(self, literal: str, lineno: int) -> None:
        if not _STRING_LITERAL.match(literal):
            if not literal.endswith('"') or literal == '"':
                self._fail(lineno, "unterminated string")
            self._fail(lineno, f"invalid string or escape sequence: {_shorten(literal)}")

    def _fail(self, lineno: int, message: str) -> None:
        raise CatalogError(message, self.path, lineno + 1)


def _previous_msgid(lines: list[str]) -> str:
    """Join ``#| msgid "..."`` and its continuation lines into one string."""
    parts: list[str] = []
    for line in lines:
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid":
            parts.append(rest.strip())
        elif line.startswith('"') and parts:
            parts.append(line)
    return "".join(unescape(p) for p in parts if _STRING_LITERAL.match(p))


def _shorten(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_po(path: Path, display: str | None = None) -> PoFile:
    """Read a PO or POT file; any defect is a CatalogError with ``path:line``."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CatalogError(f"cannot read catalog: {error.strerror}", name) from None
    return parse_po(data, name)


def parse_po(data: bytes, name: str) -> PoFile:
    if b"\x00" in data:
        raise CatalogError("not a PO file (binary data)", name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    catalog = Catalog(charset="utf-8")
    catalog.fuzzy = False
    parser = _StrictParser(catalog, name)
    lines = data.replace(b"\r\n", b"\n").split(b"\n")
    try:
        parser.parse(lines)
    except PoFileError as error:
        raise CatalogError(_babel_message(str(error)), name, error.lineno + 1) from None
    except UnicodeDecodeError:
        raise CatalogError(
            f"cannot decode with the declared charset {catalog.charset!r}", name, parser._lineno + 1
        ) from None
    except LookupError:
        raise CatalogError(f"unknown charset {catalog.charset!r} in the header", name) from None
    except (ValueError, IndexError) as error:
        raise CatalogError(f"malformed entry: {error}", name, parser._lineno + 1) from None
    previous = parser.previous
    for message in catalog:
        if message.id and (catalog._key_for(message.id, message.context), False) in previous:
            message.previous_id = previous[(catalog._key_for(message.id, message.context), False)]
    for key, message in catalog.obsolete.items():
        if (key, True) in previous:
            message.previous_id = previous[(key, True)]
    return PoFile(
        catalog=catalog,
        header=parser.header or "",
        header_comments=parser.header_comments,
        header_flags=parser.header_flags,
        previous=previous,
    )


def _babel_message(text: str) -> str:
    return re.sub(r" on \d+$", "", text)


# --- writing -------------------------------------------------------------------


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
    )


def _chunks(text: str, width: int) -> list[str]:
    """Split an escaped string into pieces that fit, breaking after spaces and ``\\n``."""
    pieces: list[str] = []
    # First split after each escaped newline, as gettext does.
    for line in re.split(r"(?<=\\n)", text):
        if not line:
            continue
        words = re.split(r"(?<= )", line)
        current = ""
        for word in words:
            if current and len(current) + len(word) > width:
                pieces.append(current)
                current = word
            else:
                current += word
        if current:
            pieces.append(current)
    return pieces


def format_string(keyword: str, text: str, prefix: str = "") -> list[str]:
    """``msgid "..."`` lines in gettext's layout, with ``prefix`` (``#~ ``, ``#| ``) on each."""
    escaped = escape(text)
    single = f'{prefix}{keyword} "{escaped}"'
    if len(single) <= WIDTH and "\\n" not in escaped[:-2]:
        return [single]
    lines = [f'{prefix}{keyword} ""']
    lines.extend(f'{prefix}"{chunk}"' for chunk in _chunks(escaped, WIDTH - len(prefix) - 2))
    return lines


def _comment_lines(message: Message) -> Iterator[str]:
    for comment in message.user_comments:
        yield f"# {comment}".rstrip()
    for comment in message.auto_comments:
        yield f"#. {comment}".rstrip()


def _location_lines(locations: Iterable[tuple[str, int | None]]) -> Iterator[str]:
    refs = [f"{path}:{line}" if line else path for path, line in locations]
    current = "#:"
    for ref in refs:
        if len(current) + 1 + len(ref) > WIDTH and current != "#:":
            yield current
            current = "#:"
        current += " " + ref
    if current != "#:":
        yield current


def _ordered_flags(flags: Iterable[str]) -> list[str]:
    flags = set(flags)
    return (["fuzzy"] if "fuzzy" in flags else []) + sorted(f for f in flags if f != "fuzzy")


def _message_lines(message: Message, *, obsolete: bool) -> Iterator[str]:
    prefix = "#~ " if obsolete else ""
    yield from _comment_lines(message)
    if not obsolete:
        yield from _location_lines(message.locations)
    flags = _ordered_flags(message.flags)
    if flags:
        yield "#, " + ", ".join(flags)
    previous = getattr(message, "previous_id", None)
    if previous and "fuzzy" in flags:
        previous_text = previous[0] if isinstance(previous, tuple | list) else previous
        for line in format_string("msgid", previous_text, prefix="#| "):
            yield line if not obsolete else "#~ " + line
    if message.context is not None:
        yield from format_string("msgctxt", message.context, prefix)
    if isinstance(message.id, tuple | list):
        yield from format_string("msgid", message.id[0], prefix)
        yield from format_string("msgid_plural", message.id[1], prefix)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for index, string in enumerate(strings):
            yield from format_string(f"msgstr[{index}]", string or "", prefix)
    else:
        yield from format_string("msgid", message.id, prefix)
        yield from format_string("msgstr", message.string or "", prefix)


def generate_po(po: PoFile) -> Iterator[str]:
    """Every line of the PO file, header first, obsolete entries last."""
    for comment in po.header_comments:
        yield f"# {comment}".rstrip() if comment else "#"
    if po.header_flags:
        yield "#, " + ", ".join(po.header_flags)
    yield 'msgid ""'
    yield from format_string("msgstr", po.header)[1:] if po.header else ['msgstr ""']
    for message in po.messages():
        yield ""
        yield from _message_lines(message, obsolete=False)
    for message in po.obsolete():
        yield ""
        yield from _message_lines(message, obsolete=True)


def render_po(po: PoFile) -> str:
    lines = list(generate_po(po))
    # a header always needs its 'msgstr ""' opener line when split over lines
    if po.header:
        lines.insert(lines.index('msgid ""') + 1, 'msgstr ""')
    return "\n".join(lines) + "\n"


# --- header fields ---------------------------------------------------------------


def header_fields(header: str) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for line in header.split("\n"):
        if ":" in line:
            key, _, value = line.partition(":")
            fields.append((key.strip(), value.strip()))
    return fields


def set_header_field(header: str, key: str, value: str) -> str:
    """Replace (or append) one ``Key: value`` line, leaving the others as they were."""
    lines = header.split("\n")
    for index, line in enumerate(lines):
        if line.partition(":")[0].strip().lower() == key.lower():
            lines[index] = f"{key}: {value}"
            return "\n".join(lines)
    if lines and lines[-1] == "":
        lines.insert(len(lines) - 1, f"{key}: {value}")
    else:
        lines.append(f"{key}: {value}")
    return "\n".join(lines)


def get_header_field(header: str, key: str) -> str | None:
    for name, value in header_fields(header):
        if name.lower() == key.lower():
            return value
    return None

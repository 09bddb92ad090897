"""Reading and writing PO/POT files without losing anything a translator wrote.

Reading uses Babel's ``PoFileParser`` with what Babel lacks: the previous msgid
(``#|``, and ``#~|`` on obsolete entries) of fuzzy entries, the verbatim header
(Babel rebuilds it and drops fields such as ``X-Generator``), the flags and
comments exactly as written (Babel's ``Message`` guesses ``python-format`` from
the text and drops repeated comment lines), the file's declared charset for
every line (Babel decodes the header before it knows it), gettext's ``\a``,
``\b``, ``\f`` and ``\v`` escapes, and strict errors with line numbers (Babel
prints warnings and guesses).  Writing is a generator of lines in the layout
GNU gettext uses (79 columns, breaks after spaces and ``\\n``).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser

from bilingual_pub.errors import CatalogError

WIDTH = 79
_STRING_LITERAL = re.compile(r'"(?:[^"\\]+|\\(?:[\\"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]+))*"')
# escapes gettext knows and Babel's unescape() does not
_FOREIGN_ESCAPE = re.compile(r"\\([abfv]|[0-7]{1,3}|x[0-9a-fA-F]+)")
_CHARSET = re.compile(rb"Content-Type:[^\"\\]*?charset=([A-Za-z0-9._:+-]+)", re.IGNORECASE)
_KEYWORD = re.compile(r"^(msgid|msgid_plural|msgctxt|msgstr|msgstr\[(\d+)\])$")


@dataclass
class PoFile:
    """A catalog plus what Babel's model does not keep."""

    catalog: Catalog
    header: str = ""  # the header entry's msgstr, verbatim
    header_comments: list[str] = field(default_factory=list)
    header_flags: list[str] = field(default_factory=list)
    # previous msgid (#| msgid) by (message key, obsolete); also set as message.previous_id
    previous: dict[Any, str] = field(default_factory=dict)

    def messages(self) -> list[Message]:
        return [m for m in self.catalog if m.id]

    def obsolete(self) -> list[Message]:
        return list(self.catalog.obsolete.values())


def make_message(
    id: str | tuple[str, ...] | list[str],
    string: str | tuple[str, ...] | list[str] | None = "",
    *,
    locations: Iterable[tuple[str, int | None]] = (),
    flags: Iterable[str] = (),
    auto_comments: Iterable[str] = (),
    user_comments: Iterable[str] = (),
    previous_id: str | None = None,
    context: str | None = None,
    lineno: int | None = None,
) -> Message:
    """A Babel ``Message`` holding exactly what it is given.

    Babel's constructor adds ``python-format`` to any text that happens to hold
    ``%`` followed by a letter ("40% of workers") and removes it from texts that
    don't, which makes ``msgfmt -c`` compare format directives in prose; it also
    drops repeated comment lines.  So the message is made empty (which skips
    those guesses, and their cost) and filled in afterwards.
    """
    if _BLANK is None:
        message = Message("", "", context=context, lineno=lineno)
    else:
        # Babel's own constructor, minus its guesses: the attributes an empty Message has
        message = Message.__new__(Message)
        message.__dict__.update(_BLANK)
        message.context = context
        message.lineno = lineno
    message.id = id
    message.string = "" if string is None else string
    unique = list(locations)
    if len(unique) > 1:
        unique = list(dict.fromkeys(unique))
    message.locations = unique  # type: ignore[assignment]  # Babel says int, gettext allows none
    message.flags = {flag for flag in flags if flag}
    message.auto_comments = list(auto_comments)
    message.user_comments = list(user_comments)
    message.previous_id = [previous_id] if previous_id else []
    return message


def _blank_message_attributes() -> dict[str, Any] | None:
    """What Babel's constructor sets on an empty Message, if make_message sets all of it."""
    blank = dict(vars(Message("", "")))
    known = {"id", "string", "locations", "flags", "auto_comments", "user_comments",
             "previous_id", "lineno", "context"}
    return blank if set(blank) <= known else None  # an unknown attribute: use the constructor


_BLANK = _blank_message_attributes()


def previous_msgid(message: Message) -> str | None:
    """The ``#| msgid`` of a message, if it has one."""
    previous = message.previous_id
    if not previous:
        return None
    return str(previous[0] if isinstance(previous, tuple | list) else previous)


def translation_text(message: Message) -> str:
    """The msgstr a segment shows: of a plural entry (``msgstr[n]``), the first form."""
    string = message.string
    if isinstance(string, tuple | list):
        string = string[0] if string else ""
    return str(string or "")


class _StrictParser(PoFileParser):
    """Babel's parser, made strict and taught ``#|``, the verbatim header and exact flags."""

    def __init__(self, catalog: Catalog, path: str):
        super().__init__(catalog, ignore_obsolete=False, abort_invalid=True)
        self.path = path
        self.header: str | None = None
        self.header_comments: list[str] = []
        self.header_flags: list[str] = []
        self.previous: dict[Any, str] = {}
        self._previous_parts: dict[str, list[str]] = {}
        self._previous_keyword: str | None = None
        self._lineno = 0

    def parse(self, fileobj: Iterable[str]) -> None:  # type: ignore[override]
        """Babel's ``parse`` loop over decoded lines, remembering each line's number.

        The state machine is Babel's; the loop is repeated here because Babel's
        comment hook gets no line number, and to check each string once.
        """
        for lineno, raw in enumerate(fileobj):
            line = raw.strip()
            if not line:
                continue
            self._lineno = lineno
            first = line[0]
            if first == '"':
                self._process_string_continuation_line(self._literal(line, lineno), lineno)
            elif first == "#":
                if line[:2] == "#~":
                    self._process_message_line(lineno, line[2:].lstrip(), obsolete=True)
                else:
                    try:
                        self._process_comment(line)
                    except ValueError as error:
                        self._fail(lineno, str(error))
            else:
                self._process_message_line(lineno, line)
        self._finish_current_message()
        if not self.counter and self.header is None:
            self.header_comments = list(self.user_comments)
            self.header_flags = [flag for flag in self.flags if flag]

    # Babel calls these with its own state; we only add checks around them.
    def _process_message_line(self, lineno: int, line: str, obsolete: bool = False) -> None:
        self._lineno = lineno
        if obsolete and line.startswith(("|", "#")):
            # '#~| msgid "..."' (GNU, polib) or '#~ #| ...': an obsolete entry's previous msgid
            self._process_comment(line if line.startswith("#") else "#" + line)
            return
        if line.startswith('"'):
            line = self._literal(line, lineno)
        elif line:
            keyword, _, arg = line.partition(" ")
            match = _KEYWORD.match(keyword)
            if not match:
                self._fail(lineno, f"unknown keyword {_shorten(keyword)!r}")
            if keyword.startswith("msgstr"):
                self._check_msgstr(lineno, keyword, int(match.group(2) or 0) if match else 0)
            line = f"{keyword} {self._literal(arg.strip(), lineno)}"
        super()._process_message_line(lineno, line, obsolete)

    def _check_msgstr(self, lineno: int, keyword: str, index: int) -> None:
        if not self.messages:
            self._fail(lineno, f"{keyword} without a msgid")
        if any(seen == index for seen, _ in self.translations):
            self._fail(lineno, f"{keyword} without a msgid (the entry above already has one)")
        plural = len(self.messages) > 1
        if plural and keyword == "msgstr":
            self._fail(lineno, "msgstr after msgid_plural: use msgstr[0], msgstr[1], ...")
        if not plural and keyword != "msgstr":
            self._fail(lineno, f"{keyword} without msgid_plural")

    def _literal(self, literal: str, lineno: int) -> str:
        """Check one ``"..."`` string; return it in the escapes Babel's unescape() knows."""
        if (
            len(literal) > 1
            and literal[-1] == '"'
            and literal[0] == '"'
            and "\\" not in literal
            and '"' not in literal[1:-1]
        ):
            return literal  # the common case: no escapes at all
        if not _is_literal(literal):
            self._fail(lineno, _literal_problem(literal))
        if "\\" in literal and _FOREIGN_ESCAPE.search(literal):
            try:
                return '"' + _babel_escape(gettext_unescape(literal)) + '"'
            except ValueError as error:
                self._fail(lineno, str(error))
        return literal

    def _process_comment(self, line: str) -> None:
        if line.startswith("#|"):
            self._finish_current_message()
            self._previous_line(line[2:].strip())
            return
        super()._process_comment(line)

    def _previous_line(self, text: str) -> None:
        if text.startswith('"'):
            if self._previous_keyword is None:
                self._fail(self._lineno, "'#|' string without a keyword")
            self._check_previous(text)
            self._previous_parts[str(self._previous_keyword)].append(text)
            return
        keyword, _, arg = text.partition(" ")
        if keyword not in ("msgid", "msgid_plural", "msgctxt"):
            self._fail(self._lineno, f"unknown keyword {_shorten(keyword)!r} after '#|'")
        self._check_previous(arg.strip())
        self._previous_keyword = keyword
        self._previous_parts[keyword] = [arg.strip()]

    def _check_previous(self, literal: str) -> None:
        if not _is_literal(literal):
            self._fail(self._lineno, _literal_problem(literal))

    def _add_message(self) -> None:
        """Babel's ``_add_message``, keeping flags, comments and ``#|`` exactly as written."""
        context = self.context.denormalize() if self.context else None
        msgid: str | tuple[str, ...]
        string: str | tuple[str, ...]
        if len(self.messages) > 1:
            msgid = tuple(m.denormalize() for m in self.messages)
            plurals = [""] * self.catalog.num_plurals
            for index, translation in sorted(self.translations):
                if index >= len(plurals):
                    self._fail(
                        self.offset,
                        f"msgstr[{index}] but the header's Plural-Forms has {len(plurals)} forms",
                    )
                plurals[index] = translation.denormalize()
            string = tuple(plurals)
        else:
            msgid = self.messages[0].denormalize()
            string = self.translations[0][1].denormalize()
            if msgid == "" and not self.obsolete and context is None:
                self._add_header()
                return
        key = self.catalog._key_for(msgid, context)
        entries = self.catalog.obsolete if self.obsolete else self.catalog._messages
        others = self.catalog._messages if self.obsolete else self.catalog.obsolete
        if key in entries:
            label = "obsolete msgid" if self.obsolete else "msgid"
            self._fail(self.offset, f"duplicate {label} {_shorten(str(key))!r}")
        if key in others:  # gettext refuses this too; merging would keep only one of the two
            self._fail(
                self.offset, f"duplicate msgid {_shorten(str(key))!r} (once obsolete, once not)"
            )
        previous = self._take_previous()
        entries[key] = make_message(
            msgid,
            string,
            locations=self.locations,
            flags=self.flags,
            auto_comments=self.auto_comments,
            user_comments=self.user_comments,
            previous_id=previous,
            context=context,
            lineno=self.offset + 1,
        )
        if previous is not None:
            self.previous[(key, self.obsolete)] = previous
        self.counter += 1
        self._reset_message_state()

    def _take_previous(self) -> str | None:
        parts = self._previous_parts.get("msgid")
        self._previous_parts = {}
        self._previous_keyword = None
        return "".join(gettext_unescape(part) for part in parts) if parts else None

    def _add_header(self) -> None:
        if self.header is not None:
            self._fail(self.offset, 'duplicate header entry (msgid "")')
        self.header = self.translations[0][1].denormalize() if self.translations else ""
        self.header_comments = list(self.user_comments)
        self.header_flags = [flag for flag in self.flags if flag]
        self._take_previous()
        # Babel needs only the plural forms (to read msgstr[n]); the rest stays verbatim in
        # self.header, so a date it cannot parse does not make the file unreadable.
        needed = [
            line
            for line in self.header.split("\n")
            if line.lower().startswith(("plural-forms:", "content-type:"))
        ]
        try:
            self.catalog[""] = Message("", "\n".join(needed) + "\n")
        except (ValueError, LookupError) as error:
            self._fail(self.offset, f"malformed header: {error}")
        self.counter += 1
        self._reset_message_state()

    def _fail(self, lineno: int, message: str) -> None:
        raise CatalogError(message, self.path, lineno + 1)


def _is_literal(text: str) -> bool:
    """Whether ``text`` is one well-formed ``"..."`` string (the common case without a regex)."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return False
    if "\\" not in text and '"' not in text[1:-1]:
        return True
    return _STRING_LITERAL.fullmatch(text) is not None


def gettext_unescape(literal: str) -> str:
    """The text of one ``"..."`` string with every escape gettext knows resolved.

    Octal and hex escapes are accepted for ASCII only (above that they name
    bytes of the file's charset, which no PO editor writes).
    """
    body = literal[1:-1]
    if "\\" not in body:
        return body

    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
        if escape in simple:
            return simple[escape]
        if escape in ('"', "\\"):
            return escape
        value = int(escape[1:], 16) if escape.startswith("x") else int(escape, 8)
        if value > 0x7F:
            raise ValueError(f"unsupported escape sequence \\{escape} (not ASCII)")
        return chr(value)

    return re.sub(r'\\([\\"ntrabfv]|[0-7]{1,3}|x[0-9a-fA-F]+)', replace, body)


def _babel_escape(text: str) -> str:
    """Escaped for Babel's unescape(), which knows only ``\\\\ \\" \\n \\t \\r``."""
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )


def _literal_problem(literal: str) -> str:
    """Why a string literal is malformed, for the error message."""
    if not literal.startswith('"'):
        return f"expected a string in double quotes, got {_shorten(literal)!r}"
    position = 1
    while position < len(literal):
        char = literal[position]
        if char == '"':
            return f"unexpected text after the string: {_shorten(literal[position + 1 :])!r}"
        if char == "\\":
            escape = re.match(r'\\([\\"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]+)', literal[position:])
            if escape is None:
                return f"invalid escape sequence {literal[position : position + 2]!r}"
            position += len(escape.group(0))
            continue
        position += 1
    return "unterminated string"


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


def declared_charset(data: bytes) -> str:
    """The charset the header declares (UTF-8 when it declares none or the placeholder)."""
    found = _CHARSET.search(data[:65536])
    if not found or found.group(1).upper() == b"CHARSET":
        return "utf-8"
    return found.group(1).decode("ascii")


def parse_po(data: bytes, name: str) -> PoFile:
    if b"\x00" in data:
        raise CatalogError("not a PO file (binary data)", name)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    charset = declared_charset(data)
    try:
        codecs.lookup(charset)
    except LookupError:
        raise CatalogError(f"unknown charset {charset!r} in the header", name) from None
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"cannot decode with the declared charset {charset!r}"
        raise CatalogError(message, name, line) from None
    catalog = Catalog(charset="utf-8")
    catalog.fuzzy = False
    parser = _StrictParser(catalog, name)
    # split on "\n" only: str.splitlines() would also split on U+2028 and friends inside strings
    lines = text.replace("\r\n", "\n").split("\n")
    try:
        parser.parse(lines)
    except PoFileError as error:
        raise CatalogError(_babel_message(str(error)), name, error.lineno + 1) from None
    except (ValueError, IndexError) as error:
        raise CatalogError(f"malformed entry: {error}", name, parser._lineno + 1) from None
    return PoFile(
        catalog=catalog,
        header=parser.header or "",
        header_comments=parser.header_comments,
        header_flags=parser.header_flags,
        previous=parser.previous,
    )


def _babel_message(text: str) -> str:
    return re.sub(r" on \d+$", "", text)


# --- writing -------------------------------------------------------------------


_NEEDS_ESCAPE = re.compile(r'[\\"\t\r\n\a\b\f\v]')


def escape(text: str) -> str:
    """Escaped as GNU gettext writes strings."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
        .replace("\a", "\\a")
        .replace("\b", "\\b")
        .replace("\f", "\\f")
        .replace("\v", "\\v")
    )


def _chunks(text: str, width: int) -> list[str]:
    """Split an escaped string into pieces that fit, breaking after spaces and ``\\n``.

    Each piece is the longest run of whole words (each ending in its space) that
    fits in ``width``; a word longer than that stands alone.  Breaks come after
    every escaped newline first, as gettext does.
    """
    pieces: list[str] = []
    lines = text.split("\\n")
    last = len(lines) - 1
    for number, line in enumerate(lines):
        if number < last:
            line += "\\n"
        start, end = 0, len(line)
        while end - start > width:
            cut = line.rfind(" ", start, start + width)
            if cut < start:  # the first word alone is too long: it goes whole
                cut = line.find(" ", start)
                if cut == -1:
                    break
            pieces.append(line[start : cut + 1])
            start = cut + 1
        if start < end:
            pieces.append(line[start:])
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
    single = f'{prefix}{keyword} "{escaped}"'
    if not multiline and len(single) <= WIDTH and "\\n" not in escaped[:-2]:
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
    unique = set(flags)
    return (["fuzzy"] if "fuzzy" in unique else []) + sorted(f for f in unique if f != "fuzzy")


def _strings(value: Any) -> list[str]:
    if isinstance(value, tuple | list):
        return [str(item or "") for item in value]
    return [str(value or "")]


def _message_lines(message: Message, *, obsolete: bool) -> Iterator[str]:
    prefix = "#~ " if obsolete else ""
    yield from _comment_lines(message)
    if not obsolete:
        yield from _location_lines(message.locations)
    flags = _ordered_flags(message.flags)
    if flags:
        yield "#, " + ", ".join(flags)
    previous = previous_msgid(message)
    if previous and "fuzzy" in flags:
        # gettext writes an obsolete entry's previous msgid as '#~| msgid'
        yield from format_string("msgid", previous, prefix="#~| " if obsolete else "#| ")
    if message.context is not None:
        yield from format_string("msgctxt", message.context, prefix)
    ids = _strings(message.id)
    if isinstance(message.id, tuple | list):
        yield from format_string("msgid", ids[0], prefix)
        yield from format_string("msgid_plural", ids[1], prefix)
        for index, string in enumerate(_strings(message.string)):
            yield from format_string(f"msgstr[{index}]", string, prefix)
    else:
        yield from format_string("msgid", ids[0], prefix)
        yield from format_string("msgstr", _strings(message.string)[0], prefix)


def utf8_header(header: str) -> str:
    """The header declaring UTF-8, which is what the writer's text is meant to be saved as."""
    return re.sub(
        r"^(Content-Type:[^\n]*?charset=)[^\s;]+", r"\g<1>UTF-8", header, count=1,
        flags=re.MULTILINE | re.IGNORECASE,
    )


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

"""Reading PO/POT files without losing anything a translator wrote.

The reader is ours, into the model of messages.py: it keeps what
Babel's parser loses (the previous msgid of fuzzy entries, ``#|`` and ``#~|``;
the header verbatim, where Babel rebuilds it and drops fields such as
``X-Generator``; flags and comments exactly as written, where Babel's
``Message`` guesses ``python-format`` from the text and drops repeated comment
lines), decodes every line with the file's declared charset, knows all of
gettext's escapes, and stops at the first defect with its line number (Babel
prints warnings and guesses).  It reads a whole string, continuation lines and
all, in one step (a third less time than Babel's line-by-line parser).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any, NoReturn

from bilingual_pub.catalogs.messages import Catalog, PoFile, make_message, plural_count
from bilingual_pub.catalogs.po_strings import gettext_unescape, is_literal, literal_problem, shorten
from bilingual_pub.errors import CatalogError

_CHARSET = re.compile(rb"Content-Type:[^\"\\]*?charset=([A-Za-z0-9._:+-]+)", re.IGNORECASE)
_KEYWORD = re.compile(r"^(msgid|msgid_plural|msgctxt|msgstr|msgstr\[(\d+)\])$")


# Keywords of a statement; msgstr[n] is matched by _KEYWORD.
_ID_KEYWORDS = ("msgid", "msgctxt")


class _Reader:
    """The PO grammar, read statement by statement with each line's number.

    A statement is one comment line, or a keyword line together with the string
    continuation lines after it (``"..."``, or ``#~ "..."`` in an obsolete
    entry); blank lines count for nothing.  A comment, a ``msgid`` or a
    ``msgctxt`` ends the entry before it, as in gettext and Babel.  Reading a
    whole string in one step keeps the loop short: a 20,000-entry catalog has
    about 300,000 lines, most of them continuation lines.
    """

    def __init__(self, lines: list[str], path: str):
        self.lines = lines
        self.path = path
        self.catalog = Catalog()
        self.header: str | None = None
        self.header_comments: list[str] = []
        self.header_flags: list[str] = []
        self.previous: dict[Any, str] = {}
        self.count = 0
        self._previous_parts: dict[str, list[str]] = {}
        self._previous_keyword: str | None = None
        self._reset_entry()

    def _reset_entry(self) -> None:
        self.ids: list[str] = []
        self.strings: list[tuple[int, str]] = []
        self.context: str | None = None
        self.locations: list[tuple[str, int | None]] = []
        self.flags: list[str] = []
        self.auto_comments: list[str] = []
        self.user_comments: list[str] = []
        self.obsolete = False
        self.offset = 0  # the index of the entry's msgid line

    def read(self) -> None:
        lines = self.lines
        index, end = 0, len(lines)
        while index < end:
            line = lines[index].strip()
            if not line:
                index += 1
            elif line[0] != "#":
                index = self._statement(line, index, obsolete=False)
            elif line[1:2] != "~":
                self._comment(line, index)
                index += 1
            else:
                rest = line[2:].lstrip()
                if rest[:1] in ("|", "#"):
                    # '#~| msgid "..."' (GNU, polib) or '#~ #| ...', '#~ #, fuzzy'
                    self._comment(rest if rest[0] == "#" else "#" + rest, index)
                    index += 1
                elif rest:
                    index = self._statement(rest, index, obsolete=True)
                else:
                    index += 1
        self._finish_entry()
        if not self.count and self.header is None:
            self.header_comments = list(self.user_comments)
            self.header_flags = [flag for flag in self.flags if flag]

    # -- statements ------------------------------------------------------------

    def _statement(self, line: str, index: int, *, obsolete: bool) -> int:
        """Read the keyword statement starting on line ``index``; the index after it."""
        if line[0] == '"':
            self._fail(index, "a string outside msgctxt, msgid and msgstr")
        keyword, _, arg = line.partition(" ")
        if keyword in _ID_KEYWORDS:
            text, after = self._string(arg.strip(), index)
            self._finish_entry()
            self.obsolete = obsolete
            if keyword == "msgid":
                self.offset = index
                self.ids.append(text)
            else:
                self.context = text
            return after
        match = _KEYWORD.match(keyword)
        if not match:
            self._fail(index, f"unknown keyword {shorten(keyword)!r}")
        if keyword == "msgid_plural":
            if not self.ids:
                self._fail(index, "msgid_plural without a msgid")
            text, after = self._string(arg.strip(), index)
            self.ids.append(text)
        else:
            number = int(match.group(2) or 0)
            self._check_msgstr(index, keyword, number)
            text, after = self._string(arg.strip(), index)
            self.strings.append((number, text))
        self.obsolete = obsolete
        return after

    def _string(self, first: str, index: int) -> tuple[str, int]:
        """The text of the string on line ``index`` and of its continuation lines.

        Returns the index of the line after them.  A string without escapes or
        inner quotes (most of them) is taken as it stands, without a call.
        """
        lines = self.lines
        parts = [self._literal(first, index)]
        index += 1
        end = len(lines)
        while index < end:
            line = lines[index].strip()
            if line[:1] != '"':
                if not line:
                    index += 1
                    continue
                if not line.startswith("#~"):
                    break
                line = line[2:].lstrip()
                if not line:  # a bare '#~' counts for nothing, like a blank line
                    index += 1
                    continue
                if line[0] != '"':
                    break
            if line[-1] == '"' and "\\" not in line and line.count('"') == 2:
                parts.append(line[1:-1])
            else:
                parts.append(self._literal(line, index))
            index += 1
        return "".join(parts), index

    def _literal(self, literal: str, index: int) -> str:
        """The text of one ``"..."`` string, its escapes resolved."""
        if (
            len(literal) > 1
            and literal[-1] == '"'
            and literal[0] == '"'
            and "\\" not in literal
            and literal.count('"') == 2
        ):
            return literal[1:-1]  # the common case: no escapes at all
        if not is_literal(literal):
            self._fail(index, literal_problem(literal))
        try:
            return gettext_unescape(literal)
        except ValueError as error:
            self._fail(index, str(error))

    def _check_msgstr(self, index: int, keyword: str, number: int) -> None:
        if not self.ids:
            self._fail(index, f"{keyword} without a msgid")
        if self.strings and any(seen == number for seen, _ in self.strings):
            self._fail(index, f"{keyword} without a msgid (the entry above already has one)")
        plural = len(self.ids) > 1
        if plural and keyword == "msgstr":
            self._fail(index, "msgstr after msgid_plural: use msgstr[0], msgstr[1], ...")
        if not plural and keyword != "msgstr":
            self._fail(index, f"{keyword} without msgid_plural")

    # -- comments --------------------------------------------------------------

    def _comment(self, line: str, index: int) -> None:
        self._finish_entry()
        kind = line[1:2]
        if kind == ":":
            try:
                self.locations.extend(_locations(line[2:]))
            except ValueError as error:
                self._fail(index, str(error))
        elif kind == ",":
            self.flags.extend(flag.strip() for flag in line[2:].split(","))
        elif kind == ".":
            comment = line[2:].strip()
            if comment:
                self.auto_comments.append(comment)
        elif kind == "|":
            self._previous_line(line[2:].strip(), index)
        else:
            self.user_comments.append(line[1:].strip())

    def _previous_line(self, text: str, index: int) -> None:
        """One ``#|`` line: the previous msgid (or msgctxt) of a fuzzy entry."""
        if text.startswith('"'):
            if self._previous_keyword is None:
                self._fail(index, "'#|' string without a keyword")
            self._check_literal(text, index)
            self._previous_parts[str(self._previous_keyword)].append(text)
            return
        keyword, _, arg = text.partition(" ")
        if keyword not in ("msgid", "msgid_plural", "msgctxt"):
            self._fail(index, f"unknown keyword {shorten(keyword)!r} after '#|'")
        self._check_literal(arg.strip(), index)
        self._previous_keyword = keyword
        self._previous_parts[keyword] = [arg.strip()]

    def _check_literal(self, literal: str, index: int) -> None:
        if not is_literal(literal):
            self._fail(index, literal_problem(literal))

    def _take_previous(self) -> str | None:
        parts = self._previous_parts.get("msgid")
        self._previous_parts = {}
        self._previous_keyword = None
        return "".join(gettext_unescape(part) for part in parts) if parts else None

    # -- entries ---------------------------------------------------------------

    def _finish_entry(self) -> None:
        if not self.ids:
            return
        if not self.strings:
            self._fail(self.offset, f"missing msgstr for msgid {shorten(self.ids[0])!r}")
        context = self.context
        msgid: str | tuple[str, ...]
        string: str | tuple[str, ...]
        if len(self.ids) > 1:
            msgid = tuple(self.ids)
            plurals = [""] * self.catalog.num_plurals
            for number, translation in sorted(self.strings):
                if number >= len(plurals):
                    self._fail(
                        self.offset,
                        f"msgstr[{number}] but the header's Plural-Forms has {len(plurals)} forms",
                    )
                plurals[number] = translation
            string = tuple(plurals)
        else:
            msgid = self.ids[0]
            string = self.strings[0][1]
            if msgid == "" and not self.obsolete and context is None:
                self._add_header(string)
                return
        self._add_message(msgid, string, context)

    def _add_message(
        self, msgid: str | tuple[str, ...], string: str | tuple[str, ...], context: str | None
    ) -> None:
        key = self.catalog._key_for(msgid, context)
        entries = self.catalog.obsolete if self.obsolete else self.catalog._messages
        others = self.catalog._messages if self.obsolete else self.catalog.obsolete
        if key in entries:
            label = "obsolete msgid" if self.obsolete else "msgid"
            self._fail(self.offset, f"duplicate {label} {shorten(str(key))!r}")
        if key in others:  # gettext refuses this too; merging would keep only one of the two
            self._fail(
                self.offset, f"duplicate msgid {shorten(str(key))!r} (once obsolete, once not)"
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
        self.count += 1
        self._reset_entry()

    def _add_header(self, header: str) -> None:
        if self.header is not None:
            self._fail(self.offset, 'duplicate header entry (msgid "")')
        self.header = header
        self.header_comments = list(self.user_comments)
        self.header_flags = [flag for flag in self.flags if flag]
        self._take_previous()
        # the model needs only the number of plural forms (to read msgstr[n]); the rest
        # stays verbatim in self.header, so a date nobody can parse does not make the file
        # unreadable
        for line in header.split("\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "plural-forms":
                try:
                    self.catalog.num_plurals = plural_count(value)
                except ValueError as error:
                    self._fail(self.offset, f"malformed header: {error}")
        self.count += 1
        self._reset_entry()

    def _fail(self, index: int, message: str) -> NoReturn:
        raise CatalogError(message, self.path, index + 1)


def _locations(text: str) -> list[tuple[str, int | None]]:
    """The references of one ``#:`` line; a reference with a bad line number is skipped.

    gettext encloses a file name holding spaces between U+2068 and U+2069.
    """
    found: list[tuple[str, int | None]] = []
    for reference in _references(text):
        path, colon, line = reference.rpartition(":")
        if not colon:
            found.append((reference, None))
        else:
            try:
                found.append((path, int(line)))
            except ValueError:
                continue
    return found


def _references(text: str) -> list[str]:
    if "\u2068" not in text and "\u2069" not in text:
        return text.split()
    references: list[str] = []
    current, isolated = "", False
    for char in text:
        if char == "\u2068":
            if isolated:
                raise ValueError("reference with U+2068 inside U+2068 ... U+2069")
            isolated = True
        elif char == "\u2069":
            if not isolated:
                raise ValueError("reference with U+2069 without U+2068")
            isolated = False
        elif char.isspace() and not isolated:
            if current:
                references.append(current)
            current = ""
        else:
            current += char
    if isolated:
        raise ValueError("reference with U+2068 without U+2069")
    if current:
        references.append(current)
    return references


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
    # split on "\n" only: str.splitlines() would also split on U+2028 and friends inside strings
    reader = _Reader(text.replace("\r\n", "\n").split("\n"), name)
    reader.read()
    return PoFile(
        catalog=reader.catalog,
        header=reader.header or "",
        header_comments=reader.header_comments,
        header_flags=reader.header_flags,
        previous=reader.previous,
    )

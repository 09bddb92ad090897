"""The catalog model: gettext entries, in the order they were read or made.

The shapes of Babel's ``Catalog`` and ``Message`` (the same attribute names and
keys), without what the toolkit has no use for: Babel's guesses of
``python-format`` and its dropping of repeated comments (``make_message``
below undid both), locale data, and a header parsed through the ``email``
package.  Importing Babel for its model was a tenth of a small book's build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

MessageId = str | tuple[str, ...]
MessageKey = str | tuple[str, str]  # msgid (a plural entry's singular), or (msgid, msgctxt)

_NPLURALS = re.compile(r"(?:^|;)\s*nplurals\s*=\s*([^;]*)", re.IGNORECASE)


class Message:
    """One entry: msgid (a tuple of the singular and plural forms for a plural entry),
    msgstr (a tuple of ``msgstr[n]``), and what the comment lines say of it."""

    __slots__ = (
        "auto_comments",
        "context",
        "flags",
        "id",
        "lineno",
        "locations",
        "previous_id",
        "string",
        "user_comments",
    )

    def __init__(
        self,
        id: MessageId,
        string: MessageId = "",
        *,
        locations: Iterable[tuple[str, int | None]] = (),
        flags: Iterable[str] = (),
        auto_comments: Iterable[str] = (),
        user_comments: Iterable[str] = (),
        previous_id: Iterable[str] = (),
        lineno: int | None = None,
        context: str | None = None,
    ):
        self.id = id
        self.string = string
        self.locations: list[tuple[str, int | None]] = list(locations)
        self.flags: set[str] = set(flags)
        self.auto_comments: list[str] = list(auto_comments)
        self.user_comments: list[str] = list(user_comments)
        self.previous_id: list[str] = list(previous_id)  # the #| msgid, when there is one
        self.lineno = lineno
        self.context = context

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def pluralizable(self) -> bool:
        return isinstance(self.id, tuple | list)

    def __repr__(self) -> str:
        return f"<Message {self.id!r} (flags: {sorted(self.flags)})>"


def message_key(id: MessageId, context: str | None = None) -> MessageKey:
    """The key of an entry: its msgid (the singular one of a plural entry), with the
    msgctxt when it has one, as gettext and Babel tell entries apart."""
    msgid = id[0] if isinstance(id, tuple | list) else id
    return msgid if context is None else (msgid, context)


class Catalog:
    """Active entries and obsolete (``#~``) ones, each by key, in order."""

    def __init__(self) -> None:
        self._messages: dict[MessageKey, Message] = {}
        self.obsolete: dict[MessageKey, Message] = {}
        self.num_plurals = 2  # from the header's Plural-Forms, see plural_count

    def _key_for(self, id: MessageId, context: str | None = None) -> MessageKey:
        return message_key(id, context)

    def __setitem__(self, id: MessageId, message: Message) -> None:
        """Add ``message`` under ``id``; an entry already there gains its references,
        comments and flags (as Babel does, so one text's repeated segment is one entry)."""
        key = message_key(id, message.context)
        current = self._messages.get(key)
        if current is None:
            self._messages[key] = message
            return
        if message.pluralizable and not current.pluralizable:
            current.id, current.string = message.id, message.string
        current.locations = _union(current.locations, message.locations)
        current.auto_comments = _union(current.auto_comments, message.auto_comments)
        current.user_comments = _union(current.user_comments, message.user_comments)
        current.flags |= message.flags

    def get(self, id: MessageId, context: str | None = None) -> Message | None:
        return self._messages.get(message_key(id, context))

    def __iter__(self) -> Iterator[Message]:
        return iter(self._messages.values())

    def __len__(self) -> int:
        return len(self._messages)


def _union(first: list[Any], second: list[Any]) -> list[Any]:
    """The items of both, each once, in order."""
    return list(dict.fromkeys([*first, *second]))


def plural_count(plural_forms: str) -> int:
    """``nplurals`` of a Plural-Forms header value; ValueError when it is no number."""
    found = _NPLURALS.search(plural_forms)
    return int(found.group(1).strip()) if found else 2


@dataclass
class PoFile:
    """A catalog plus its header, verbatim, and the header entry's comments and flags."""

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
    """A ``Message`` holding exactly what it is given, each reference once."""
    unique = list(locations)
    if len(unique) > 1:
        unique = list(dict.fromkeys(unique))
    return Message(
        tuple(id) if isinstance(id, list) else id,
        "" if string is None else tuple(string) if isinstance(string, list) else string,
        locations=unique,
        flags=(flag for flag in flags if flag),
        auto_comments=auto_comments,
        user_comments=user_comments,
        previous_id=[previous_id] if previous_id else [],
        lineno=lineno,
        context=context,
    )


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

"""Merge a new template into an existing catalog with gettext's semantics.

- an unchanged segment keeps its translation, flags and comments;
- a changed segment gets the translation of the old segment it most resembles,
  marked ``fuzzy`` with the old text as ``#| msgid``;
- a removed segment's translation is kept as an obsolete ``#~`` entry, and an
  obsolete entry whose text comes back is revived;
- a msgid that is in no template the toolkit wrote (a translation typed over the
  source text, in a plain editor) was written by a person: it is kept as an
  obsolete entry, translated or not, never used as a fuzzy source, and reported.

Nothing a translator wrote is dropped: an old entry disappears only when its
translation and comments have moved to a new fuzzy entry.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from bilingual_pub.catalogs.fuzzy import FuzzyIndex
from bilingual_pub.catalogs.headers import merged_header
from bilingual_pub.catalogs.messages import Catalog, Message, PoFile, make_message, previous_msgid


@dataclass
class MergeReport:
    kept: int = 0
    fuzzy: int = 0
    revived: int = 0
    untranslated: int = 0
    obsoleted: int = 0
    # entries whose msgid no template had: (msgid, line in the old catalog)
    typed_over: list[tuple[str, int | None]] = field(default_factory=list)


def _key(message: Message) -> Any:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return (msgid, message.context)


def _has_translation(message: Message) -> bool:
    if isinstance(message.string, tuple | list):
        return any(message.string)
    return bool(message.string)


def _is_plural(message: Message) -> bool:
    return isinstance(message.id, tuple | list)


def _worth_keeping(message: Message) -> bool:
    return _has_translation(message) or bool(message.user_comments)


def _plain_id(message: Message) -> str:
    return str(message.id[0] if isinstance(message.id, tuple | list) else message.id)


def _plain_string(message: Message) -> str:
    string = message.string
    return str((string[0] if string else "") if isinstance(string, tuple | list) else string or "")


def _carry(new: Message, old: Message, *, fuzzy_from: str | None = None) -> Message:
    """The template's message with the old one's translation, flags and comments.

    ``fuzzy_from`` is the old msgid when the translation comes from a different
    (similar) text: the entry is then fuzzy with that text as its previous msgid.
    """
    flags = set(old.flags)
    previous = previous_msgid(old) if old.fuzzy else None
    if fuzzy_from is not None:
        flags.add("fuzzy")
        previous = fuzzy_from
    # a plural entry (msgid_plural, msgstr[n]) of the same text keeps all of its forms
    plural = fuzzy_from is None and _is_plural(old)
    return make_message(
        old.id if plural else _plain_id(new),
        old.string if plural else _plain_string(old),
        locations=new.locations,
        flags=flags,
        auto_comments=new.auto_comments,
        user_comments=old.user_comments,
        previous_id=previous,
        context=new.context,
    )


class _Candidates:
    """Old translated entries a changed segment may come from: vanished ones first."""

    def __init__(self, vanished: list[Message], staying: list[Message]):
        self.vanished = vanished
        self.staying = staying
        self._vanished_index = FuzzyIndex([_plain_id(m) for m in vanished])
        self._staying_index: FuzzyIndex | None = None  # built on first need

    def closest(self, text: str, threshold: float) -> Message | None:
        found = self._vanished_index.best(text, threshold)
        if found is not None:
            return self.vanished[found[0]]
        if not self.staying:
            return None
        if self._staying_index is None:
            self._staying_index = FuzzyIndex([_plain_id(m) for m in self.staying])
        found = self._staying_index.best(text, threshold, thorough=False)
        return self.staying[found[0]] if found is not None else None


def merge(
    template: PoFile,
    old: PoFile | None,
    *,
    header: str,
    threshold: float,
    written: Collection[str] | None = None,
) -> tuple[PoFile, MergeReport]:
    """The merged catalog.  ``header`` is used only when there is no old catalog.

    ``written`` holds the msgids of the template the old catalog was last merged
    with; an old msgid outside it (and outside ``template``) was typed by a person.
    ``None`` when that template is unknown: then no msgid is taken for typed.
    """
    report = MergeReport()
    old_active = {_key(m): m for m in old.messages()} if old else {}
    old_obsolete = {_key(m): m for m in old.obsolete()} if old else {}
    template_keys = {_key(m) for m in template.messages()}
    typed = _typed_over(old_active, template_keys, written)
    report.typed_over = [(_plain_id(m), m.lineno) for m in typed.values()]
    old_active = {key: m for key, m in old_active.items() if key not in typed}

    candidates = _fuzzy_sources(old_active, old_obsolete, template_keys)
    consumed: set[Any] = set()

    catalog = Catalog()
    for new in template.messages():
        key = _key(new)
        if key in old_active:
            merged = _carry(new, old_active[key])
            report.kept += 1
        elif key in old_obsolete:
            merged = _carry(new, old_obsolete[key])
            report.revived += 1
        else:
            source = candidates.closest(_plain_id(new), threshold)
            if source is None:
                merged = _carry(new, make_message(_plain_id(new)))
                report.untranslated += 1
            else:
                merged = _carry(new, source, fuzzy_from=_plain_id(source))
                if not _is_plural(source):  # its other forms stay in the catalog
                    consumed.add(_key(source))
                report.fuzzy += 1
        catalog[merged.id] = merged

    catalog.obsolete.update(
        _obsolete_entries(old_active, old_obsolete, typed, template_keys, consumed, report)
    )

    result = PoFile(
        catalog=catalog,
        header=merged_header(template.header, old.header if old else None, header),
        header_comments=list(old.header_comments) if old else [],
        header_flags=list(old.header_flags) if old else [],
    )
    return result, report


def _fuzzy_sources(
    old_active: dict[Any, Message], old_obsolete: dict[Any, Message], template_keys: set[Any]
) -> _Candidates:
    """Old entries whose text is gone from the template: where changed segments came from.

    They are searched first; a new segment may also borrow from a text that is still
    there (a copied paragraph, edited), searched only when needed.
    """
    pool = [m for k, m in old_active.items() if k not in template_keys and _has_translation(m)]
    pool += [m for k, m in old_obsolete.items() if k not in template_keys and _has_translation(m)]
    staying = [m for k, m in old_active.items() if k in template_keys and _has_translation(m)]
    return _Candidates(pool, staying)


def _typed_over(
    old_active: dict[Any, Message], template_keys: set[Any], written: Collection[str] | None
) -> dict[Any, Message]:
    """Old entries whose msgid neither template has: a person wrote them.

    Plural entries are left out: the toolkit never writes one, so a plural entry came
    whole from another tool (kept by the usual rules), not from overwriting a msgid.
    """
    if written is None:
        return {}
    return {
        key: message
        for key, message in old_active.items()
        if key not in template_keys
        and not _is_plural(message)
        and _plain_id(message) not in written
    }


def _obsolete_entries(
    old_active: dict[Any, Message],
    old_obsolete: dict[Any, Message],
    typed: dict[Any, Message],
    template_keys: set[Any],
    consumed: set[Any],
    report: MergeReport,
) -> dict[Any, Message]:
    """What stays as ``#~`` entries: vanished translations, old obsolete ones, typed msgids."""
    obsolete: dict[Any, Message] = {}
    for key, message in old_active.items():
        if key not in template_keys and key not in consumed and _worth_keeping(message):
            obsolete[key] = message
            report.obsoleted += 1
    for key, message in old_obsolete.items():
        if key not in template_keys and key not in consumed and key not in obsolete:
            obsolete[key] = message
    for key, message in typed.items():  # a person's text: kept whatever it holds
        obsolete[key] = message
        report.obsoleted += 1
    return obsolete

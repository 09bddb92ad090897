"""Merge a new template into an existing catalog with gettext's semantics.

- an unchanged segment keeps its translation, flags and comments;
- a changed segment gets the translation of the old segment it most resembles,
  marked ``fuzzy`` with the old text as ``#| msgid``;
- a removed segment's translation is kept as an obsolete ``#~`` entry, and an
  obsolete entry whose text comes back is revived.

Nothing a translator wrote is dropped: an old entry disappears only when its
translation and comments have moved to a new fuzzy entry.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from babel.messages.catalog import Catalog, Message

from bilingual_pub.catalogs.fuzzy import FuzzyIndex
from bilingual_pub.catalogs.pofile import PoFile, get_header_field, set_header_field


@dataclass
class MergeReport:
    kept: int = 0
    fuzzy: int = 0
    revived: int = 0
    untranslated: int = 0
    obsoleted: int = 0


def _key(message: Message) -> Any:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return (msgid, message.context)


def _has_translation(message: Message) -> bool:
    if isinstance(message.string, tuple | list):
        return any(message.string)
    return bool(message.string)


def _worth_keeping(message: Message) -> bool:
    return _has_translation(message) or bool(message.user_comments)


def _plain_id(message: Message) -> str:
    return str(message.id[0] if isinstance(message.id, tuple | list) else message.id)


def _carry(new: Message, old: Message) -> Message:
    """The template's message with the old one's translation, flags and comments."""
    merged = Message(
        new.id,
        copy.copy(old.string) if not isinstance(new.id, tuple) else new.string,
        list(new.locations),
        set(old.flags),
        list(new.auto_comments),
        list(old.user_comments),
        context=new.context,
    )
    if old.fuzzy:
        merged.previous_id = getattr(old, "previous_id", None)
    return merged


def merge(
    template: PoFile, old: PoFile | None, *, header: str, threshold: float
) -> tuple[PoFile, MergeReport]:
    """The merged catalog.  ``header`` is used only when there is no old catalog."""
    report = MergeReport()
    old_active = {_key(m): m for m in old.messages()} if old else {}
    old_obsolete = {_key(m): m for m in old.obsolete()} if old else {}
    template_keys = {_key(m) for m in template.messages()}

    # Old entries whose text is gone from the template: where changed segments came from.
    pool = [m for k, m in old_active.items() if k not in template_keys and _has_translation(m)]
    pool += [m for k, m in old_obsolete.items() if k not in template_keys and _has_translation(m)]
    everything = pool + [m for k, m in old_active.items() if k in template_keys and _has_translation(m)]
    index = FuzzyIndex([_plain_id(m) for m in everything])
    vanished = set(range(len(pool)))
    consumed: set[Any] = set()

    catalog = Catalog(charset="utf-8", fuzzy=False)
    for new in template.messages():
        key = _key(new)
        if key in old_active:
            merged = _carry(new, old_active[key])
            report.kept += 1
        elif key in old_obsolete:
            merged = _carry(new, old_obsolete[key])
            report.revived += 1
        else:
            found = index.best(_plain_id(new), threshold, vanished) if pool else None
            if found is None and everything:
                found = index.best(_plain_id(new), threshold)
            if found is None:
                merged = _carry(new, Message(new.id, ""))
                report.untranslated += 1
            else:
                source = everything[found[0]]
                merged = _carry(new, source)
                merged.flags.add("fuzzy")
                merged.previous_id = _plain_id(source)
                consumed.add(_key(source))
                report.fuzzy += 1
        catalog[merged.id] = merged

    obsolete = Catalog(charset="utf-8", fuzzy=False)
    for key, message in old_active.items():
        if key not in template_keys and key not in consumed and _worth_keeping(message):
            obsolete.obsolete[key] = message
            report.obsoleted += 1
    for key, message in old_obsolete.items():
        if key not in template_keys and key not in consumed and key not in obsolete.obsolete:
            obsolete.obsolete[key] = message
    catalog.obsolete.update(obsolete.obsolete)

    merged_header = old.header if old and old.header else header
    created = get_header_field(template.header, "POT-Creation-Date")
    if created:
        merged_header = set_header_field(merged_header, "POT-Creation-Date", created)
    merged_header = set_header_field(merged_header, "Content-Type", "text/plain; charset=UTF-8")
    result = PoFile(
        catalog=catalog,
        header=merged_header,
        header_comments=list(old.header_comments) if old else [],
        header_flags=list(old.header_flags) if old else [],
    )
    return result, report

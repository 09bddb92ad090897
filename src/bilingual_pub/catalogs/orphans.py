"""Which catalog left behind by a renamed text belongs to which new text.

A text that appears while a catalog loses its text is, most of the time, the same
text under a new name: the catalog whose msgids the new text's segments share
most is taken for its old catalog.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TypeVar

from bilingual_pub.catalogs.messages import PoFile

# Of the smaller side (the old catalog's msgids or the new text's segments), the share
# that must be the same text, unchanged, for a catalog to be taken for a renamed text's.
# Half: a text renamed and lightly edited shares nearly all; two different texts of one
# book share a heading or a short line, seldom a tenth.
RENAME_OVERLAP = 0.5

Text = TypeVar("Text")
Orphan = TypeVar("Orphan")


def overlap(segments: Collection[str], msgids: Collection[str]) -> float:
    """The share of the smaller collection found in the other."""
    if not segments or not msgids:
        return 0.0
    shared = len(set(segments) & set(msgids))
    return shared / min(len(segments), len(msgids))


def claim_orphans(
    new_texts: Mapping[Text, Collection[str]],
    orphans: Mapping[Orphan, Collection[str]],
    *,
    threshold: float = RENAME_OVERLAP,
) -> dict[Text, Orphan]:
    """Each new text (its segments) -> the orphan catalog (its msgids) it was renamed from.

    The closest pairs are matched first; a catalog goes to one text at most.
    """
    scored = [
        (overlap(segments, msgids), index_t, index_o)
        for index_t, segments in enumerate(new_texts.values())
        for index_o, msgids in enumerate(orphans.values())
    ]
    texts, catalogs = list(new_texts), list(orphans)
    claims: dict[Text, Orphan] = {}
    taken: set[int] = set()
    for score, index_t, index_o in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if score < threshold:
            break
        if texts[index_t] in claims or index_o in taken:
            continue
        claims[texts[index_t]] = catalogs[index_o]
        taken.add(index_o)
    return claims


def singular_msgids(po: PoFile) -> set[str]:
    """The msgid of every active entry (of a plural entry, the singular one)."""
    return {
        str(m.id[0] if isinstance(m.id, tuple | list) else m.id) for m in po.messages()
    }


def text_named_by(catalog: Path, texts_dir: str) -> str:
    """The text a catalog translates, as its first reference names it."""
    try:
        content = catalog.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        content = ""
    found = re.search(r"^#: (\S+?\.md)(?::\d+)?(?:\s|$)", content, re.MULTILINE)
    return found.group(1) if found else f"{texts_dir}/{catalog.stem}.md"

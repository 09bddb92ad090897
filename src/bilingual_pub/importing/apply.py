"""Aligned translations -> msgstrs of the catalog, never over a translator's work.

A segment whose msgstr is empty gets its aligned translation, marked fuzzy so
a person confirms it (finished at once with ``confirm``).  A msgstr already
there is kept unless ``overwrite``; when it already says what the alignment
says, ``confirm`` only clears its fuzzy mark.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from bilingual_pub.catalogs.messages import PoFile, translation_text
from bilingual_pub.importing.aligner import Alignment
from bilingual_pub.importing.reading import TranslationBlock
from bilingual_pub.model import Segment


@dataclass(frozen=True)
class Proposal:
    """What one segment of the text should read in the catalog, and from where."""

    segment: Segment
    text: str  # "" when the alignment gives it nothing
    alignment: Alignment


class Outcome(str, Enum):
    WRITTEN = "written"  # an empty msgstr filled
    REPLACED = "replaced"  # a different msgstr replaced (--overwrite)
    CONFIRMED = "confirmed"  # the same msgstr, its fuzzy mark cleared (--confirm)
    UNCHANGED = "unchanged"  # the catalog already says this
    KEPT = "kept"  # a different msgstr left as the translator wrote it
    NOT_IN_CATALOG = "not in catalog"  # the text changed since the last update
    EMPTY = "empty"  # nothing to write: no translation, or the second of a merged pair


_NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")


def footnote_labels(
    segments: Sequence[Segment], blocks: Sequence[TranslationBlock], alignments: Sequence[Alignment]
) -> dict[str, str]:
    """The text's label of each footnote the translation numbers its own way.

    Word processors renumber notes (``[^1]``) where the text may name them
    (``[^fat]``); a msgstr must call a note by the text's label.  Labels are paired
    in order within matches that call as many notes on both sides.
    """
    labels: dict[str, str] = {}
    for alignment in alignments:
        if not alignment.sources or not alignment.targets:
            continue
        ours = [n for i in alignment.sources for n in _NOTE_CALL.findall(segments[i].text)]
        theirs = [n for j in alignment.targets for n in _NOTE_CALL.findall(blocks[j].text)]
        if len(ours) == len(theirs):
            for mine, other in zip(ours, theirs, strict=True):
                labels.setdefault(other, mine)
    return labels


def relabel(text: str, labels: dict[str, str]) -> str:
    if not labels or "[^" not in text:
        return text
    return _NOTE_CALL.sub(lambda found: f"[^{labels.get(found.group(1), found.group(1))}]", text)


def proposals(
    segments: Sequence[Segment], blocks: Sequence[TranslationBlock], alignments: Sequence[Alignment]
) -> list[Proposal]:
    """One proposal per segment, in the text's order."""
    labels = footnote_labels(segments, blocks, alignments)
    found: list[Proposal] = []
    for alignment in alignments:
        if not alignment.sources:
            continue
        joined = " ".join(relabel(blocks[j].text, labels) for j in alignment.targets)
        first, *rest = alignment.sources
        found.append(Proposal(segments[first], joined, alignment))
        found.extend(Proposal(segments[i], "", alignment) for i in rest)
    return found


def apply(
    po: PoFile, proposed: Sequence[Proposal], *, confirm: bool, overwrite: bool
) -> list[Outcome]:
    """Write the proposals into ``po``; one outcome per proposal.

    A segment repeated in the text is one entry: its first translation is the one written.
    """
    outcomes: list[Outcome] = []
    done: set[str] = set()
    for proposal in proposed:
        msgid = proposal.segment.text
        if not proposal.text:
            outcomes.append(Outcome.EMPTY)
            continue
        message = po.catalog.get(msgid)
        if message is None or message.pluralizable:
            outcomes.append(Outcome.NOT_IN_CATALOG)
            continue
        if msgid in done:
            outcomes.append(Outcome.UNCHANGED)
            continue
        done.add(msgid)
        current = translation_text(message)
        if current == proposal.text:
            if confirm and message.fuzzy:
                message.flags.discard("fuzzy")
                message.previous_id = []
                outcomes.append(Outcome.CONFIRMED)
            else:
                outcomes.append(Outcome.UNCHANGED)
            continue
        if current and not overwrite:
            outcomes.append(Outcome.KEPT)
            continue
        message.string = proposal.text
        message.previous_id = []
        if confirm:
            message.flags.discard("fuzzy")
        else:
            message.flags.add("fuzzy")
        outcomes.append(Outcome.REPLACED if current else Outcome.WRITTEN)
    return outcomes

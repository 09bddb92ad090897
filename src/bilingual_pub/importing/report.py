"""What an alignment did, as lines for a person and a dictionary for tools.

Every item points into both files (``path:line``), so an editor can jump to
the text and to the translation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bilingual_pub.importing.aligner import Alignment, MatchKind
from bilingual_pub.importing.apply import Outcome, Proposal
from bilingual_pub.importing.reading import Translation
from bilingual_pub.importing.scoring import LengthModel
from bilingual_pub.model import Segment

LEAST_SURE = 5
EXCERPT = 60


@dataclass(frozen=True)
class Item:
    """One match worth a look: where it is on both sides, and what it was."""

    kind: str
    text_at: tuple[str, ...]
    translation_at: tuple[str, ...]
    excerpt: str
    cost: float

    def line(self) -> str:
        text = ", ".join(self.text_at) or "-"
        translation = ", ".join(self.translation_at) or "-"
        return f"{text} <- {translation}: {self.kind}: {self.excerpt}"


@dataclass(frozen=True)
class AlignReport:
    text: str
    translation: str
    catalog: str
    model: LengthModel
    matches: Counter[str]  # by MatchKind value
    outcomes: Counter[str]  # by Outcome value
    items: tuple[Item, ...]  # merged, split, unmatched, kept, not in catalog
    least_sure: tuple[Item, ...]
    written: bool  # whether the catalog file changed

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "translation": self.translation,
            "catalog": self.catalog,
            "length_model": {
                "ratio": round(self.model.ratio, 4),
                "variance": round(self.model.variance, 4),
                "from": self.model.origin,
            },
            "matches": {kind.value: self.matches[kind.value] for kind in MatchKind},
            "catalog_entries": {kind.value: self.outcomes[kind.value] for kind in Outcome},
            "catalog_changed": self.written,
            "items": [item.__dict__ for item in self.items],
            "least_sure": [item.__dict__ for item in self.least_sure],
        }

    def lines(self) -> list[str]:
        count = self.matches
        entries = [f"{self.outcomes[o.value]} {o.value}" for o in Outcome if o != Outcome.EMPTY]
        lines = [
            f"{self.translation} -> {self.catalog}: "
            f"{count[MatchKind.ALIGNED.value]} aligned, {count[MatchKind.MERGED.value]} merged, "
            f"{count[MatchKind.SPLIT.value]} split, "
            f"{count[MatchKind.NO_TRANSLATION.value]} segments without translation, "
            f"{count[MatchKind.NO_SOURCE.value]} blocks without source",
            "catalog: " + ", ".join(entries) + ("" if self.written else " (file unchanged)"),
        ]
        lines.extend(item.line() for item in self.items)
        if self.least_sure:
            lines.append("least sure:")
            lines.extend(f"  {item.line()} (cost {item.cost:.1f})" for item in self.least_sure)
        return lines


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _item(
    kind: str,
    alignment: Alignment,
    segments: Sequence[Segment],
    translation: Translation,
    excerpt: str,
) -> Item:
    return Item(
        kind=kind,
        text_at=tuple(str(segments[i].location) for i in alignment.sources),
        translation_at=tuple(
            f"{translation.path}:{translation.blocks[j].line}" for j in alignment.targets
        ),
        excerpt=_excerpt(excerpt),
        cost=round(alignment.cost, 2),
    )


_NOTABLE = {
    MatchKind.MERGED: "merged (the second segment stays empty)",
    MatchKind.SPLIT: "split (the pieces joined)",
    MatchKind.NO_TRANSLATION: "no translation",
    MatchKind.NO_SOURCE: "no source (left out)",
}


def build_report(
    *,
    segments: Sequence[Segment],
    translation: Translation,
    alignments: Sequence[Alignment],
    proposed: Sequence[Proposal],
    outcomes: Sequence[Outcome],
    places: tuple[str, str, LengthModel],
    written: bool,
) -> AlignReport:
    """``places``: the text's path, the catalog's path and the length model used."""
    items: list[Item] = []
    for alignment in alignments:
        if alignment.kind in _NOTABLE:
            excerpt = (
                translation.blocks[alignment.targets[0]].text
                if alignment.kind == MatchKind.NO_SOURCE
                else segments[alignment.sources[0]].text
            )
            items.append(_item(_NOTABLE[alignment.kind], alignment, segments, translation, excerpt))
    for proposal, outcome in zip(proposed, outcomes, strict=True):
        if outcome in (Outcome.KEPT, Outcome.NOT_IN_CATALOG):
            kind = (
                "kept the catalog's own translation (--overwrite replaces it)"
                if outcome == Outcome.KEPT
                else "not in the catalog (run 'bilingual-pub update')"
            )
            items.append(_item(kind, proposal.alignment, segments, translation, proposal.text))
    matched = [a for a in alignments if a.sources and a.targets]
    unsure = sorted(matched, key=lambda a: -a.cost)[:LEAST_SURE]
    text_path, catalog, model = places
    return AlignReport(
        text=text_path,
        translation=translation.path,
        catalog=catalog,
        model=model,
        matches=Counter(a.kind.value for a in alignments),
        outcomes=Counter(o.value for o in outcomes),
        items=tuple(items),
        least_sure=tuple(
            _item(
                a.kind.value, a, segments, translation, translation.blocks[a.targets[0]].text
            )
            for a in unsure
        ),
        written=written,
    )

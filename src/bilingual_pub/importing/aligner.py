"""The cheapest sequence of matches between a text's segments and a translation's blocks.

Dynamic programming over 1-1, 1-0, 0-1, 2-1 and 1-2 matches, as Gale and
Church's aligner does, but banded: each row of the table holds only the
columns within ``band`` of the previous row's cheapest cell, so a text of
n segments costs n x (2 band + 3) cells instead of n x m.  The band follows the
alignment wherever omissions and additions push it, which a band around the
table's diagonal would not.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from bilingual_pub.importing.scoring import (
    COST_ONE_ONE,
    COST_SKIP,
    COST_TWO_ONE,
    KIND_SHARED,
    LINK_SHARED,
    NUMBER_SHARED,
    WORD_SHARED,
    Features,
    Scorer,
    combine,
)

BAND = 12
INF = math.inf
# the most any anchor can lower a match's cost: lets a cell skip pricing a match that
# cannot beat what it already has
MAX_BONUS = KIND_SHARED + NUMBER_SHARED * 3 + LINK_SHARED + WORD_SHARED * 6


class MatchKind(str, Enum):
    ALIGNED = "aligned"  # one segment, one block
    MERGED = "merged"  # two segments, one block: their translations were merged
    SPLIT = "split"  # one segment, two blocks: its translation was split
    NO_TRANSLATION = "no translation"  # a segment the translation leaves out
    NO_SOURCE = "no source"  # a block with no segment: a translator's note, say


@dataclass(frozen=True)
class Alignment:
    kind: MatchKind
    sources: tuple[int, ...]  # indexes of the text's segments
    targets: tuple[int, ...]  # indexes of the translation's blocks
    cost: float  # of this match alone: the higher, the less sure


# move codes stored in the table: (segments taken, blocks taken, kind)
_MOVES = {
    1: (1, 1, MatchKind.ALIGNED),
    2: (1, 0, MatchKind.NO_TRANSLATION),
    3: (0, 1, MatchKind.NO_SOURCE),
    4: (2, 1, MatchKind.MERGED),
    5: (1, 2, MatchKind.SPLIT),
}


@dataclass
class _Row:
    low: int  # the first column held
    costs: list[float]
    moves: list[int]
    steps: list[float]  # the cost of the move into each cell

    def get(self, column: int) -> float:
        index = column - self.low
        return self.costs[index] if 0 <= index < len(self.costs) else INF


def align(
    source: Sequence[Features],
    target: Sequence[Features],
    scorer: Scorer,
    *,
    band: int = BAND,
) -> list[Alignment]:
    """The cheapest alignment of ``source`` segments with ``target`` blocks, in order."""
    n, m = len(source), len(target)
    if n == 0 or m == 0:
        return [Alignment(MatchKind.NO_TRANSLATION, (i,), (), COST_SKIP) for i in range(n)] + [
            Alignment(MatchKind.NO_SOURCE, (), (j,), COST_SKIP) for j in range(m)
        ]
    first_width = min(m, 2 * band + 2) + 1
    rows = [
        _Row(
            0,
            [j * COST_SKIP for j in range(first_width)],
            [0] + [3] * (first_width - 1),
            [0.0] + [COST_SKIP] * (first_width - 1),
        )
    ]
    merged_source = [combine(source[i], source[i + 1]) for i in range(n - 1)]
    merged_target = [combine(target[j], target[j + 1]) for j in range(m - 1)]
    context = _Context(source, target, merged_source, merged_target, scorer)
    for i in range(1, n + 1):
        previous = rows[i - 1]
        best = previous.low + previous.costs.index(min(previous.costs))
        low, high = max(0, best - band), min(m, best + band + 2)
        if i == n:
            high = m
        rows.append(_fill_row(i, low, high, rows, context))
    return _backtrack(rows, n, m)


@dataclass(frozen=True)
class _Context:
    source: Sequence[Features]
    target: Sequence[Features]
    merged_source: Sequence[Features]  # segments i and i + 1 together
    merged_target: Sequence[Features]  # blocks j and j + 1 together
    scorer: Scorer


def _fill_row(i: int, low: int, high: int, rows: list[_Row], context: _Context) -> _Row:
    """Row ``i`` of the table, columns ``low`` to ``high``.

    A match is priced only if it could beat the cell's best so far: the length
    cost first, then the anchors only if even their largest bonus could still win.
    """
    previous = rows[i - 1]
    before = rows[i - 2] if i >= 2 else None
    scorer = context.scorer
    length, anchors, unrelated = scorer.length_cost, scorer.anchor_cost, scorer.unrelated
    segment = context.source[i - 1]
    pair = context.merged_source[i - 2] if i >= 2 else segment
    target, merged_target = context.target, context.merged_target
    row = _Row(low, [], [], [])
    costs, moves, steps = row.costs, row.moves, row.steps
    # the previous row's costs, padded with INF so that columns outside it read INF
    left = max(previous.low - low, 0) + 2
    right = max(high - (previous.low + len(previous.costs) - 1), 0) + 1
    padded = [INF] * left + previous.costs + [INF] * right
    offset = left - previous.low
    for j in range(low, high + 1):
        k = j + offset  # column j of the previous row in ``padded``; j - 1 and j - 2 below it
        best, move, step = padded[k] + COST_SKIP, 2, COST_SKIP
        if j > low and costs[-1] + COST_SKIP < best:
            best, move = costs[-1] + COST_SKIP, 3
        if j >= 1:
            block = target[j - 1]
            start = padded[k - 1] + COST_ONE_ONE
            if start - MAX_BONUS < best:
                base = start + length(segment.length, block.length)
                if base - segment.bonus < best:
                    cost = base + anchors(segment, block) - start + COST_ONE_ONE
                    if start - COST_ONE_ONE + cost < best:
                        best, move, step = start - COST_ONE_ONE + cost, 1, cost
            if before is not None:
                start = before.get(j - 1)
                base = start + COST_TWO_ONE
                if base - MAX_BONUS < best:
                    base += length(pair.length, block.length)
                    if base - pair.bonus < best:
                        cost = base - start + anchors(pair, block)
                        cost += unrelated(block, context.source[i - 2], segment)
                        if start + cost < best:
                            best, move, step = start + cost, 4, cost
        if j >= 2:
            start = padded[k - 2]
            base = start + COST_TWO_ONE
            if base - MAX_BONUS < best:
                pieces = merged_target[j - 2]
                base += length(segment.length, pieces.length)
                if base - segment.bonus < best:
                    cost = base - start + anchors(segment, pieces)
                    cost += unrelated(segment, target[j - 2], target[j - 1])
                    if start + cost < best:
                        best, move, step = start + cost, 5, cost
        costs.append(best)
        moves.append(move)
        steps.append(step)
    return row


def _backtrack(rows: list[_Row], n: int, m: int) -> list[Alignment]:
    found: list[Alignment] = []
    i, j = n, m
    while i > 0 or j > 0:
        row = rows[i]
        index = j - row.low
        di, dj, kind = _MOVES[row.moves[index]]
        found.append(
            Alignment(
                kind,
                tuple(range(i - di, i)),
                tuple(range(j - dj, j)),
                row.steps[index],
            )
        )
        i, j = i - di, j - dj
    found.reverse()
    return found

"""Sub-quadratic search for the old segment a changed segment came from.

Comparing every new segment with every old one (as msgmerge and Babel do) is
quadratic: minutes at a few thousand paragraphs.  Here an inverted index over
words proposes a handful of candidates that share rare words with the query,
and rapidfuzz scores only those.  A length filter discards candidates that can
never reach the threshold.  When a query shares no indexed word with anything
(very short segments), a length-bounded exhaustive pass with rapidfuzz's
``process.extractOne`` and a score cut-off takes over.

Similarity is rapidfuzz's ``fuzz.ratio`` (normalised Indel distance, 0–100),
the same family of measure as gettext's ``fstrcmp``.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict

from rapidfuzz import fuzz, process

_WORD = re.compile(r"\w+")
CANDIDATES_PER_QUERY = 12


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


class FuzzyIndex:
    def __init__(self, texts: list[str]):
        self.texts = texts
        self.postings: dict[str, list[int]] = defaultdict(list)
        for index, text in enumerate(texts):
            for word in _words(text):
                self.postings[word].append(index)
        count = max(len(texts), 1)
        # words in more than a tenth of the segments say little about kinship
        self.max_postings = max(20, count // 10)
        self.by_length = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        self.lengths = [len(texts[i]) for i in self.by_length]
        self.idf = {w: math.log(1 + count / len(p)) for w, p in self.postings.items()}

    def best(self, query: str, threshold: float, allowed: set[int] | None = None) -> tuple[int, float] | None:
        """The most similar indexed text scoring at least ``threshold``, or None."""
        low, high = self._length_bounds(len(query), threshold)
        scores: dict[int, float] = defaultdict(float)
        for word in _words(query):
            posting = self.postings.get(word)
            if not posting or len(posting) > self.max_postings:
                continue
            weight = self.idf[word]
            for index in posting:
                scores[index] += weight
        if scores:
            ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
            candidates = [
                index
                for index, _ in ranked
                if low <= len(self.texts[index]) <= high and (allowed is None or index in allowed)
            ][:CANDIDATES_PER_QUERY]
        else:
            candidates = self._within_lengths(low, high, allowed)
        return self._score(query, candidates, threshold)

    def _length_bounds(self, length: int, threshold: float) -> tuple[float, float]:
        # ratio = 2*common/(a+b) <= 2*min(a,b)/(a+b); solve for the other length
        t = threshold / 100
        if t <= 0:
            return 0, math.inf
        return length * t / (2 - t), length * (2 - t) / t

    def _within_lengths(self, low: float, high: float, allowed: set[int] | None) -> list[int]:
        start = bisect.bisect_left(self.lengths, low)
        end = bisect.bisect_right(self.lengths, high)
        found = self.by_length[start:end]
        return [i for i in found if allowed is None or i in allowed]

    def _score(self, query: str, candidates: list[int], threshold: float) -> tuple[int, float] | None:
        if not candidates:
            return None
        choices = {index: self.texts[index] for index in candidates}
        match = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=threshold)
        if match is None:
            return None
        _, score, index = match
        return int(index), float(score)

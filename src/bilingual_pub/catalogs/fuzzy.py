"""Sub-quadratic search for the old segment a changed segment came from.

Comparing every new segment with every old one (as msgmerge and Babel do) is
quadratic: minutes at a few thousand paragraphs.  Here an inverted index over
words proposes a handful of candidates, and rapidfuzz scores only those.

Candidates are the texts that share the most of the query's *rarest* words.
The postings of the query's words are read rarest first until a budget of
postings is spent (but always the first few words), and counted in C
(``Counter.update``), so a query costs about the same however large the book
and however common its words.  An edited paragraph keeps most of its names and
uncommon words, so the text it was edited from comes out on top; reading a few
words even past the budget breaks ties when the rarest word is the one the
author just added.  A length filter discards candidates that can never reach
the threshold.  When a query shares no word
with any text (a very short segment), a length-bounded pass of rapidfuzz's
``process.extractOne`` with a score cut-off takes over.

Similarity is rapidfuzz's ``fuzz.ratio`` (normalised Indel similarity, 0–100),
the same measure as gettext's ``fstrcmp``: ``100 * 2 * matches / (len(a) + len(b))``.
"""

from __future__ import annotations

import bisect
import math
import string
from collections import Counter, defaultdict
from operator import itemgetter

from rapidfuzz import fuzz, process

# Texts scored with rapidfuzz per query, most shared rare words first.
CANDIDATES_PER_QUERY = 24
# Postings read per query, rarest words first ...
POSTINGS_BUDGET = 200
# ... but always the rarest few words, whatever their postings cost.
WORDS_ALWAYS_READ = 3

_PUNCTUATION = str.maketrans({char: " " for char in string.punctuation + "“”‘’«»¿¡—–…"})
# the same for ASCII text, as bytes: bytes.translate is several times faster than str's
_ASCII_PUNCTUATION = bytes.maketrans(
    string.punctuation.encode("ascii"), b" " * len(string.punctuation)
)


def words(text: str) -> set[str]:
    """The distinct words of a text, lower-cased, punctuation dropped (C-speed: no regex)."""
    lowered = text.lower()
    if lowered.isascii():
        spaced = lowered.encode("ascii").translate(_ASCII_PUNCTUATION).decode("ascii")
    else:
        spaced = lowered.translate(_PUNCTUATION)
    return set(spaced.split())


class FuzzyIndex:
    """Finds, among ``texts``, the one most similar to a query."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        postings: dict[str, list[int]] = defaultdict(list)
        for index, text in enumerate(texts):
            for word in words(text):
                postings[word].append(index)
        self.postings = dict(postings)
        self.lengths = [len(text) for text in texts]
        self.by_length = sorted(range(len(texts)), key=self.lengths.__getitem__)
        self.sorted_lengths = [self.lengths[i] for i in self.by_length]

    def __len__(self) -> int:
        return len(self.texts)

    def best(
        self, query: str, threshold: float, *, thorough: bool = True
    ) -> tuple[int, float] | None:
        """The index and score of the most similar text scoring at least ``threshold``, or None.

        ``thorough=False`` reads only the rarest word past the budget: cheaper, for a
        second-chance search where a miss costs little.
        """
        if not self.texts:
            return None
        scores = self._shared_words(query, WORDS_ALWAYS_READ if thorough else 1)
        if not scores:
            low, high = self._length_bounds(len(query), threshold)
            return self._score(query, self._within_lengths(low, high), threshold)
        # most shared words first; among equals, the text found first (Counter keeps order);
        # texts too short or too long to reach the threshold give their place to others
        low, high = self._length_bounds(len(query), threshold)
        lengths = self.lengths
        # what Counter.most_common(n) returns, sorted in C rather than through heapq
        by_count = sorted(scores.items(), key=itemgetter(1), reverse=True)
        ranked = [
            index
            for index, _ in by_count[: 4 * CANDIDATES_PER_QUERY]
            if low <= lengths[index] <= high
        ]
        return self._score(query, ranked[:CANDIDATES_PER_QUERY], threshold)

    def _shared_words(self, query: str, always_read: int) -> Counter[int]:
        """Texts sharing the query's rarest words, each with how many of those it shares.

        Counting runs in C (``Counter.update``), so a long posting costs little.
        """
        postings = self.postings
        found = sorted((len(postings[w]), w) for w in words(query) if w in postings)
        scores: Counter[int] = Counter()
        budget = POSTINGS_BUDGET
        for read, (size, word) in enumerate(found):
            if size > budget and read >= always_read:
                break
            scores.update(postings[word])
            budget -= size
        return scores

    @staticmethod
    def _length_bounds(length: int, threshold: float) -> tuple[float, float]:
        # ratio = 2*common/(a+b) <= 2*min(a,b)/(a+b); solve for the other length
        t = threshold / 100
        if t <= 0:
            return 0, math.inf
        return length * t / (2 - t), length * (2 - t) / t

    def _within_lengths(self, low: float, high: float) -> list[int]:
        start = bisect.bisect_left(self.sorted_lengths, low)
        end = bisect.bisect_right(self.sorted_lengths, high)
        return self.by_length[start:end]

    def _score(
        self, query: str, candidates: list[int], threshold: float
    ) -> tuple[int, float] | None:
        if not candidates:
            return None
        texts = self.texts
        match = process.extractOne(
            query, [texts[i] for i in candidates], scorer=fuzz.ratio, score_cutoff=threshold
        )
        if match is None:
            return None
        _, score, position = match
        return candidates[position], float(score)

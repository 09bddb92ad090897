"""What a match of source segments with translation blocks costs (lower is likelier).

The length part is Gale and Church's model: a translation's length in
characters is about ``ratio`` times its source's, with a variance growing with
the length; the cost is minus the log of how probable the observed difference
is.  The ratio and variance come from the book's own translated catalogs when
it has enough of them, else from the language pair.  Anchors a book has and a
corpus does not then move the cost: block kinds (a heading pairs with a
heading), numbers, footnote calls, links, inline markup, and names or words
written the same in both languages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bilingual_pub.model import SegmentKind

# Priors of each kind of match, as -log(probability).  Gale and Church's, measured on
# sentences, are 1-1 0.89, 1-0 or 0-1 0.005, 2-1 or 1-2 0.045; a book's paragraphs are
# seldom merged or split and more often left out or added to (a translator's note).
COST_ONE_ONE = -math.log(0.94)
COST_SKIP = -math.log(0.01)
COST_TWO_ONE = -math.log(0.02)

# Weights of the anchors, in the same units (tuned on the sample book's translations)
KIND_MISMATCH = 6.0
KIND_SHARED = 2.0  # a heading with a heading, a note with a note: rarer than paragraphs
NUMBER_MISMATCH = 1.5  # per number on one side only (at most 4 counted)
NUMBER_SHARED = 1.5  # per number on both sides (at most 3 counted)
NOTE_MISMATCH = 3.0  # per footnote call more on one side
LINK_MISMATCH = 2.0
LINK_SHARED = 2.0
MARKUP_MISMATCH = 0.5  # per emphasis or code span more on one side (at most 4 counted)
WORD_SHARED = 0.8  # per name or word written alike (at most 6 counted)
# one of two merged pieces that shares nothing with the other side while the other
# piece does: a paragraph with a translator's note after it, not a split translation
UNRELATED_PIECE = 3.0
SENTENCE_MISMATCH = 2.0  # per sentence more on one side (at most 3 counted)


@dataclass(frozen=True)
class LengthModel:
    """Translation length ~ ratio x source length, variance ~ variance x length."""

    ratio: float
    variance: float
    origin: str  # "book" (measured on its catalogs), "language pair" or "default"


# Ratios measured on the sample book's catalogs (108 en>es paragraphs: 1.13, variance 1.9;
# 55 es>en: 0.94, 1.2), the variance raised to 4 for translators other than its own;
# Gale and Church's figures for other pairs.
PAIR_MODELS = {("en", "es"): (1.13, 4.0), ("es", "en"): (0.94, 4.0)}
DEFAULT_MODEL = LengthModel(1.0, 6.8, "default")
MIN_PAIRS = 20
MIN_CHARACTERS = 2000
MIN_VARIANCE = 3.0


def pair_model(source_lang: str, target_lang: str) -> LengthModel:
    base = (source_lang.split("-")[0], target_lang.split("-")[0])
    if base in PAIR_MODELS:
        ratio, variance = PAIR_MODELS[base]
        return LengthModel(ratio, variance, "language pair")
    return DEFAULT_MODEL


def estimate_model(pairs: Iterable[tuple[str, str]], fallback: LengthModel) -> LengthModel:
    """The model of a book's own (source, translation) pairs, if there are enough of them."""
    lengths = [(measure(source), measure(target)) for source, target in pairs]
    lengths = [(s, t) for s, t in lengths if s > 0 and t > 0]
    total = sum(s for s, _ in lengths)
    if len(lengths) < MIN_PAIRS or total < MIN_CHARACTERS:
        return fallback
    ratio = sum(t for _, t in lengths) / total
    variance = sum((t - ratio * s) ** 2 for s, t in lengths) / total
    # never tighter than this: one translator's habits are no promise about the next one's
    return LengthModel(ratio, max(variance, MIN_VARIANCE), "book")


_PARAGRAPH = SegmentKind.PARAGRAPH
_ONE_OVER_ROOT_TWO = 1 / math.sqrt(2)
_ROOT_HALF_PI = math.sqrt(math.pi / 2)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_NUMBER = re.compile(r"\d+")
_NOTE_CALL = re.compile(r"\[\^[^\]\s]+\]")
_URL = re.compile(r"\]\(\s*<?([^)\s>]+)")
_MARKUP = re.compile(r"\*\*|__|(?<![\w*])[*_](?=\S)|`+")
_SENTENCE_END = re.compile(r"[.?!…](?=[\s)»”\"']*(?:\s|$))")
# a word of five letters or more, or a shorter one that starts with a capital (UE, FAT,
# Erie); capitals of Latin-1, which English and Spanish need
_ANCHOR_WORD = re.compile(r"[^\W\d_]{5,}|(?<![^\W\d_])[A-ZÀ-ÖØ-Þ][^\W\d_]{1,3}(?![^\W\d_])")


def measure(text: str) -> int:
    """Characters a reader sees: link targets and footnote calls left out."""
    return len(_NOTE_CALL.sub("", _LINK_TARGET.sub("]", text)))


@dataclass(frozen=True, slots=True)
class Features:
    """What one block (or two, merged) shows of itself, computed once."""

    length: int
    kinds: frozenset[SegmentKind]
    numbers: frozenset[str]
    notes: int
    links: frozenset[str]
    markup: int
    words: frozenset[str]
    sentences: int
    bonus: float  # the most its anchors can take off a match's cost




def _bonus(
    kinds: frozenset[SegmentKind],
    numbers: frozenset[str],
    links: frozenset[str],
    words: frozenset[str],
) -> float:
    """The most a block's anchors can take off the cost of any match it is in."""
    return (
        KIND_SHARED * (_PARAGRAPH not in kinds)
        + NUMBER_SHARED * min(len(numbers), 3)
        + LINK_SHARED * bool(links)
        + WORD_SHARED * min(len(words), 6)
    )


_NO_WORDS: frozenset[str] = frozenset()
_KINDS = {kind: frozenset((kind,)) for kind in SegmentKind}


def features(text: str, kind: SegmentKind) -> Features:
    # most paragraphs have no links, notes or markup: a membership test spares the regex
    notes = len(_NOTE_CALL.findall(text)) if "[^" in text else 0
    linked = "](" in text
    marked = "*" in text or "_" in text or "`" in text
    kinds = _KINDS[kind]
    numbers = frozenset([number.lstrip("0") or "0" for number in _NUMBER.findall(text)])
    links = frozenset(_URL.findall(text)) if linked else _NO_WORDS
    words = frozenset(_anchor_words(text))
    return Features(
        length=measure(text) if notes or linked else len(text),
        kinds=kinds,
        numbers=numbers,
        notes=notes,
        links=links,
        markup=len(_MARKUP.findall(text)) if marked else 0,
        words=words,
        sentences=len(_SENTENCE_END.findall(text)) or 1,
        bonus=_bonus(kinds, numbers, links, words),
    )


def _anchor_words(text: str) -> list[str]:
    """Words likely written alike in both languages: long words, names and acronyms."""
    found = _ANCHOR_WORD.findall(_LINK_TARGET.sub("]", text) if "](" in text else text)
    return " ".join(found).lower().split()


def combine(first: Features, second: Features) -> Features:
    kinds, numbers = first.kinds | second.kinds, first.numbers | second.numbers
    links, words = first.links | second.links, first.words | second.words
    return Features(
        length=first.length + second.length + 1,
        kinds=kinds,
        numbers=numbers,
        notes=first.notes + second.notes,
        links=links,
        markup=first.markup + second.markup,
        words=words,
        sentences=first.sentences + second.sentences,
        bonus=_bonus(kinds, numbers, links, words),
    )


class Scorer:
    """Prices matches for one text and one translation."""

    def __init__(self, model: LengthModel, *, kinds: bool, anchors: bool = True):
        self.ratio = model.ratio
        self.variance = model.variance
        self._inverse_ratio = 1 / model.ratio
        self._half_variance = model.variance / 2
        self.kinds = kinds  # whether the translation's blocks have kinds to compare
        self.anchors = anchors  # False: Gale and Church's length cost alone

    def length_cost(self, source: int, target: int) -> float:
        """-log P(|difference| >= the one observed), the difference being normal with a
        variance proportional to the mean length (Gale and Church)."""
        spread = self._half_variance * (source + target * self._inverse_ratio)
        if spread <= 0:
            return 0.0
        z = abs(target - self.ratio * source) / math.sqrt(spread)
        if z < 8.0:
            return -math.log(math.erfc(z * _ONE_OVER_ROOT_TWO))
        # the tail of erfc, which underflows past this point
        return z * z / 2 + math.log(z * _ROOT_HALF_PI)

    def match(self, source: Features, target: Features, prior: float) -> float:
        """The cost of matching ``source`` (one segment or two) with ``target``."""
        return prior + self.length_cost(source.length, target.length) + self.anchor_cost(
            source, target
        )

    def anchor_cost(self, source: Features, target: Features) -> float:
        """What the anchors add to (or, agreeing, take from) a match's length cost."""
        if not self.anchors:
            return 0.0
        cost = 0.0
        if self.kinds:
            if source.kinds != target.kinds:
                cost += KIND_MISMATCH
            elif _PARAGRAPH not in source.kinds:
                cost -= KIND_SHARED
        if source.numbers or target.numbers:
            shared = len(source.numbers & target.numbers)
            only = len(source.numbers) + len(target.numbers) - 2 * shared
            cost += NUMBER_MISMATCH * min(only, 4) - NUMBER_SHARED * min(shared, 3)
        if source.notes != target.notes:
            cost += NOTE_MISMATCH * abs(source.notes - target.notes)
        if source.links or target.links:
            shared = len(source.links & target.links)
            cost += LINK_MISMATCH * (len(source.links | target.links) > shared)
            cost -= LINK_SHARED * (shared > 0)
        if source.markup != target.markup:
            cost += MARKUP_MISMATCH * min(abs(source.markup - target.markup), 4)
        if source.sentences != target.sentences:
            cost += SENTENCE_MISMATCH * min(abs(source.sentences - target.sentences), 3)
        if source.words and target.words:
            cost -= WORD_SHARED * min(len(source.words & target.words), 6)
        return cost

    def unrelated(self, single: Features, first: Features, second: Features) -> float:
        if not (self.anchors and single.words):
            return 0.0
        first_shares = len(single.words & first.words)
        second_shares = len(single.words & second.words)
        if min(first_shares, second_shares) == 0 and max(first_shares, second_shares) >= 2:
            unshared = second if first_shares else first
            if len(unshared.words) >= 5:
                return UNRELATED_PIECE
        return 0.0


def all_features(texts: Sequence[tuple[str, SegmentKind]]) -> list[Features]:
    return [features(text, kind) for text, kind in texts]

"""The fuzzy candidate index: finds where an edited segment came from, fast and reproducibly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from bilingual_pub.catalogs.fuzzy import _PUNCTUATION, FuzzyIndex, words
from bilingual_pub.catalogs.merge import merge
from bilingual_pub.catalogs.messages import Catalog, PoFile, make_message
from bilingual_pub.config import DEFAULT_FUZZY_THRESHOLD

ROOT = Path(__file__).resolve().parents[1]

TEXTS = [
    "The two unions met in Chicago in 1992 and agreed to organize together.",
    "The two unions met in Erie in 1993 and agreed to exchange delegations.",
    "Workers at the plant in Ciudad Juárez asked for an independent union.",
    "The complaint was filed in Washington under the labor side agreement.",
    "1994",
    "Chapter one",
]


def test_finds_the_text_an_edit_came_from() -> None:
    index = FuzzyIndex(TEXTS)
    found = index.best("The two unions met in Chicago in October 1992 and agreed to organize.", 72)
    assert found is not None and found[0] == 0
    assert found[1] == fuzz.ratio(
        "The two unions met in Chicago in October 1992 and agreed to organize.", TEXTS[0]
    )


def test_nothing_below_the_threshold() -> None:
    index = FuzzyIndex(TEXTS)
    assert index.best("Something else entirely, about the price of coffee.", 72) is None
    assert index.best("The two unions", DEFAULT_FUZZY_THRESHOLD) is None  # too short to be kin


def test_short_segments_without_shared_words() -> None:
    index = FuzzyIndex(TEXTS)
    assert index.best("1995", 70) == (4, 75.0)
    assert index.best("Chapter two", 60) == (5, fuzz.ratio("Chapter two", "Chapter one"))


def test_empty_index() -> None:
    assert FuzzyIndex([]).best("anything", 50) is None


def test_many_texts_sharing_common_words() -> None:
    """Among 3,000 texts of common words, the rarest shared words still find the source."""
    words = ["the", "union", "workers", "plant", "border", "wage", "contract", "strike", "meeting"]
    texts = [
        " ".join(words[(i * 7 + j * 3) % len(words)] for j in range(12)) + f" number {i}"
        for i in range(3000)
    ]
    index = FuzzyIndex(texts)
    query = texts[1234].replace("number 1234", "number 1234, amended")
    found = index.best(query, 72)
    assert found is not None and texts[found[0]].endswith("number 1234")


def test_merge_is_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the merge must not."""
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.test_fuzzy import merged_ids\n"
        "print(merged_ids())\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def merged_ids() -> list[tuple[str, str | None]]:
    """Fuzzy matches of slightly edited texts that tie on their rarest words."""
    old = PoFile(catalog=_catalog([f"Item {n}: the delegates met and voted." for n in range(40)]))
    new = PoFile(catalog=_catalog([f"Item {n}: the delegates met and voted again." for n in range(40)]))
    result, _ = merge(new, old, header="", threshold=72)
    return [(str(m.id), (m.previous_id or [None])[0]) for m in result.messages()]


def _catalog(texts: list[str]) -> Catalog:
    catalog = Catalog()
    for text in texts:
        catalog[text] = make_message(text, f"ES {text}")
    return catalog


def test_merged_ids_match_their_own_source() -> None:
    for new, previous in merged_ids():
        assert previous is not None and new.startswith(previous.removesuffix("."))


@given(st.text(alphabet=st.sampled_from("aZ 9\t\n.,;'\"-_()ñÉ“”¿¡—…\u00a0\u2028"), max_size=60))
def test_words_are_the_same_for_ascii_and_other_text(text: str) -> None:
    """ASCII text takes a faster path (bytes.translate); the words must not change."""
    assert words(text) == set(text.lower().translate(_PUNCTUATION).split())

"""Spread mode uses fewer pages than pair mode where the languages' lengths vary per pair.

Pair mode gives every pair the room of its longer side; spread mode fills each page on
its own and synchronises at spreads only, so where one pair is longer in one language
and the next in the other, its pages hold more.  The fixture book is such a text: pairs
long in English and short in Spanish, then the other way round, some crossing a page
on one side only, one longer than a page, headings and a note among them.  Both modes
are built, read back and checked as tests/test_facing.py checks them.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bilingual_pub.build import BuildRequest, build
from bilingual_pub.project import Project
from bilingual_pub.render.pdf.spread_plan import Placer, Plan
from tests.bookgen import EN_WORDS, ES_WORDS, generated_book_toml, paragraph, sentence
from tests.harness import make_book
from tests.test_facing import assert_pair_mode, assert_spread_mode, facing_report, in_spread_mode

# sentences per pair in English and Spanish, in turn: the longer side changes pair by pair
LENGTHS = [(6, 1), (1, 6), (4, 2), (2, 5), (8, 1), (1, 3), (3, 8), (5, 2)]


def varying_book(root: Path, *, chapters: int = 2, pairs: int = 36, seed: int = 17) -> Project:
    """A book whose pairs are long in one language and short in the other, in turn."""
    rng = random.Random(seed)
    texts, translations = {}, {}
    for number in range(1, chapters + 1):
        title = (f"Chapter {number}", f"Capítulo {number}")
        translations[title[0]] = title[1]
        blocks = [f"# {title[0]}"]
        for index in range(pairs):
            if index % 12 == 6:
                heading = (sentence(rng, EN_WORDS, 3)[:-1], sentence(rng, ES_WORDS, 4)[:-1])
                translations[heading[0]] = heading[1]
                blocks.append(f"## {heading[0]}")
            en_length, es_length = LENGTHS[(index + number) % len(LENGTHS)]
            if index == 20:
                en_length, es_length = 3, 40  # longer than a page in Spanish
            en, es = (
                paragraph(rng, words, n)
                for words, n in ((EN_WORDS, en_length), (ES_WORDS, es_length))
            )
            if index == 9:
                en, es = en + "[^1]", es + "[^1]"
            translations[en] = es
            blocks.append(en)
        note = (paragraph(rng, EN_WORDS, 2), paragraph(rng, ES_WORDS, 2))
        translations[note[0]] = note[1]
        blocks.append(f"[^1]: {note[0]}")
        texts[f"{number:02d}-text.md"] = "\n\n".join(blocks) + "\n"
    make_book(root, texts, toml=generated_book_toml("vary"), translations=translations)
    return Project.open(root)


def facing_pages(project: Project) -> int:
    build(project, BuildRequest(formats=("pdf",), editions=("facing",), force=True))
    return facing_report(project).pages


@pytest.mark.slow
def test_spread_mode_takes_fewer_pages_than_pair_mode_where_lengths_vary(tmp_path: Path) -> None:
    project = varying_book(tmp_path)
    pair_pages = facing_pages(project)
    assert_pair_mode(facing_report(project))
    project = in_spread_mode(project)
    spread_pages = facing_pages(project)
    assert_spread_mode(facing_report(project))
    assert spread_pages < pair_pages


def placed(first_side: list[float], second_side: list[float]) -> Plan:
    """The plan of a chapter of pairs of these heights, on pages 100 high, lines 4 high."""
    return Placer([first_side, second_side], [False] * len(first_side), 100.0, 4.0).plan(Plan())


def test_a_pair_over_the_page_foot_on_one_side_is_left_white_after_on_the_other() -> None:
    """The second side runs over the foot in its third pair, whose first side is short:
    the first side leaves white after it instead of both pages breaking before it."""
    plan = placed([30, 30, 30, 30], [20, 20, 70, 20])
    assert plan.breaks == (set(), set())
    assert plan.starts == [0]
    assert plan.fills == ({2: (1, 10)}, {})


def test_a_pair_that_nearly_crosses_on_one_side_is_set_a_little_lower_to_cross() -> None:
    plan = placed([30, 30, 40, 30], [20, 20, 70, 20])
    assert plan.breaks == (set(), set())
    assert plan.spaces == ({2: 10}, {})
    assert plan.fills == ({}, {})


def test_a_pair_longer_than_a_page_continues_on_both_pages() -> None:
    """No run of its own (which would leave the rest of its last spread white)."""
    plan = placed([20, 50, 20, 20], [20, 250, 20, 20])
    assert plan.starts == [0]
    assert plan.fills == ({1: (2, 70)}, {})


def test_the_plan_survives_its_names() -> None:
    """Workers and the chapter cache reproduce a layout from its ``push`` names."""
    plan = placed([30, 30, 30, 30, 20, 50, 20, 20], [20, 20, 70, 20, 20, 250, 20, 20])
    again = Plan.from_names(plan.names("t01"))
    assert (again.starts, again.breaks, again.spaces, again.fills) == (
        plan.starts,
        plan.breaks,
        plan.spaces,
        plan.fills,
    )


def test_a_pair_too_short_to_part_at_the_page_foot_opens_the_next_spread() -> None:
    """Three lines and a margin (14 high, lines 4 high) cannot keep two lines on one page
    and two on the next: both pages break before it rather than planning it across."""
    plan = placed([45, 45, 14, 30], [45, 45, 30, 30])
    assert plan.breaks == ({2}, {2}) and plan.starts == [0]
    assert plan.fills == ({}, {}) and plan.spaces == ({}, {})
    crossing = placed([45, 45, 18, 30], [45, 45, 30, 30])  # four lines part: it crosses
    assert crossing.breaks == (set(), set()) and crossing.starts == [0]


def test_a_chapters_last_paragraph_parts_only_with_five_lines_to_carry() -> None:
    """book.css keeps five lines of a chapter's last paragraph together on its last page:
    six lines and a margin (26 high) part anywhere else, not at the chapter's end."""
    last = placed([45, 45, 26], [45, 45, 26])
    assert 2 in last.breaks[0] and 2 in last.breaks[1]
    inside = placed([45, 45, 26, 10], [45, 45, 26, 10])
    assert inside.breaks == (set(), set()) and inside.starts == [0]

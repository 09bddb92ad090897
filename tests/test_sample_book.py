"""The sample book at the repository root: its catalogs are valid, complete and in step."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual_pub.catalogs.review import book_stats, check_catalogs
from bilingual_pub.project import Project
from tests.bookgen import copy_sample_book
from tests.harness import tree_state
from tests.po_support import assert_msgfmt_ok, catalogs, run_update

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CATALOGS = catalogs(ROOT)


def test_the_sample_book_has_catalogs() -> None:
    assert len([p for p in SAMPLE_CATALOGS if p.suffix == ".pot"]) >= 5
    assert len([p for p in SAMPLE_CATALOGS if p.suffix == ".po"]) >= 5


@pytest.mark.parametrize("path", SAMPLE_CATALOGS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_msgfmt_check_passes_on_every_sample_catalog(path: Path) -> None:
    assert_msgfmt_ok(path)


def test_sample_catalogs_are_in_step_with_the_texts(tmp_path: Path) -> None:
    """``update`` on a copy of the sample book has nothing to change."""
    copy_sample_book(tmp_path)
    before = tree_state(tmp_path)
    results = run_update(tmp_path)
    changed = [path for result in results for path in result.written]
    assert changed == [], "the sample catalogs are stale: run 'bilingual-pub update'"
    after = tree_state(tmp_path)
    assert {k: v for k, v in after.items() if k != ".bilingual-pub.lock"} == before


def test_sample_book_is_fully_translated_and_checks_clean() -> None:
    project = Project.open(ROOT)
    rows, total = book_stats(
        project.text_catalogs(), slug=project.config.slug, languages=project.config.languages
    )
    assert len(rows) >= 5
    assert {row.source_language for row in rows} == {"en", "es"}  # both languages are originals
    assert total.untranslated == 0 and total.fuzzy == 0, [r.as_dict() for r in rows]
    assert [f for f in check_catalogs(project.text_catalogs()) if f.level == "error"] == []

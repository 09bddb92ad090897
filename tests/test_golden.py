"""Golden files: a text (and optionally an older translated catalog) -> the exact POT and PO.

``tests/golden/<case>/`` holds ``input.md`` (the text, as ``texts/input.md``),
``expected.pot``, ``expected.po`` and, for merge cases, ``old.po``: the catalog
as a translator left it before the text changed (``old.md`` is that older
text, kept for the reader).  Regenerate with ``pytest tests/test_golden.py
--update-goldens`` and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bilingual_pub.catalogs.po_read import read_po
from tests.harness import make_book, tree_state
from tests.po_support import (
    assert_msgfmt_ok,
    nonempty_msgstr,
    po_path,
    run_update,
)

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(path.name for path in GOLDEN.iterdir() if (path / "input.md").exists())


def _target(case: Path) -> str:
    return "en" if (case / "input.md").read_text(encoding="utf-8").startswith("---\nlang: es") else "es"


def _updated(case_name: str, root: Path) -> tuple[Path, Path]:
    case = GOLDEN / case_name
    make_book(root, {"input.md": (case / "input.md").read_text(encoding="utf-8")})
    po = po_path(root, "input", _target(case))
    if (case / "old.po").exists():
        po.parent.mkdir(parents=True)
        shutil.copyfile(case / "old.po", po)
    run_update(root)
    return root / "locales" / "input.pot", po


@pytest.mark.parametrize("case_name", CASES)
def test_catalogs_match_golden_files(case_name: str, tmp_path: Path, update_goldens: bool) -> None:
    pot, po = _updated(case_name, tmp_path)
    case = GOLDEN / case_name
    if update_goldens:
        shutil.copyfile(pot, case / "expected.pot")
        shutil.copyfile(po, case / "expected.po")
    assert pot.read_text(encoding="utf-8") == (case / "expected.pot").read_text(encoding="utf-8")
    assert po.read_text(encoding="utf-8") == (case / "expected.po").read_text(encoding="utf-8")


@pytest.mark.parametrize("case_name", CASES)
def test_golden_catalogs_pass_msgfmt_check(case_name: str) -> None:
    case = GOLDEN / case_name
    for name in ("expected.pot", "expected.po", "old.po"):
        if (case / name).exists():
            assert_msgfmt_ok(case / name)


@pytest.mark.parametrize("case_name", CASES)
def test_golden_update_is_stable_and_keeps_translations(case_name: str, tmp_path: Path) -> None:
    old = GOLDEN / case_name / "old.po"
    _, po = _updated(case_name, tmp_path)
    if old.exists():
        assert nonempty_msgstr(po) >= nonempty_msgstr(old)
    before = tree_state(tmp_path)
    run_update(tmp_path)
    assert tree_state(tmp_path) == before


def test_merge_case_reads_as_gettext_would() -> None:
    """The reviewed facts behind tests/golden/merge/expected.po."""
    po = read_po(GOLDEN / "merge" / "expected.po")
    by_id = {m.id: m for m in po.messages()}
    edited = by_id["The two unions met in Chicago in October 1992 and agreed to organize together."]
    assert edited.fuzzy
    assert edited.previous_id == [
        "The two unions met in Chicago in 1992 and agreed to organize together."
    ]
    assert edited.string.startswith("Los dos sindicatos se reunieron en Chicago en 1992")
    assert edited.user_comments == ["Check the date against the minutes."]
    assert by_id["A new paragraph inserted by the author."].string == ""
    assert not by_id["Decisions by consensus."].fuzzy
    obsolete = {m.id: m.string for m in po.obsolete()}
    assert obsolete == {
        "A paragraph that will be deleted, with its translation kept as obsolete.":
            "Un párrafo que se borrará, cuya traducción se conserva como obsoleta.",
        "An old heading": "Un título antiguo",
    }
    assert "X-Generator: Poedit 3.4" in po.header
    assert "Last-Translator: Ana Traductora <ana@example.org>" in po.header


def test_long_paragraph_previous_msgid_spans_many_lines() -> None:
    text = (GOLDEN / "long_paragraph" / "expected.po").read_text(encoding="utf-8")
    previous = [line for line in text.splitlines() if line.startswith("#| ")]
    assert len(previous) > 10
    assert previous[0] == '#| msgid ""'
    strings = [line for line in text.splitlines() if '"' in line and not line.startswith("# ")]
    assert all(len(line) <= 79 for line in strings)
    [message] = [m for m in read_po(GOLDEN / "long_paragraph" / "expected.po").messages() if m.fuzzy]
    assert len(message.previous_id[0]) > 1000
    assert 'their "principles"' in message.previous_id[0]
    assert "C:\\\\union\\\\minutes" in message.previous_id[0]


def test_duplicates_share_one_entry() -> None:
    po = read_po(GOLDEN / "duplicates" / "expected.pot")
    chorus = po.catalog.get("The chorus comes back.")
    assert chorus is not None
    assert chorus.locations == [("texts/input.md", 3), ("texts/input.md", 7), ("texts/input.md", 9)]
    assert chorus.auto_comments == ["type: paragraph", "type: list item"]


def test_percent_signs_are_not_format_strings() -> None:
    # Babel would flag "40% of" as python-format, and msgfmt -c would then compare directives
    text = (GOLDEN / "blocks" / "expected.pot").read_text(encoding="utf-8")
    assert "In 1998, 40% of " in text
    assert "format" not in text


def test_spanish_original_goes_to_the_english_catalog() -> None:
    po = read_po(GOLDEN / "spanish_original" / "expected.po")
    assert "Language: en\n" in po.header
    assert "X-Source-Language: es\n" in po.header
    assert po.messages()[0].id == "Las quejas"

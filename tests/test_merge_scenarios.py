"""Merge scenarios on real files: a translated text is edited, then ``update`` runs.

Every scenario checks the properties of the foundation issue:

- ``msgfmt -c`` accepts every catalog written;
- the number of non-empty msgstr (translated + fuzzy + obsolete) never decreases;
- a second ``update`` changes no byte and no mtime of any file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from tests.harness import fake_translation, make_book, tree_state
from tests.po_support import assert_all_msgfmt_ok, nonempty_msgstr, po_path, run_update

LONG = (
    'The delegates copied the "principles" from the blackboard — word for word, '
    "backslashes and all (C:\\\\minutes\\\\1992, \\*not emphasis\\*) — into a notebook that "
    "José Ñúñez kept for thirty years. "
    + " ".join(
        f"Entry {n} of the notebook records who spoke, who hesitated and what was promised "
        f"at the meeting in Erie, in the words of the people who were there."
        for n in range(1, 14)
    )
)

BLOCKS = [
    "# The first meeting",
    "The two unions met in Chicago in 1992 and agreed to organize together.",
    "They agreed on three principles, which guided everything that followed.",
    "Each union makes the decisions that concern its own country, and neither tells the other "
    "what to do.",
    LONG,
    "- Respect for each union's autonomy.\n- Decisions by *consensus*.",
    "The first exchange visit took place the following spring.[^1]",
    "[^1]: The visit is described in the second chapter.",
]

# paragraph index -> its text, for the paragraphs the scenarios touch
EDITED = 2
DELETED = 3


@dataclass
class Book:
    root: Path
    blocks: list[str]

    @property
    def po(self) -> Path:
        return po_path(self.root, "chapter")

    def write(self, blocks: list[str]) -> None:
        self.blocks = blocks
        (self.root / "texts" / "chapter.md").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")

    def update(self) -> None:
        """``update``, then the three properties every scenario must keep."""
        before = nonempty_msgstr(self.po)
        run_update(self.root)
        assert_all_msgfmt_ok(self.root)
        assert nonempty_msgstr(self.po) >= before
        unchanged = tree_state(self.root)
        run_update(self.root)
        assert tree_state(self.root) == unchanged, "a second update changed a file"

    def entry(self, msgid: str) -> polib.POEntry:
        found = polib.pofile(str(self.po)).find(msgid)
        assert found is not None, msgid
        return found

    def obsolete(self) -> dict[str, str]:
        return {e.msgid: e.msgstr for e in polib.pofile(str(self.po)) if e.obsolete}


@pytest.fixture
def book(tmp_path: Path) -> Book:
    """A text, extracted, fully translated."""
    make_book(tmp_path, {"chapter.md": "\n\n".join(BLOCKS) + "\n"}, translations=fake_translation)
    assert_all_msgfmt_ok(tmp_path)
    return Book(tmp_path, list(BLOCKS))


def _edit(text: str) -> str:
    return text.replace("three principles", "three simple principles")


def test_translated_book_is_complete(book: Book) -> None:
    entries = polib.pofile(str(book.po))
    assert entries.percent_translated() == 100
    assert len(entries) == 9  # heading, 5 paragraphs, 2 items, 1 footnote


def test_edit_keeps_old_translation_as_fuzzy(book: Book) -> None:
    old = BLOCKS[EDITED]
    book.write([_edit(b) for b in BLOCKS])
    book.update()
    entry = book.entry(_edit(old))
    assert entry.fuzzy
    assert entry.previous_msgid == old
    assert entry.msgstr == fake_translation(old)
    assert book.obsolete() == {}  # the translation moved, it was not left behind


def test_edited_long_paragraph_has_a_many_line_previous_msgid(book: Book) -> None:
    edited = LONG.replace("thirty years", "forty years").replace("Entry 7", "Item 7")
    book.write([edited if b == LONG else b for b in BLOCKS])
    book.update()  # msgfmt -c included
    entry = book.entry(edited)
    assert entry.fuzzy
    assert entry.previous_msgid == LONG
    assert entry.msgstr == fake_translation(LONG)
    previous_lines = [
        line for line in book.po.read_text(encoding="utf-8").splitlines() if line.startswith("#|")
    ]
    assert len(LONG) > 1000
    assert len(previous_lines) > 12
    assert all(len(line) <= 79 for line in previous_lines)


def test_delete_keeps_translation_as_obsolete(book: Book) -> None:
    deleted = BLOCKS[DELETED]
    book.write([b for b in BLOCKS if b != deleted])
    book.update()
    assert book.obsolete() == {deleted: fake_translation(deleted)}
    assert "#~ msgid" in book.po.read_text(encoding="utf-8")


def test_deleted_then_restored_paragraph_comes_back_translated(book: Book) -> None:
    deleted = BLOCKS[DELETED]
    book.write([b for b in BLOCKS if b != deleted])
    book.update()
    book.write(list(BLOCKS))
    book.update()
    entry = book.entry(deleted)
    assert entry.msgstr == fake_translation(deleted)
    assert not entry.fuzzy and not entry.obsolete
    assert book.obsolete() == {}


def test_insert_adds_an_untranslated_entry(book: Book) -> None:
    new = "A paragraph about something else entirely: the price of coffee in 1993."
    book.write([*BLOCKS[:3], new, *BLOCKS[3:]])
    book.update()
    assert book.entry(new).msgstr == ""
    assert not book.entry(new).fuzzy
    for block in (BLOCKS[1], BLOCKS[2], LONG):
        assert book.entry(block).msgstr == fake_translation(block)
        assert not book.entry(block).fuzzy


def test_reorder_keeps_everything_exactly(book: Book) -> None:
    before = {e.msgid: e.msgstr for e in polib.pofile(str(book.po))}
    book.write([BLOCKS[0], BLOCKS[4], BLOCKS[2], BLOCKS[1], BLOCKS[6], BLOCKS[5], BLOCKS[3], BLOCKS[7]])
    book.update()
    after = polib.pofile(str(book.po))
    assert {e.msgid: e.msgstr for e in after} == before
    assert not after.fuzzy_entries() and not after.obsolete_entries()
    assert book.entry(LONG).occurrences == [("texts/chapter.md", "3")]


def test_duplicate_paragraph_shares_one_entry(book: Book) -> None:
    book.write([*BLOCKS[:-1], BLOCKS[1], BLOCKS[-1]])
    book.update()
    entry = book.entry(BLOCKS[1])
    assert entry.occurrences == [("texts/chapter.md", "3"), ("texts/chapter.md", "16")]
    assert entry.msgstr == fake_translation(BLOCKS[1])
    assert not entry.fuzzy


def test_edited_copy_of_a_paragraph_borrows_its_translation(book: Book) -> None:
    copy = BLOCKS[1].replace("in 1992", "again in 1993")
    book.write([*BLOCKS[:-1], copy, BLOCKS[-1]])
    book.update()
    assert book.entry(BLOCKS[1]).msgstr == fake_translation(BLOCKS[1])
    borrowed = book.entry(copy)
    assert borrowed.fuzzy and borrowed.previous_msgid == BLOCKS[1]
    assert borrowed.msgstr == fake_translation(BLOCKS[1])


def test_rewritten_paragraph_is_not_fuzzy_and_old_translation_is_kept(book: Book) -> None:
    rewritten = "Nothing here resembles what was written before, not one phrase of it."
    book.write([rewritten if i == DELETED else b for i, b in enumerate(BLOCKS)])
    book.update()
    assert book.entry(rewritten).msgstr == "" and not book.entry(rewritten).fuzzy
    assert book.obsolete() == {BLOCKS[DELETED]: fake_translation(BLOCKS[DELETED])}


def test_translator_comments_and_flags_follow_the_fuzzy_entry(book: Book) -> None:
    po = read_po(book.po)
    [message] = [m for m in po.messages() if m.id == BLOCKS[EDITED]]
    message.user_comments = ["Checked against the minutes.", "", "Second note."]
    message.flags = {"no-wrap"}
    book.po.write_text(render_po(po), encoding="utf-8")
    book.write([_edit(b) for b in BLOCKS])
    book.update()
    entry = book.entry(_edit(BLOCKS[EDITED]))
    assert entry.tcomment == "Checked against the minutes.\n\nSecond note."
    assert entry.flags == ["fuzzy", "no-wrap"]


def test_edit_before_review_stays_fuzzy_with_its_translation(book: Book) -> None:
    once = _edit(BLOCKS[EDITED])
    twice = once.replace("everything", "almost everything")
    book.write([once if i == EDITED else b for i, b in enumerate(BLOCKS)])
    book.update()
    book.write([twice if i == EDITED else b for i, b in enumerate(BLOCKS)])
    book.update()
    entry = book.entry(twice)
    assert entry.fuzzy
    assert entry.previous_msgid == once
    assert entry.msgstr == fake_translation(BLOCKS[EDITED])


Step = Callable[[list[str]], list[str]]
STEPS: list[tuple[str, Step]] = [
    ("edit", lambda blocks: [_edit(b) for b in blocks]),
    ("delete", lambda blocks: [b for b in blocks if b != BLOCKS[DELETED]]),
    ("insert", lambda blocks: [*blocks[:2], "A brand new paragraph, inserted.", *blocks[2:]]),
    ("reorder", lambda blocks: [blocks[0], *reversed(blocks[1:-1]), blocks[-1]]),
    ("duplicate", lambda blocks: [*blocks[:-1], blocks[1], blocks[-1]]),
    ("edit long", lambda blocks: [b.replace("Entry 3 ", "Line 3 ") for b in blocks]),
    ("restore", lambda blocks: list(BLOCKS)),
    ("delete all but the heading", lambda blocks: blocks[:1]),
    ("restore again", lambda blocks: list(BLOCKS)),
]


def test_translations_never_decrease_across_a_sequence_of_edits(book: Book) -> None:
    counts = [nonempty_msgstr(book.po)]
    for name, step in STEPS:
        book.write(step(book.blocks))
        book.update()  # msgfmt -c, monotonic count and a stable second update, at every step
        counts.append(nonempty_msgstr(book.po))
        assert counts[-1] >= counts[-2], f"after {name}: {counts}"
    restored = polib.pofile(str(book.po))
    for block in (BLOCKS[1], BLOCKS[DELETED], LONG):
        assert restored.find(block).msgstr == fake_translation(block)


def test_no_churn_when_time_passes(book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree_state(book.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # years later
    run_update(book.root)
    assert tree_state(book.root) == before
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # the clock
    run_update(book.root)
    assert tree_state(book.root) == before


def test_pot_date_changes_only_with_the_text(book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    pot = book.root / "locales" / "chapter.pot"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    book.write([_edit(b) for b in BLOCKS])
    run_update(book.root)
    assert '"POT-Creation-Date: 2027-01-15 08:00+0000\\n"' in pot.read_text()
    assert '"POT-Creation-Date: 2027-01-15 08:00+0000\\n"' in book.po.read_text()
    # the translator's revision date is theirs, not ours
    assert '"PO-Revision-Date: 2026-01-01 00:00+0000\\n"' in book.po.read_text()


def test_a_later_update_leaves_unchanged_catalogs_alone(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the dates would differ a day later: no file is rewritten, none changes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run_update(book.root)
    unchanged = tree_state(book.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1700000000 + 86400))
    run_update(book.root)
    assert tree_state(book.root) == unchanged
    # an edit does change them, and the POT then carries the new date
    book.write([_edit(b) for b in BLOCKS])
    run_update(book.root)
    pot = (book.root / "locales" / "chapter.pot").read_text(encoding="utf-8")
    assert '"POT-Creation-Date: 2023-11-15 22:13+0000\\n"' in pot

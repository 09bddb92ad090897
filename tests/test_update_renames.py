"""``update`` loses nothing a person wrote when a msgid is typed over, a text is renamed or
deleted, or a language becomes regional (``es`` -> ``es-MX``).

Every scenario runs on real files and checks, besides its own point, that every catalog
written passes ``msgfmt -c`` and that a second ``update`` changes no byte.
"""

from __future__ import annotations

import logging
from pathlib import Path

import polib
import pytest

from bilingual_pub.build import load_document
from bilingual_pub.catalogs.review import book_stats, check_catalogs
from bilingual_pub.catalogs.update import UpdateResult
from bilingual_pub.project import Project
from tests.harness import (
    TITLES,
    book_toml,
    cli,
    fake_translation,
    make_book,
    translate_catalog,
    tree_state,
)
from tests.po_support import assert_all_msgfmt_ok, po_path, run_update

PARAGRAPHS = [
    f"Paragraph {n} tells how the delegates of meeting {n} travelled to Erie and what "
    f"they promised each other there, in the words of the people who were present."
    for n in range(1, 21)
]


def _markdown(paragraphs: list[str]) -> str:
    return "# Afterwards\n\n" + "\n\n".join(paragraphs) + "\n"


def _regional_toml() -> str:
    """The book's book.toml with its Spanish made regional: ``es`` -> ``es-MX``."""
    return book_toml(languages=["en", "es-MX"], titles={"en": TITLES["en"], "es-MX": TITLES["es"]})


def _translated_book(root: Path, stem: str, paragraphs: list[str]) -> Path:
    return make_book(root, {f"{stem}.md": _markdown(paragraphs)}, translations=fake_translation)


def _update_twice(root: Path) -> list[UpdateResult]:
    """``update``; every catalog passes ``msgfmt -c``; a second ``update`` changes no byte."""
    results = run_update(root)
    assert_all_msgfmt_ok(root)
    before = tree_state(root)
    run_update(root)
    assert tree_state(root) == before
    return results


# -- 3: a translation typed into the msgid -----------------------------------------


SPANISH = (
    "El párrafo 2 cuenta cómo los delegados de la reunión 2 viajaron a Erie y lo que se "
    "prometieron allí."
)


@pytest.mark.parametrize("msgstr", ["", "ES: Paragraph 2", SPANISH])
def test_a_msgid_typed_over_is_kept_as_obsolete_and_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, msgstr: str
) -> None:
    root = make_book(tmp_path, {"chapter.md": _markdown(PARAGRAPHS)})
    run_update(root)
    path = po_path(root, "chapter")
    if msgstr:
        translate_catalog(path, fake_translation)
    # the translator overwrites the English msgid with Spanish, in a plain editor
    po = polib.pofile(str(path), wrapwidth=0)
    entry = po.find(PARAGRAPHS[1])
    assert entry is not None
    entry.msgid = SPANISH
    entry.msgstr = msgstr
    po.save(str(path))
    line = next(
        number
        for number, content in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if content.startswith("msgid") and "El párrafo 2" in content
    )

    with caplog.at_level(logging.WARNING, logger="bilingual_pub"):
        _update_twice(root)

    after = polib.pofile(str(path))
    kept = [e for e in after.obsolete_entries() if e.msgid == SPANISH]
    assert kept, "the Spanish text typed into the msgid is gone from the catalog"
    assert kept[0].msgstr == msgstr
    assert after.find(PARAGRAPHS[1]) is not None  # the segment itself is back, to translate
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    where = f"locales/es/LC_MESSAGES/chapter.po:{line}: "
    assert any(w.startswith(where) and "no template" in w for w in warnings), warnings


# -- 4: a renamed or deleted text ----------------------------------------------------


def _translations(path: Path) -> set[str]:
    return {e.msgstr for e in polib.pofile(str(path)) if e.msgstr and not e.obsolete}


def test_a_renamed_text_keeps_its_translations(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _translated_book(tmp_path, "03-afterwards", PARAGRAPHS)
    old_po = po_path(root, "03-afterwards")
    before = _translations(old_po)
    # renamed, and one paragraph edited on the way
    edited = [*PARAGRAPHS]
    edited[4] = edited[4].replace("travelled to Erie", "went to Erie by bus")
    (root / "texts" / "03-afterwards.md").unlink()
    (root / "texts" / "03-epilogue.md").write_text(_markdown(edited), encoding="utf-8")

    with caplog.at_level(logging.INFO, logger="bilingual_pub"):
        results = _update_twice(root)

    new_po = po_path(root, "03-epilogue")
    carried = _translations(new_po) & before
    assert len(carried) >= 0.95 * len(before), f"{len(carried)} of {len(before)} carried over"
    entries = polib.pofile(str(new_po))
    assert len(entries.fuzzy_entries()) == 1
    assert not entries.untranslated_entries()
    # the old catalog and template are gone: everything is in the new catalog
    assert not old_po.exists()
    assert not (root / "locales" / "03-afterwards.pot").exists()
    [result] = results
    assert result.carried_from == "locales/es/LC_MESSAGES/03-afterwards.po"
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        "texts/03-epilogue.md: translations carried over from "
        "locales/es/LC_MESSAGES/03-afterwards.po" in m
        for m in messages
    ), messages


def test_a_new_text_does_not_take_an_unrelated_catalog(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _translated_book(tmp_path, "03-afterwards", PARAGRAPHS)
    old_po = po_path(root, "03-afterwards")
    (root / "texts" / "03-afterwards.md").unlink()
    other = [f"Something else entirely, number {n}, about the weather." for n in range(5)]
    (root / "texts" / "04-weather.md").write_text(_markdown(other), encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="bilingual_pub"):
        _update_twice(root)

    assert old_po.exists()
    assert len(polib.pofile(str(po_path(root, "04-weather"))).translated_entries()) == 0
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(
        w.startswith("locales/es/LC_MESSAGES/03-afterwards.po:") and "is gone" in w
        for w in warnings
    ), warnings


def test_a_deleted_texts_catalog_is_kept_and_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_book(
        tmp_path, {"01-one.md": _markdown(PARAGRAPHS[:3]), "02-two.md": _markdown(PARAGRAPHS[3:])}
    )
    run_update(root)
    translate_catalog(po_path(root, "02-two"), fake_translation)
    kept = po_path(root, "02-two").read_bytes()
    (root / "texts" / "02-two.md").unlink()

    with caplog.at_level(logging.WARNING, logger="bilingual_pub"):
        _update_twice(root)

    assert po_path(root, "02-two").read_bytes() == kept
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(
        w.startswith("locales/es/LC_MESSAGES/02-two.po:") and "texts/02-two.md is gone" in w
        for w in warnings
    ), warnings


# -- 5: es -> es-MX --------------------------------------------------------------------


def test_a_regional_language_reads_the_base_languages_catalogs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _translated_book(tmp_path, "chapter", PARAGRAPHS)
    spanish = po_path(root, "chapter")
    regional = _regional_toml()
    assert regional != book_toml()
    (root / "book.toml").write_text(regional, encoding="utf-8")

    with caplog.at_level(logging.INFO, logger="bilingual_pub"):
        results = _update_twice(root)

    assert not (root / "locales" / "es-MX").exists()
    assert [r.language for r in results] == ["es-MX"]
    project = Project.open(root)
    assert project.po_path(project.texts()[0]) == spanish
    _rows, total = book_stats(
        project.text_catalogs(), slug=project.config.slug, languages=project.config.languages
    )
    assert total.percent == 100.0
    assert not [f for f in check_catalogs(project.text_catalogs()) if f.kind in ("missing", "untranslated")]
    document = load_document(Project.open(root))
    pairs = [pair for chapter in document.chapters for pair in chapter.pairs.values()]
    assert len(pairs) == len(PARAGRAPHS) + 1
    assert not document.warnings
    assert all(pair.text("es-MX").startswith("ES: ") for pair in pairs)
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        "es-MX" in m and "locales/es/LC_MESSAGES" in m for m in messages
    ), messages


def test_a_regional_catalog_of_its_own_wins(tmp_path: Path) -> None:
    root = _translated_book(tmp_path, "chapter", PARAGRAPHS)
    (root / "book.toml").write_text(_regional_toml(), encoding="utf-8")
    own = po_path(root, "chapter", "es-MX")
    own.parent.mkdir(parents=True)
    own.write_bytes(po_path(root, "chapter").read_bytes())
    project = Project.open(root)
    assert project.po_path(project.texts()[0]) == own


# -- what the command says ---------------------------------------------------------------


def test_the_command_says_what_it_kept_carried_over_and_read(tmp_path: Path) -> None:
    root = _translated_book(tmp_path, "03-afterwards", PARAGRAPHS)
    make_book(root, {"01-gone.md": _markdown(["A text that will be deleted."])})
    run_update(root)
    (root / "texts" / "01-gone.md").unlink()
    (root / "texts" / "03-afterwards.md").rename(root / "texts" / "03-epilogue.md")
    path = po_path(root, "03-afterwards")
    po = polib.pofile(str(path), wrapwidth=0)
    entry = po.find(PARAGRAPHS[0])
    assert entry is not None
    entry.msgid, entry.msgstr = SPANISH, ""
    po.save(str(path))
    (root / "book.toml").write_text(_regional_toml(), encoding="utf-8")

    updated = cli(root, "update", real=True)

    assert updated.returncode == 0, str(updated)
    # the typed-over segment borrows, fuzzy, the translation of its look-alike "Paragraph 11"
    assert (
        "03-epilogue -> es-MX: 20 kept, 1 fuzzy, 0 new, 0 revived, 1 obsolete\n"
        "  translations carried over from locales/es/LC_MESSAGES/03-afterwards.po (renamed text)"
    ) in updated.stdout
    warnings = updated.error_lines()
    typed = "WARNING: locales/es/LC_MESSAGES/03-afterwards.po:"
    assert any(w.startswith(typed) and "no template" in w for w in warnings), warnings
    gone = "WARNING: locales/es/LC_MESSAGES/01-gone.po: its text texts/01-gone.md is gone"
    assert any(w.startswith(gone) for w in warnings), warnings
    assert not (root / "locales" / "es-MX").exists()
    stats = cli(root, "stats", real=True)
    assert stats.returncode == 0, str(stats)
    fallback = "WARNING: es-MX: reading locales/es/LC_MESSAGES/ where locales/es-MX/ has no catalog"
    assert [w for w in stats.error_lines() if w.startswith(fallback)] != [], str(stats)
    assert_all_msgfmt_ok(root)
    kept = polib.pofile(str(po_path(root, "03-epilogue")))
    assert [e.msgid for e in kept.obsolete_entries()] == [SPANISH]


def test_a_text_left_out_of_the_book_keeps_its_catalog(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _translated_book(tmp_path, "03-afterwards", PARAGRAPHS)
    kept = po_path(root, "03-afterwards").read_bytes()
    # a copy of the text joins the book, the text itself is left out of book.texts
    (root / "texts" / "03-copy.md").write_text(_markdown(PARAGRAPHS), encoding="utf-8")
    (root / "book.toml").write_text(
        book_toml(texts=["texts/03-copy.md"]), encoding="utf-8"
    )

    with caplog.at_level(logging.WARNING, logger="bilingual_pub"):
        [result] = _update_twice(root)

    assert result.carried_from is None
    assert po_path(root, "03-afterwards").read_bytes() == kept
    assert not [r for r in caplog.records if "is gone" in r.getMessage()]

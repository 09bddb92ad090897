"""Catalogs saved by other tools are read, merged and rewritten without losing anything.

Each catalog holds what translators' tools write: translator comments, flags
(``fuzzy``, ``python-format``, ``no-wrap``), a previous msgid, an obsolete
entry (with its own previous msgid), header fields we don't know.  After
``update`` on a changed text, all of it must still be there, and ``msgfmt -c``
must accept the result.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from bilingual_pub.catalogs.po_read import read_po
from tests.harness import make_book, tree_state
from tests.po_support import (
    assert_all_msgfmt_ok,
    assert_msgfmt_ok,
    gettext_tool,
    nonempty_msgstr,
    po_path,
    run_update,
)

KEPT = "The two unions met in Chicago in 1992 and agreed to organize together."
EDITED_OLD = "They agreed on three principles, which guided everything that followed."
EDITED_NEW = "They agreed on three simple principles, which guided everything that followed."
FORMAT = "Delegates from %(count)s locals came to the meeting in Erie that spring."
DELETED = "A paragraph that the author deleted after it had been translated."
LONG = (
    "The minutes were read aloud in both languages, slowly, so that everyone could follow, "
    "and approved by a show of hands that the secretary counted twice before writing the "
    "result down in the book that the union kept for that purpose."
)

OLD_TEXT = f"# The first meeting\n\n{KEPT}\n\n{EDITED_OLD}\n\n{FORMAT}\n\n{DELETED}\n\n{LONG}\n"
NEW_TEXT = f"# The first meeting\n\n{KEPT}\n\n{EDITED_NEW}\n\n{FORMAT}\n\n{LONG}\n"

TRANSLATIONS = {
    "The first meeting": "La primera reunión",
    KEPT: "Los dos sindicatos se reunieron en Chicago en 1992 y acordaron organizarse juntos.",
    EDITED_OLD: "Acordaron tres principios, que guiaron todo lo que vino después.",
    FORMAT: "Delegados de %(count)s secciones llegaron a la reunión de Erie esa primavera.",
    DELETED: "Un párrafo que el autor borró cuando ya estaba traducido.",
    LONG: (
        "Las actas se leyeron en voz alta en los dos idiomas, despacio, para que todos "
        "pudieran seguirlas, y se aprobaron a mano alzada; el secretario contó los votos "
        "dos veces antes de anotar el resultado en el libro que el sindicato guardaba para eso."
    ),
}

METADATA = {
    "Project-Id-Version": "testbook",
    "Report-Msgid-Bugs-To": "",
    "POT-Creation-Date": "2026-01-01 00:00+0000",
    "PO-Revision-Date": "2026-01-10 12:00+0100",
    "Last-Translator": "Ana Traductora <ana@example.org>",
    "Language-Team": "Spanish <es@example.org>",
    "Language": "es",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
    "X-Generator": "Poedit 3.4",
    "X-Custom-Field": "kept as it is",
}


def polib_catalog() -> polib.POFile:
    """The translated catalog of OLD_TEXT as polib writes it, with everything tools add."""
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(METADATA)
    po.header = "Spanish translation of the test book.\nCopyright: the translators."
    lines = {"The first meeting": 1, KEPT: 3, EDITED_OLD: 5, FORMAT: 7, DELETED: 9, LONG: 11}
    for msgid, msgstr in TRANSLATIONS.items():
        po.append(polib.POEntry(
            msgid=msgid, msgstr=msgstr, occurrences=[("texts/chapter.md", str(lines[msgid]))],
            comment="type: paragraph",
        ))
    po.find(KEPT).tcomment = "Checked against the minutes.\nSecond line of the note."
    po.find(EDITED_OLD).tcomment = "Translator's note on the principles."
    po.find(FORMAT).flags = ["python-format"]
    po.find(LONG).flags = ["fuzzy"]
    po.find(LONG).previous_msgid = "The minutes were read aloud in one language."
    po.append(polib.POEntry(
        msgid="An old heading", msgstr="Un título antiguo", obsolete=True, flags=["fuzzy"],
        previous_msgid="An older heading", tcomment="Kept from an earlier draft.",
    ))
    return po


def _book(tmp_path: Path, catalog: str | bytes, *, gettext_reads_it: bool = True) -> Path:
    make_book(tmp_path, {"chapter.md": NEW_TEXT})
    path = po_path(tmp_path, "chapter")
    path.parent.mkdir(parents=True)
    path.write_bytes(catalog if isinstance(catalog, bytes) else catalog.encode())
    if gettext_reads_it:
        assert_msgfmt_ok(path)  # the other tool's file is valid to begin with
    return path


def _assert_nothing_lost(path: Path, before: int) -> None:
    assert_all_msgfmt_ok(path.parents[3])
    assert nonempty_msgstr(path) >= before
    po = polib.pofile(str(path))
    kept = po.find(KEPT)
    assert kept.msgstr == TRANSLATIONS[KEPT] and not kept.fuzzy
    assert kept.tcomment == "Checked against the minutes.\nSecond line of the note."
    edited = po.find(EDITED_NEW)
    assert edited.fuzzy and edited.previous_msgid == EDITED_OLD
    assert edited.msgstr == TRANSLATIONS[EDITED_OLD]
    assert edited.tcomment == "Translator's note on the principles."
    assert po.find(FORMAT).flags == ["python-format"]
    assert po.find(FORMAT).msgstr == TRANSLATIONS[FORMAT]
    long = po.find(LONG)
    assert long.flags == ["fuzzy"] and long.msgstr == TRANSLATIONS[LONG]
    assert long.previous_msgid == "The minutes were read aloud in one language."
    obsolete = {e.msgid: e for e in po.obsolete_entries()}
    assert obsolete[DELETED].msgstr == TRANSLATIONS[DELETED]
    heading = obsolete["An old heading"]
    assert (heading.msgstr, heading.flags, heading.tcomment) == (
        "Un título antiguo", ["fuzzy"], "Kept from an earlier draft."
    )
    # polib 1.2 does not read '#~|'; ours does (and msgfmt/msgcat accept it, see below)
    [ours] = [m for m in read_po(path).obsolete() if m.id == "An old heading"]
    assert ours.previous_id == ["An older heading"]
    assert '#~| msgid "An older heading"\n#~ msgid "An old heading"' in path.read_text("utf-8")
    for key in ("X-Generator", "X-Custom-Field", "Last-Translator", "Language-Team",
                "PO-Revision-Date"):
        assert po.metadata[key] == METADATA[key], key
    header = read_po(path)
    assert header.header_comments[:2] == [
        "Spanish translation of the test book.", "Copyright: the translators."
    ]
    # and the next update leaves the rewritten file alone
    before_second = tree_state(path.parents[3])
    run_update(path.parents[3])
    assert tree_state(path.parents[3]) == before_second


def test_catalog_saved_by_polib(tmp_path: Path) -> None:
    path = _book(tmp_path, str(polib_catalog()))
    before = nonempty_msgstr(path)
    run_update(tmp_path)
    _assert_nothing_lost(path, before)


def test_catalog_passed_through_msgcat(tmp_path: Path) -> None:
    msgcat = gettext_tool("msgcat")
    source = tmp_path / "polib.po"
    source.write_text(str(polib_catalog()), encoding="utf-8")
    through = tmp_path / "msgcat.po"
    subprocess.run([msgcat, "-o", str(through), str(source)], check=True)
    path = _book(tmp_path / "book", through.read_text(encoding="utf-8"))
    before = nonempty_msgstr(path)
    run_update(tmp_path / "book")
    _assert_nothing_lost(path, before)


def test_catalog_from_msgmerge_with_obsolete_previous(tmp_path: Path) -> None:
    """msgmerge writes '#~| msgid' for an obsolete fuzzy entry's previous text."""
    msgmerge = gettext_tool("msgmerge")
    old = tmp_path / "old.po"
    old.write_text(str(polib_catalog()), encoding="utf-8")
    pot = tmp_path / "new.pot"
    template = polib.POFile()
    template.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid in ("The first meeting", KEPT, EDITED_NEW, FORMAT):
        template.append(polib.POEntry(msgid=msgid))
    pot.write_text(str(template), encoding="utf-8")
    merged = tmp_path / "merged.po"
    subprocess.run(
        [msgmerge, "--quiet", "--previous", "-o", str(merged), str(old), str(pot)], check=True
    )
    assert "#~| msgid" in merged.read_text(encoding="utf-8")
    po = read_po(merged)
    obsolete = {m.id: m for m in po.obsolete()}
    assert obsolete["An old heading"].previous_id == ["An older heading"]
    assert obsolete[LONG].string == TRANSLATIONS[LONG]
    path = _book(tmp_path / "book", merged.read_text(encoding="utf-8"))
    before = nonempty_msgstr(path)
    run_update(tmp_path / "book")
    assert_all_msgfmt_ok(tmp_path / "book")
    assert nonempty_msgstr(path) >= before
    assert {e.msgid for e in polib.pofile(str(path)).obsolete_entries()} >= {"An old heading"}


POEDIT = (
    "# Spanish translation of the test book.\n"
    "# Copyright: the translators.\n"
    'msgid ""\n'
    'msgstr ""\n'
    + "".join(f'"{key}: {value}\\n"\n' for key, value in METADATA.items())
    + '"X-Poedit-SourceCharset: UTF-8\\n"\n'
    "\n"
    "#. type: heading\n"
    "#: texts/chapter.md:1\n"
    f'msgid "The first meeting"\nmsgstr "{TRANSLATIONS["The first meeting"]}"\n\n'
    "# Checked against the minutes.\n"
    "# Second line of the note.\n"
    "#: texts/chapter.md:3\n"
    f'msgid "{KEPT}"\nmsgstr "{TRANSLATIONS[KEPT]}"\n\n'
    "# Translator's note on the principles.\n"
    "#: texts/chapter.md:5\n"
    f'msgid "{EDITED_OLD}"\nmsgstr "{TRANSLATIONS[EDITED_OLD]}"\n\n'
    "#: texts/chapter.md:7\n"
    "#, python-format\n"
    f'msgid "{FORMAT}"\nmsgstr "{TRANSLATIONS[FORMAT]}"\n\n'
    "#: texts/chapter.md:9\n"
    f'msgid "{DELETED}"\nmsgstr "{TRANSLATIONS[DELETED]}"\n\n'
    "#: texts/chapter.md:11\n"
    "#, fuzzy\n"
    '#| msgid "The minutes were read aloud in one language."\n'
    f'msgid "{LONG}"\nmsgstr "{TRANSLATIONS[LONG]}"\n\n'
    "# Kept from an earlier draft.\n"
    "#, fuzzy\n"
    '#~| msgid "An older heading"\n'
    '#~ msgid "An old heading"\n'
    '#~ msgstr "Un título antiguo"\n'
)


def test_poedit_style_catalog_without_wrapping(tmp_path: Path) -> None:
    assert max(len(line) for line in POEDIT.splitlines()) > 200  # long lines, no wrapping
    path = _book(tmp_path, POEDIT)
    before = nonempty_msgstr(path)
    run_update(tmp_path)
    _assert_nothing_lost(path, before)
    assert polib.pofile(str(path)).metadata["X-Poedit-SourceCharset"] == "UTF-8"


def test_poedit_style_catalog_with_crlf_and_bom(tmp_path: Path) -> None:
    # GNU msgfmt 0.21 itself calls a BOM a syntax error; Windows editors still write one
    data = b"\xef\xbb\xbf" + POEDIT.replace("\n", "\r\n").encode()
    path = _book(tmp_path, data, gettext_reads_it=False)
    before = nonempty_msgstr(path)
    run_update(tmp_path)
    assert b"\r" not in path.read_bytes()
    _assert_nothing_lost(path, before)


def test_our_output_reads_the_same_in_polib(tmp_path: Path) -> None:
    """Cross-check the reader: polib and ours see the same entries in what we wrote."""
    path = _book(tmp_path, str(polib_catalog()))
    run_update(tmp_path)
    theirs = polib.pofile(str(path))
    ours = read_po(path)
    assert [(e.msgid, e.msgstr, e.fuzzy, e.previous_msgid or None) for e in theirs
            if not e.obsolete] == [
        (m.id, m.string, m.fuzzy, m.previous_id[0] if m.previous_id else None)
        for m in ours.messages()
    ]
    assert [(e.msgid, e.msgstr) for e in theirs.obsolete_entries()] == [
        (m.id, m.string) for m in ours.obsolete()
    ]


def test_plural_entries_survive(tmp_path: Path) -> None:
    """Catalogs may hold plural entries from elsewhere; nothing of them is lost."""
    po = polib_catalog()
    po.metadata["Plural-Forms"] = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);"
    po.append(polib.POEntry(
        msgid="one page", msgid_plural="%d pages", obsolete=True,
        msgstr_plural={0: "одна страница", 1: "%d страницы", 2: "%d страниц"},
        flags=["c-format"],
    ))
    path = _book(tmp_path, str(po))
    before = nonempty_msgstr(path)
    run_update(tmp_path)
    assert_all_msgfmt_ok(tmp_path)
    assert nonempty_msgstr(path) >= before
    [plural] = [e for e in polib.pofile(str(path)).obsolete_entries() if e.msgid_plural]
    assert plural.msgstr_plural == {0: "одна страница", 1: "%d страницы", 2: "%d страниц"}


@pytest.mark.parametrize("tool", ["msgcat", "msgattrib"])
def test_gettext_tools_accept_our_output_unchanged(tmp_path: Path, tool: str) -> None:
    """GNU tools reading our file and writing it back change nothing but wrapping details."""
    program = gettext_tool(tool)
    path = _book(tmp_path, str(polib_catalog()))
    run_update(tmp_path)
    out = tmp_path / "out.po"
    subprocess.run([program, "-o", str(out), str(path)], check=True)
    ours = polib.pofile(str(path))
    theirs = polib.pofile(str(out))
    assert [(e.msgid, e.msgstr, e.flags, e.previous_msgid, e.tcomment) for e in ours] == [
        (e.msgid, e.msgstr, e.flags, e.previous_msgid, e.tcomment) for e in theirs
    ]
    shutil.rmtree(tmp_path / "locales")

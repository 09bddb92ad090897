"""Helpers for the foundation tests: book projects on disk, GNU gettext checks, counts."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.catalogs.review import TextCatalog
from bilingual_pub.catalogs.update import UpdateResult, update
from bilingual_pub.project import Project

MSGFMT = "/usr/bin/msgfmt"

BOOK_TOML = """\
[book]
slug = "testbook"
languages = ["en", "es"]
source_language = "en"
authors = ["A. Author"]
translators = ["T. Translator"]

[book.title]
en = "A Test Book"
es = "Un libro de prueba"
"""


def gettext_tool(name: str) -> str:
    """Path of a GNU gettext program; skips the test when it is not installed."""
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if path is None:
        pytest.skip(f"GNU gettext's {name} is not installed")
    return path


def assert_msgfmt_ok(path: Path) -> None:
    """``msgfmt -c -o /dev/null`` accepts the catalog: exit status 0 and nothing on stderr."""
    msgfmt = gettext_tool("msgfmt")
    done = subprocess.run(
        [msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and not done.stderr and not done.stdout, (
        f"msgfmt -c rejected {path} (exit {done.returncode}):\n{done.stderr}{done.stdout}"
    )


def catalogs(root: Path) -> list[Path]:
    """Every POT and PO file of a project."""
    return sorted((root / "locales").rglob("*.po*"))


def assert_all_msgfmt_ok(root: Path) -> None:
    found = catalogs(root)
    assert found, f"no catalogs under {root / 'locales'}"
    for path in found:
        assert_msgfmt_ok(path)


def make_book(root: Path, texts: dict[str, str], *, book_toml: str = BOOK_TOML) -> Path:
    """A book project with ``texts`` (file name -> Markdown) in texts/."""
    (root / "texts").mkdir(parents=True, exist_ok=True)
    (root / "book.toml").write_text(book_toml, encoding="utf-8")
    for name, content in texts.items():
        (root / "texts" / name).write_text(content, encoding="utf-8")
    return root


def write_text(root: Path, name: str, content: str) -> None:
    (root / "texts" / name).write_text(content, encoding="utf-8")


def text_catalogs(project: Project) -> list[TextCatalog]:
    """Every text of ``project`` with its catalog, as the book's stats and checks take them."""
    return [
        TextCatalog(
            text,
            project.target_language(text),
            project.relative(project.po_path(text)),
            project.read_catalog(text),
        )
        for text in project.texts()
    ]


def run_update(root: Path) -> list[UpdateResult]:
    return update(Project.open(root))


def po_path(root: Path, stem: str, lang: str = "es") -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{stem}.po"


def fake_translation(text: str) -> str:
    """A deterministic stand-in translation that keeps the inline markup intact."""
    return f"ES: {text}"


def translate(path: Path, translate_one: Callable[[str], str] = fake_translation) -> None:
    """Fill every empty msgstr, as a translator would, and clear fuzzy flags."""
    po = read_po(path)
    for message in po.messages():
        if not message.string:
            message.string = translate_one(str(message.id))
        message.flags.discard("fuzzy")
        message.previous_id = []
    path.write_text(render_po(po), encoding="utf-8")


def nonempty_msgstr(path: Path) -> int:
    """Translations a catalog holds: translated + fuzzy + obsolete (counted by polib)."""
    return sum(1 for entry in polib.pofile(str(path)) if entry.msgstr)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every file of a project."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }

"""GNU gettext checks and catalog counts for the catalog tests.

``make_book``, ``translate``, ``snapshot`` and ``BOOK_TOML`` are old names of
``tests.harness``'s ``make_book``, ``translate_catalog``, ``tree_state`` and ``book_toml()``,
kept until nothing imports them.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from bilingual_pub.catalogs.update import UpdateResult, update
from bilingual_pub.project import Project
from tests import harness
from tests.harness import book_toml

MSGFMT = "/usr/bin/msgfmt"

BOOK_TOML = book_toml()


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
    return harness.make_book(root, texts, toml=book_toml)


def write_text(root: Path, name: str, content: str) -> None:
    (root / "texts" / name).write_text(content, encoding="utf-8")


def run_update(root: Path) -> list[UpdateResult]:
    return update(Project.open(root))


def po_path(root: Path, stem: str, lang: str = "es") -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{stem}.po"


def fake_translation(text: str) -> str:
    """A deterministic stand-in translation that keeps the inline markup intact."""
    return f"ES: {text}"


def translate(path: Path, translate_one: Callable[[str], str] = fake_translation) -> None:
    harness.translate_catalog(path, translate_one)


def nonempty_msgstr(path: Path) -> int:
    """Translations a catalog holds: translated + fuzzy + obsolete (counted by polib)."""
    return sum(1 for entry in polib.pofile(str(path)) if entry.msgstr)


snapshot = harness.tree_state  # an old name

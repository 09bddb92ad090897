"""GNU gettext checks, catalog paths and counts for the catalog tests.

Books are made and translated with ``tests.harness``; this module holds what is about the
PO files themselves.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from bilingual_pub.catalogs.update import UpdateResult, update
from bilingual_pub.project import Project

MSGFMT = "/usr/bin/msgfmt"


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


def run_update(root: Path) -> list[UpdateResult]:
    return update(Project.open(root))


def po_path(root: Path, stem: str, lang: str = "es") -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{stem}.po"


def nonempty_msgstr(path: Path) -> int:
    """Translations a catalog holds: translated + fuzzy + obsolete (counted by polib)."""
    return sum(1 for entry in polib.pofile(str(path)) if entry.msgstr)


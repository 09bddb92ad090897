"""Old names of the test harness, kept for tests written before ``tests/harness.py``.

New tests import from ``tests.harness``; this module goes once nothing imports it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.harness import (
    CORPUS,
    CORPUS_CATALOG,
    CORPUS_TEXT,
    ENTRY_POINT,
    REPO,
    CliRun,
    cli,
    cli_command,
    corpus_book,
    tree_changes,
    tree_state,
)
from tests.harness import assert_one_error as _assert_one_error

__all__ = ["CORPUS", "ENTRY_POINT", "REPO", "CliRun", "cli_command", "tree_changes", "tree_state"]

BASE_TEXT = CORPUS_TEXT
BASE_CATALOG = CORPUS_CATALOG
make_base_project = corpus_book


def run_cli(project: Path, *args: str, timeout: float = 120) -> CliRun:
    return cli(project, *args, real=True, timeout=timeout)


def invoke(project: Path, *args: str) -> CliRun:
    return cli(project, *args)


def assert_one_error(run: CliRun, *, names: str, line: int | None, says: str = "") -> str:
    return _assert_one_error(run, f"{names}:{line}: " if line is not None else f"{names}: ", says)


def copy_project(base: Path, target: Path) -> Path:
    shutil.copytree(base, target, symlinks=True)
    return target

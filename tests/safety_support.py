"""Helpers for the safety tests: the real CLI in a subprocess, project snapshots, a tiny book.

``run_cli`` runs ``.venv/bin/bilingual-pub`` (or ``python -m bilingual_pub``) as a user
would, and reports the child's own peak memory (from ``wait4``).  ``tree_state``
fingerprints every file, directory and symlink of a project, so a test can prove that
a failed command changed nothing at all.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "bad_inputs"
ENTRY_POINT = REPO / ".venv" / "bin" / "bilingual-pub"


def cli_command() -> list[str]:
    if ENTRY_POINT.exists():
        return [str(ENTRY_POINT)]
    return [sys.executable, "-m", "bilingual_pub"]


@dataclass
class CliRun:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float  # the child's peak resident memory
    cpu_seconds: float = 0.0  # the child's processor time, user + system

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def __str__(self) -> str:
        return (
            f"bilingual-pub {' '.join(self.args)} -> exit {self.returncode}\n"
            f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}"
        )


def run_cli(project: Path, *args: str, timeout: float = 120) -> CliRun:
    """Run the real command on ``project`` and wait for it (killing it after ``timeout``)."""
    command = [*cli_command(), "-C", str(project), *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        child = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                os.wait4(child.pid, 0)
                raise AssertionError(f"{' '.join(args)} did not finish within {timeout} s")
            time.sleep(0.01)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return CliRun(
            args=list(args),
            returncode=child.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            max_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
            cpu_seconds=usage.ru_utime + usage.ru_stime,
        )


def invoke(project: Path, *args: str) -> CliRun:
    """The same command in this process (click's CliRunner on the real ``main``): fast.

    An exception that escapes the CLI (a bug: it would print a traceback) is reported
    as a ``Traceback`` on stderr, so the same assertions hold for both ways of running.
    """
    import traceback

    from click.testing import CliRunner

    from bilingual_pub.cli import main

    started = time.monotonic()
    result = CliRunner().invoke(main, ["-C", str(project), *args], catch_exceptions=True)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        stderr += "Traceback (in process):\n" + "".join(
            traceback.format_exception(*result.exc_info)
        )
    return CliRun(
        args=list(args),
        returncode=result.exit_code,
        stdout=result.stdout,
        stderr=stderr,
        seconds=time.monotonic() - started,
        max_rss_mb=0.0,
    )


def tree_state(root: Path) -> dict[str, str]:
    """Every entry under ``root``: files by content hash and mtime, directories, symlinks."""
    state: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            state[name] = "link -> " + os.readlink(path)
        elif path.is_dir():
            state[name] = "dir"
        else:
            stat = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[name] = f"{digest} {stat.st_size} {stat.st_mtime_ns}"
    return state


def tree_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    changes = []
    for name in sorted(set(before) | set(after)):
        if name not in after:
            changes.append(f"removed {name}")
        elif name not in before:
            changes.append(f"created {name}")
        elif before[name] != after[name]:
            changes.append(f"changed {name}")
    return changes


def assert_one_error(run: CliRun, *, names: str, line: int | None, says: str = "") -> str:
    """Exit 1, and exactly one line on stderr: ``error: <names>[:<line>]: ...``."""
    lines = run.error_lines()
    assert run.returncode == 1, str(run)
    assert "Traceback" not in run.stderr + run.stdout, str(run)
    assert len(lines) == 1, f"expected one line on stderr\n{run}"
    message = lines[0]
    assert message.startswith("error: "), str(run)
    where = f"{names}:{line}:" if line is not None else f"{names}"
    assert where in message, f"expected {where!r} in the error\n{run}"
    assert says.lower() in message.lower(), f"expected {says!r} in the error\n{run}"
    return message


# --- the tiny book the corpus is played against ----------------------------------

BASE_TEXT = "texts/01-text.md"
BASE_CATALOG = "locales/es/LC_MESSAGES/01-text.po"


def make_base_project(root: Path) -> Path:
    """tests/bad_inputs/project with its translated catalog, after one ``update``."""
    shutil.copytree(CORPUS / "project", root)
    catalog = root / BASE_CATALOG
    catalog.parent.mkdir(parents=True)
    shutil.copyfile(CORPUS / "po" / "good.po", catalog)
    run = run_cli(root, "update")
    assert run.returncode == 0, str(run)
    return root


def copy_project(base: Path, target: Path) -> Path:
    shutil.copytree(base, target, symlinks=True)
    return target

"""The test harness: one way to run the command, to write a book.toml, to make a book.

- ``cli(project, *args)`` runs ``bilingual-pub -C project ...`` in this process (click's
  CliRunner on the real ``main``: fast), or with ``real=True`` as the installed command in
  its own process, as a user would (with the child's peak memory, from ``wait4``).  Both
  give a ``CliRun``; an exception escaping the CLI in this process shows as a
  ``Traceback`` on stderr, as it would from the real command, so the same assertions hold.
- ``assert_one_error(run, starts, says)``: how every error a user can cause must look.
- ``book_toml(...)``: the one book.toml writer; ``make_book(root, texts, ...)``: the one
  book builder (texts, other files, and, given translations, catalogs filled in as a
  translator would, or by the stand-in ``fake_translation``); ``corpus_book`` copies the
  committed tiny book of tests/bad_inputs.
- ``tree_state`` fingerprints every file, directory and symlink of a project, so a test
  can prove that a command changed nothing at all.

Functions rather than fixtures, so module-scoped fixtures can use them too.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.catalogs.update import update
from bilingual_pub.project import Project

REPO = Path(__file__).resolve().parents[1]
ENTRY_POINT = REPO / ".venv" / "bin" / "bilingual-pub"
CORPUS = REPO / "tests" / "bad_inputs"
CORPUS_TEXT = "texts/01-text.md"
CORPUS_CATALOG = "locales/es/LC_MESSAGES/01-text.po"


# --- running the command --------------------------------------------------------------


def cli_command() -> list[str]:
    """The installed command (``python -m bilingual_pub`` when there is no .venv)."""
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
    max_rss_mb: float = 0.0  # the child's peak resident memory (a real run only)

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def __str__(self) -> str:
        return (
            f"bilingual-pub {' '.join(self.args)} -> exit {self.returncode}\n"
            f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}"
        )


def cli(
    project: Path | None,
    *args: str | Path,
    real: bool = False,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> CliRun:
    """``bilingual-pub [-C project] args``: in this process, or ``real`` in its own.

    ``cwd``, ``env`` (variables set on top of this process's) and ``timeout`` are for a real
    run (a test in this process that needs another working directory uses
    ``monkeypatch.chdir``).
    """
    words = (["-C", str(project)] if project is not None else []) + [str(a) for a in args]
    if real:
        return _run_process(words, cwd=cwd, env=env, timeout=timeout)
    assert cwd is None and env is None, "cwd and env are for a real run; use monkeypatch"
    return _run_in_process(words)


def _run_process(
    words: list[str], *, cwd: Path | None, env: Mapping[str, str] | None, timeout: float
) -> CliRun:
    """Run the real command and wait for it (killing it after ``timeout``)."""
    environment = {**os.environ, **env} if env is not None else None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        child = subprocess.Popen(
            [*cli_command(), *words],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=environment,
        )
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                os.wait4(child.pid, 0)
                raise AssertionError(f"{' '.join(words)} did not finish within {timeout} s")
            time.sleep(0.01)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return CliRun(
            args=words,
            returncode=child.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            max_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        )


def _run_in_process(words: list[str]) -> CliRun:
    from click.testing import CliRunner

    from bilingual_pub.cli import main

    started = time.monotonic()
    result = CliRunner().invoke(main, words, catch_exceptions=True)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        stderr += "Traceback (in process):\n" + "".join(
            traceback.format_exception(*result.exc_info)
        )
    return CliRun(
        args=words,
        returncode=result.exit_code,
        stdout=result.stdout,
        stderr=stderr,
        seconds=time.monotonic() - started,
    )


def assert_one_error(run: CliRun, starts: str, says: str = "") -> str:
    """Exit 1, no traceback, and one line on stderr: ``error: <starts>...``, holding ``says``.

    ``starts`` is the location and as much of the message as the test fixes, e.g.
    ``"book.toml:3: "`` or ``"texts/a.md:2: front matter: lang 'fr'"``.
    """
    lines = run.error_lines()
    assert run.returncode == 1, str(run)
    assert "Traceback" not in run.stderr + run.stdout, str(run)
    assert len(lines) == 1, f"expected one line on stderr\n{run}"
    message = lines[0]
    assert message.startswith(f"error: {starts}"), f"expected 'error: {starts}...'\n{run}"
    assert says in message, f"expected {says!r} in the error\n{run}"
    return message


# --- a project's files ------------------------------------------------------------------


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


# --- book.toml and books ----------------------------------------------------------------

TomlValue = str | int | bool | Sequence[str]
TITLES = {"en": "A Test Book", "es": "Un libro de prueba"}


def _toml(value: TomlValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    return "[" + ", ".join(_toml(item) for item in value) + "]"


def book_toml(
    *,
    slug: str = "testbook",
    languages: Sequence[str] = ("en", "es"),
    source_language: str = "en",
    authors: Sequence[str] | None = ("A. Author",),
    translators: Sequence[str] | None = ("T. Translator",),
    titles: Mapping[str, str] = TITLES,
    tables: Mapping[str, Mapping[str, TomlValue]] | None = None,
    **book: TomlValue,
) -> str:
    """A book.toml, one key a line, no blank lines (so a test can count lines).

    ``book`` adds keys to [book] after the translators (``texts=[...]``, ``year=2026``,
    ``raw_html=True``, ``cover=...``); ``tables`` adds tables after [book.title], in order
    (``{"pdf": {"page_size": "6in 9in"}}``).  ``None`` leaves authors or translators out.
    """
    keys: dict[str, TomlValue] = {
        "slug": slug,
        "languages": list(languages),
        "source_language": source_language,
    }
    if authors is not None:
        keys["authors"] = list(authors)
    if translators is not None:
        keys["translators"] = list(translators)
    sections = {"book": keys | book, "book.title": dict(titles), **(tables or {})}
    lines = []
    for name, table in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {_toml(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


Translations = Mapping[str, str] | Callable[[str], str]


def fake_translation(text: str) -> str:
    """A deterministic stand-in translation that keeps the inline markup intact."""
    return f"ES: {text}"


def translate_catalog(path: Path, translations: Translations) -> None:
    """Fill every empty msgstr, as a translator would, and clear fuzzy flags.

    A mapping gives each source text its translation (missing ones stay empty); a function
    makes one from the source text.
    """
    lookup = translations if callable(translations) else (lambda s: translations.get(s, ""))
    po = read_po(path)
    for message in po.messages():
        if not message.string:
            message.string = lookup(str(message.id))
        message.flags.discard("fuzzy")
        message.previous_id = []
    path.write_text(render_po(po), encoding="utf-8")


def make_book(
    root: Path,
    texts: Mapping[str, str | bytes] | None = None,
    *,
    toml: str | None = None,
    files: Mapping[str, str | bytes] | None = None,
    translations: Translations | None = None,
) -> Path:
    """A book project under ``root``: ``toml`` (or the default ``book_toml()``), ``texts``
    (file name -> Markdown) in texts/, other ``files`` by path; with ``translations``,
    its catalogs extracted by ``update`` and translated (``translate_catalog``)."""
    (root / "texts").mkdir(parents=True, exist_ok=True)
    (root / "book.toml").write_text(book_toml() if toml is None else toml, encoding="utf-8")
    named = {f"texts/{name}": content for name, content in (texts or {}).items()}
    for name, content in (named | dict(files or {})).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if translations is not None:
        translate_book(root, translations)
    return root


def translate_book(root: Path, translations: Translations) -> Project:
    """Extract the book's catalogs with ``update`` and translate each (``translate_catalog``)."""
    project = Project.open(root)
    update(project)
    for text in project.texts():
        translate_catalog(project.po_path(text), translations)
    return Project.open(root)


def corpus_book(root: Path) -> Path:
    """The tiny book the bad inputs are played against: tests/bad_inputs/project with its
    translated catalog, after one real ``update``."""
    shutil.copytree(CORPUS / "project", root)
    catalog = root / CORPUS_CATALOG
    catalog.parent.mkdir(parents=True)
    shutil.copyfile(CORPUS / "po" / "good.po", catalog)
    run = cli(root, "update", real=True)
    assert run.returncode == 0, str(run)
    return root

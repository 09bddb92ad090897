"""Nothing a translator wrote is ever lost, whatever happens to the texts or the process.

(a) Property (hypothesis): random sequences of edits to translated texts (insert,
    delete, modify a few words, rewrite, reorder, duplicate paragraphs; now and then
    the translator fills in what is new), each followed by ``update``: every msgstr
    ever written is still in its catalog afterwards (translated, fuzzy or obsolete),
    a second ``update`` rewrites no byte, and GNU ``msgfmt -c`` accepts every file.
(b) ``update`` killed with SIGKILL at random moments on a book of 3,000+ segments:
    every catalog is byte-identical to the old or to the new version (both computed
    beforehand) and passes ``msgfmt -c``; the next ``update`` finishes the job and
    leaves no temporary file behind.
(c) Two ``update`` runs at once: the second refuses with the lock message (or they
    serialise); no catalog is corrupted.
(d) ``build`` reads catalogs and never writes to ``locales/``.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilingual_pub.catalogs.update import update
from bilingual_pub.files import project_lock
from bilingual_pub.project import Project
from tests.bookgen import EN_WORDS, write_book
from tests.harness import (
    assert_one_error,
    book_toml,
    cli,
    cli_command,
    fake_translation,
    make_book,
    translate_catalog,
    tree_changes,
    tree_state,
)
from tests.po_support import MSGFMT

WORDS = EN_WORDS[:32]  # the first words of the test books' vocabulary


def catalog_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "locales").rglob("*") if p.suffix in (".po", ".pot"))


def msgfmt_problems(paths: list[Path]) -> list[str]:
    """``msgfmt -c`` on every file at once (one process each, in parallel)."""
    children = [
        (
            path,
            subprocess.Popen(
                [MSGFMT, "-c", "-o", os.devnull, str(path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            ),
        )
        for path in paths
    ]
    problems = []
    for path, child in children:
        out, err = child.communicate()
        if child.returncode != 0 or out or err:
            problems.append(f"{path}: {err.decode()}{out.decode()}")
    return problems


# --- (a) random edits never lose a translation ------------------------------------------


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(5, 12)) for _ in range(rng.randint(1, 3)))


def _text(front: str, paragraphs: list[str]) -> str:
    return front + "\n\n".join(paragraphs) + "\n"


def _write_text(path: Path, front: str, paragraphs: list[str]) -> None:
    path.write_text(_text(front, paragraphs), encoding="utf-8")


def _read_paragraphs(path: Path) -> tuple[str, list[str]]:
    text = path.read_text(encoding="utf-8")
    front = ""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4) + 5
        front, text = text[:end] + "\n", text[end:]
    return front, [p for p in text.strip().split("\n\n") if p.strip()]


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two translated texts, one in each direction."""
    rng = random.Random(5)
    english = [f"# {_sentence(rng, 3)[:-1]}"] + [_paragraph(rng) for _ in range(8)]
    spanish = [f"# {_sentence(rng, 3)[:-1]}"] + [_paragraph(rng) for _ in range(8)]
    return make_book(
        tmp_path_factory.mktemp("noloss") / "book",
        {"01-en.md": _text("", english), "02-es.md": _text("---\nlang: es\n---\n\n", spanish)},
        toml=book_toml(
            slug="noloss",
            authors=None,
            translators=None,
            titles={"en": "Nothing Lost", "es": "Nada se pierde"},
        ),
        translations=fake_translation,
    )


def _all_msgstr(path: Path) -> set[str]:
    """Every translation a catalog holds, active or obsolete, singular or plural."""
    found: set[str] = set()
    for entry in polib.pofile(str(path)):
        if entry.msgstr:
            found.add(entry.msgstr)
        found.update(value for value in entry.msgstr_plural.values() if value)
    return found


def _apply(edit: tuple[str, int, int, int], texts: list[Path]) -> None:
    kind, a, b, seed = edit
    rng = random.Random(seed)
    path = texts[a % len(texts)]
    front, paragraphs = _read_paragraphs(path)
    if not paragraphs:
        paragraphs = [_paragraph(rng)]
    i, j = a % len(paragraphs), b % len(paragraphs)
    if kind == "insert":
        paragraphs.insert(j, _paragraph(rng))
    elif kind == "delete" and len(paragraphs) > 1:
        del paragraphs[i]
    elif kind == "modify":
        words = paragraphs[i].split(" ")
        for _ in range(rng.randint(1, 3)):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        paragraphs[i] = " ".join(words)
    elif kind == "rewrite":
        paragraphs[i] = _paragraph(rng)
    elif kind == "reorder":
        rng.shuffle(paragraphs)
    elif kind == "duplicate":
        paragraphs.insert(j, paragraphs[i])
    _write_text(path, front, paragraphs)


EDITS = st.tuples(
    st.sampled_from(["insert", "delete", "modify", "rewrite", "reorder", "duplicate", "translate"]),
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, 2**16),
)


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(EDITS, min_size=1, max_size=6))
def test_random_edits_never_lose_a_translation(
    small_book: Path, edits: list[tuple[str, int, int, int]]
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "book"
        shutil.copytree(small_book, root)
        texts = sorted((root / "texts").glob("*.md"))
        project = Project.open(root)
        po_paths = [project.po_path(text) for text in project.texts()]
        ledger = {path: _all_msgstr(path) for path in po_paths}
        for edit in edits:
            if edit[0] == "translate":  # the translator catches up
                for path in po_paths:
                    translate_catalog(path, lambda msgid: f"ES {len(msgid)}: {msgid}")
                    ledger[path] |= _all_msgstr(path)
                continue
            _apply(edit, texts)
            update(Project.open(root))
            for path in po_paths:
                lost = ledger[path] - _all_msgstr(path)
                assert not lost, f"{edit}: lost {sorted(lost)[:3]} from {path.name}"
        before = tree_state(root / "locales")
        update(Project.open(root))
        assert tree_changes(before, tree_state(root / "locales")) == []
        assert msgfmt_problems(catalog_files(root)) == []


# --- (b) SIGKILL during update ------------------------------------------------------------


@dataclass
class Versions:
    old: dict[str, bytes]  # catalog (relative path) -> bytes before the update
    new: dict[str, bytes]  # ... after a complete update
    seconds: float  # how long a complete update takes, process start to exit
    first_write: float  # when it wrote its first catalog, seconds after the start


def _catalog_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in catalog_files(root)}


def _edit_every_text(root: Path) -> None:
    """Change every text a little, so that every catalog must be rewritten."""
    for path in sorted((root / "texts").glob("*.md")):
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        for index in range(5, len(paragraphs), 40):
            paragraphs[index] += " Added words here."
        paragraphs.insert(10, "A new paragraph about the border and the plant.")
        del paragraphs[20]
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")


@pytest.fixture(scope="module")
def large_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Versions]:
    """A translated book of 3,000+ segments whose texts changed since its last update."""
    root = tmp_path_factory.mktemp("large") / "book"
    write_book(root, chapters=6, paragraphs=500, features=False)
    segments = sum(len(polib.pofile(str(p))) for p in (root / "locales").glob("*.pot"))
    assert segments >= 3000
    _edit_every_text(root)
    old = _catalog_bytes(root)
    clean = root.parent / "clean"
    shutil.copytree(root, clean)
    started = time.time()
    run = cli(clean, "update", real=True)
    assert run.returncode == 0, str(run)
    first_write = min(path.stat().st_mtime for path in catalog_files(clean)) - started
    new = _catalog_bytes(clean)
    assert set(new) == set(old) and all(new[name] != old[name] for name in old)
    assert msgfmt_problems(catalog_files(root)) == []
    assert msgfmt_problems(catalog_files(clean)) == []
    return root, Versions(old, new, run.seconds, first_write)


def _restore(root: Path, versions: Versions) -> list[str]:
    """Put the old catalogs back; remove (and return) anything else left in locales/."""
    extra = []
    for path in (root / "locales").rglob("*"):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name not in versions.old:
            extra.append(name)
            path.unlink()
    for name, data in versions.old.items():
        path = root / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    return extra


@dataclass
class Trial:
    delay: float  # after the chosen catalog was written
    finished: bool  # the update ended before the kill
    state: str  # "old", "new" or "mixed": which catalogs were written
    leftovers: list[str]  # files other than catalogs left in locales/
    broken: list[str]  # catalogs lost, or neither the old nor the new bytes


@dataclass(frozen=True)
class KillAt:
    """When to kill: once ``written`` catalogs have been replaced, ``extra`` seconds later.

    Counting catalogs written makes a trial mean the same on a busy machine as on an
    idle one; the random extra delay lands the kill anywhere in the next file's work
    (merging, writing the temporary file, fsync, rename).  ``written = 0`` kills at a
    random moment before the first catalog is written.
    """

    written: int
    extra: float


def _run_and_kill(root: Path, versions: Versions, when: KillAt) -> bool:
    """Run ``update`` and SIGKILL it at ``when``; True if it ended before the kill."""
    paths = [root / name for name in versions.old]
    baseline = {path: path.stat().st_mtime_ns for path in paths}
    command = [*cli_command(), "-q", "-C", str(root), "update"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while child.poll() is None:
        written = sum(path.stat().st_mtime_ns != baseline[path] for path in paths)
        if written >= when.written:
            if child.poll() is None:
                time.sleep(when.extra)
            if child.poll() is not None:
                break
            child.send_signal(signal.SIGKILL)
            child.wait()
            return False
        time.sleep(0.005)
    return True


def _kill_trial(root: Path, versions: Versions, when: KillAt) -> Trial:
    finished = _run_and_kill(root, versions, when)
    now = _catalog_bytes(root)
    broken = [f"{name}: lost" for name in versions.old if name not in now]
    broken += [f"{name}: not a catalog of the book" for name in now if name not in versions.old]
    states = set()
    for name, data in now.items():
        if data == versions.old.get(name):
            states.add("old")
        elif data == versions.new.get(name):
            states.add("new")
        else:
            broken.append(f"{name}: neither the old nor the new bytes (killed at {when})")
    state = states.pop() if len(states) == 1 else "mixed"
    if state == "mixed" and not broken:
        # (all-old and all-new states are byte-identical to versions already run through it)
        broken += msgfmt_problems(catalog_files(root))
    leftovers = _restore(root, versions)
    return Trial(when.extra, finished, state, leftovers, broken)


@pytest.mark.slow
def test_sigkill_during_update_leaves_old_or_new_catalogs(
    large_book: tuple[Path, Versions], tmp_path: Path
) -> None:
    source, versions = large_book
    trials = 50
    files = len(versions.old)
    rng = random.Random(1712)
    # a catalog takes (seconds - first_write) / files to merge and write: kill within that
    per_file = (versions.seconds - versions.first_write) / files
    moments = [
        KillAt(0, rng.uniform(0, versions.first_write))
        if written == 0
        else KillAt(written, rng.uniform(0, 1.5 * per_file))
        for written in rng.sample([n % (files + 1) for n in range(trials)], trials)
    ]  # every count of catalogs written, 0 to all, about equally often, in random order
    workers = 2  # two copies of the book, killed independently
    roots = [shutil.copytree(source, tmp_path / f"book{n}") for n in range(workers)]
    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        futures = [
            pool.submit(
                lambda n: [_kill_trial(roots[n], versions, m) for m in moments[n::workers]], n
            )
            for n in range(workers)
        ]
        results = [trial for future in futures for trial in future.result()]
    elapsed = time.monotonic() - started
    count = {state: sum(t.state == state for t in results) for state in ("old", "mixed", "new")}
    left = sum(bool(t.leftovers) for t in results)
    print(
        f"\nSIGKILL: {len(results)} trials in {elapsed:.1f} s (a full update of {files} "
        f"catalogs takes {versions.seconds:.2f} s; the first is written at "
        f"{versions.first_write:.2f} s): {count['old']} all old, {count['mixed']} part "
        f"written, {count['new']} all new ({sum(t.finished for t in results)} ran to the end); "
        f"{left} left a temporary file"
    )
    assert len(results) == trials
    # whenever the kill lands, every catalog is byte-identical to its old or its new
    # version: never lost, never partly written
    assert [problem for trial in results for problem in trial.broken] == []

    # killed part-way, the next update finishes the job and sweeps up after the killed one
    # (plus a half-written temporary file, as a kill in the middle of a write leaves one)
    root = roots[0]
    _run_and_kill(root, versions, KillAt(files // 2, per_file / 2))
    name = next(iter(versions.old))
    catalog = root / name
    (catalog.parent / f".{catalog.name}.x7kq2m9p.tmp").write_bytes(versions.new[name][:999])
    run = cli(root, "update", real=True)
    assert run.returncode == 0, str(run)
    assert _catalog_bytes(root) == versions.new
    leftovers = [p.name for p in (root / "locales").rglob("*") if p.is_file()]
    assert sorted(leftovers) == sorted(Path(name).name for name in versions.new), leftovers


# --- (c) two updates at once ----------------------------------------------------------------


def _lock_refusal(stderr: str) -> bool:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return (
        len(lines) == 1
        and lines[0].startswith("error: .bilingual-pub.lock: ")
        and "another bilingual-pub process" in lines[0]
    )


def test_update_refuses_while_the_project_is_locked(small_book: Path, tmp_path: Path) -> None:
    root = shutil.copytree(small_book, tmp_path / "book")
    before = tree_state(root)
    with project_lock(root):
        run = cli(root, "update", real=True)
    assert_one_error(run, ".bilingual-pub.lock: ", "another bilingual-pub process")
    assert tree_changes(before, tree_state(root)) == []


@pytest.mark.slow
def test_two_updates_at_once_serialise_or_refuse(
    large_book: tuple[Path, Versions], tmp_path: Path
) -> None:
    source, versions = large_book
    root = tmp_path / "book"
    shutil.copytree(source, root)
    _restore(root, versions)
    command = [*cli_command(), "-C", str(root), "update"]
    children = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(child.wait(timeout=120), *child.communicate()) for child in children]
    succeeded = [r for r in results if r[0] == 0]
    refused = [r for r in results if r[0] == 1 and _lock_refusal(r[2])]
    assert len(succeeded) >= 1 and len(succeeded) + len(refused) == 2, results
    assert _catalog_bytes(root) == versions.new
    assert msgfmt_problems(catalog_files(root)) == []


# --- (d) build never writes to locales/ ----------------------------------------------------


@pytest.fixture
def built_book(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "book"
    write_book(root, chapters=1, paragraphs=4, features=False)
    yield root


def test_build_never_touches_locales(built_book: Path) -> None:
    root = built_book
    locales = tree_state(root / "locales")
    for args in (
        ("build", "--format", "epub"),
        ("build", "--format", "pdf", "--edition", "es"),
    ):
        run = cli(root, "-q", *args)
        assert run.returncode == 0, str(run)
    assert tree_changes(locales, tree_state(root / "locales")) == []

    # texts changed since the last update, and a new text has no catalog yet:
    # build shows the source text where it must, and still writes no catalog
    text = next((root / "texts").glob("*.md"))
    text.write_text(
        text.read_text(encoding="utf-8") + "\nA paragraph added after the update.\n",
        encoding="utf-8",
    )
    (root / "texts" / "99-new.md").write_text("# New\n\nNot yet extracted.\n", encoding="utf-8")
    for args in (
        ("build", "--format", "epub", "--edition", "parallel"),
        ("build", "--format", "pdf", "--edition", "es"),
    ):
        run = cli(root, "-q", *args)
        assert run.returncode == 0, str(run)
    assert tree_changes(locales, tree_state(root / "locales")) == []

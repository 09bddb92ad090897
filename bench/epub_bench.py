"""EPUB build time: ``bilingual-pub build --format epub`` beside pandoc on the same Markdown.

Two books: the sample book of this repository, and a generated one of
``--chapters`` texts of ``--paragraphs`` paragraphs each (with a heading every
ten paragraphs, a list, a quote and a footnote per text), translated by a
deterministic fake so that every segment has a finished translation.

Both tools run as separate processes, timed from outside, best of ``--runs``, taking
turns run by run:

- bilingual-pub builds the parallel edition (both languages) and, separately,
  all three editions (``--force``: no incremental skip);
- pandoc 3.9 (PyPI ``pypandoc_binary``) builds one EPUB from the texts'
  Markdown, which holds one language: half the words of the parallel edition.

Each command runs once untimed first (disk cache, Jinja's template cache).  The
toolkit runs with its bytecode cached, as an installed package has it: with
``PYTHONDONTWRITEBYTECODE`` set (as in the development container) and an editable
install, every run would otherwise compile the toolkit's own modules again.  The
cache goes to a temporary folder (``PYTHONPYCACHEPREFIX``), not into the source
tree; ``--no-bytecode-cache`` measures the other case.

Usage::

    python bench/epub_bench.py                       # 60 texts x 200 paragraphs
    python bench/epub_bench.py --chapters 10 --paragraphs 50 --runs 1
    python bench/epub_bench.py --book sample --runs 9
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORDS = [
    "union",
    "workers",
    "border",
    "plant",
    "alliance",
    "contract",
    "wage",
    "vote",
    "organise",
    "company",
    "government",
    "law",
    "reform",
    "campaign",
    "solidarity",
    "exchange",
    "members",
    "leaders",
    "federation",
    "strike",
    "meeting",
    "factory",
    "right",
    "freedom",
    "association",
    "complaint",
    "agreement",
    "trade",
    "north",
    "south",
    "together",
]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))


def fake_translation(text: str) -> str:
    """A distinct msgstr of the same shape: the words in reverse order."""
    return " ".join(reversed(text.split()))


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate_book(root: Path, chapters: int, paragraphs: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    (root / "texts").mkdir(parents=True)
    (root / "locales" / "es" / "LC_MESSAGES").mkdir(parents=True)
    (root / "book.toml").write_text(
        '[book]\nslug = "large"\nlanguages = ["en", "es"]\nauthors = ["Bench"]\n'
        '[book.title]\nen = "A Large Book"\nes = "Un libro grande"\n',
        encoding="utf-8",
    )
    for number in range(1, chapters + 1):
        segments: list[str] = [f"Chapter {number}"]
        lines = [f"# Chapter {number}", ""]
        for index in range(paragraphs):
            if index and index % 10 == 0:
                heading = f"Section {number}.{index // 10}"
                segments.append(heading)
                lines += [f"## {heading}", ""]
            text = paragraph(rng)
            if index == 3:
                text += "[^1]"
            segments.append(text)
            lines += [text, ""]
        items = [sentence(rng) for _ in range(4)]
        quote = paragraph(rng)
        note = sentence(rng)
        segments += [*items, quote, note]
        lines += [f"- {item}" for item in items] + ["", f"> {quote}", "", f"[^1]: {note}", ""]
        stem = f"{number:03d}-text"
        (root / "texts" / f"{stem}.md").write_text("\n".join(lines), encoding="utf-8")
        entries = ['msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n']
        for segment in segments:
            target = fake_translation(segment).replace("[^1]", "") + (
                "[^1]" if "[^1]" in segment else ""
            )
            entries.append(f"msgid {po_string(segment)}\nmsgstr {po_string(target)}\n")
        po = root / "locales" / "es" / "LC_MESSAGES" / f"{stem}.po"
        po.write_text("\n".join(entries), encoding="utf-8")


def copy_sample(root: Path) -> None:
    root.mkdir(parents=True)
    shutil.copy(REPO / "book.toml", root / "book.toml")
    for folder in ("texts", "locales", "images"):
        shutil.copytree(REPO / folder, root / folder)


def best_times(
    commands: Sequence[Sequence[str]], cwd: Path, runs: int, environment: dict[str, str]
) -> list[float]:
    """The best wall time of each command.  The commands take turns, run by run, so that
    the load of a shared machine changing meanwhile weighs on all of them alike."""
    for command in commands:  # warm-up: disk cache, template cache, bytecode cache
        subprocess.run(command, cwd=cwd, env=environment, check=True, capture_output=True)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, spent in zip(commands, times, strict=True):
            start = time.perf_counter()
            subprocess.run(command, cwd=cwd, env=environment, check=True, capture_output=True)
            spent.append(time.perf_counter() - start)
    return [min(spent) for spent in times]


def measure(name: str, root: Path, runs: int, pandoc: str, environment: dict[str, str]) -> None:
    ours = [str(BIN / "bilingual-pub"), "build", "--format", "epub", "--force"]
    texts = sorted(str(path.relative_to(root)) for path in (root / "texts").glob("*.md"))
    pandoc_command = [pandoc, *texts, "-o", "pandoc.epub", "--metadata", "title=Bench"]
    commands = [[*ours, "--edition", "parallel"], ours, pandoc_command]
    parallel, every, theirs = best_times(commands, root, runs, environment)
    size = sum(path.stat().st_size for path in (root / "texts").glob("*.md"))
    print(f"| {name} | {size / 1024:.0f} KiB | {parallel:.2f} s | {every:.2f} s | {theirs:.2f} s |")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapters", type=int, default=60)
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--book", choices=["sample", "generated", "both"], default="both", help="which book(s)"
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run the toolkit as the environment says (PYTHONDONTWRITEBYTECODE is honoured)",
    )
    args = parser.parse_args(argv)
    import pypandoc  # type: ignore[import-untyped]

    pandoc = pypandoc.get_pandoc_path()
    version = pypandoc.get_pandoc_version()
    with tempfile.TemporaryDirectory() as directory:
        environment = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
        if not args.no_bytecode_cache:
            environment.pop("PYTHONDONTWRITEBYTECODE", None)
            environment["PYTHONPYCACHEPREFIX"] = str(Path(directory) / "pycache")
        bytecode = "not cached" if args.no_bytecode_cache else "cached"
        load = os.getloadavg()[0]
        print(
            f"pandoc {version}; best of {args.runs}; CPUs: {os.cpu_count()}; "
            f"bytecode {bytecode}; load average {load:.2f}\n"
        )
        print(
            "| book | Markdown | bilingual-pub parallel | bilingual-pub 3 editions | pandoc 1 EPUB |"
        )
        print("|---|---|---|---|---|")
        if args.book in ("sample", "both"):
            sample = Path(directory) / "sample"
            copy_sample(sample)
            measure("sample", sample, args.runs, pandoc, environment)
        if args.book in ("generated", "both"):
            large = Path(directory) / "large"
            generate_book(large, args.chapters, args.paragraphs)
            name = f"generated {args.chapters}x{args.paragraphs}"
            measure(name, large, args.runs, pandoc, environment)


if __name__ == "__main__":
    main()

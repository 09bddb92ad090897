"""The benchmarks run, small, so they cannot rot (the real figures: docs/benchmarks.md)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow  # each benchmark script, run small


def test_merge_bench_at_200_paragraphs() -> None:
    command = [sys.executable, str(ROOT / "bench" / "merge_bench.py"), "--n", "200", "--json"]
    if shutil.which("msgmerge") is None:
        command.append("--no-msgmerge")
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    table, scores = done.stdout.rsplit("\n", 2)[0], json.loads(done.stdout.splitlines()[-1])
    assert "| bilingual-pub update |" in table
    ours = scores[0]
    assert ours["tool"] == "bilingual-pub update"
    assert ours["exact_kept"] == 164
    assert ours["correct_fuzzy"] == 20  # every slightly edited paragraph
    assert ours["wrong_fuzzy"] == 0 and ours["missed_edits"] == 0
    assert ours["translations_kept"] == ours["old_translations"] == 200
    assert ours["msgfmt_ok"]
    for other in scores[1:]:  # msgmerge, when installed
        assert other["msgfmt_ok"]
        assert ours["exact_kept"] + ours["correct_fuzzy"] >= other["exact_kept"] + other["correct_fuzzy"]
        assert ours["translations_kept"] >= other["translations_kept"]


def test_pdf_bench_on_a_small_generated_book() -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "pdf_bench.py"),
        "--chapters", "2", "--paragraphs", "6", "--jobs", "2", "--no-sample",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    rows = [line for line in done.stdout.splitlines() if line.startswith("| generated (2×6")]
    assert len(rows) == 3, done.stdout
    one_process, workers, floors = rows
    assert one_process.endswith("× |")  # the per-page ratio against the plain column
    assert "2 worker processes" in done.stdout
    assert "0 misaligned, 0 headings at a page foot, 0 missing/misplaced words" in workers
    # the bare table and the two narrow columns, each beside the plain column
    cells = [cell.strip() for cell in floors.strip("|").split("|")]
    assert cells[3].endswith("×") and cells[5].endswith("×"), floors
    assert re.fullmatch(r"\d+ p \+ \d+ p, [\d.]+ s", cells[4]), floors


def test_epub_bench_on_a_small_generated_book() -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "epub_bench.py"),
        "--book", "generated", "--chapters", "2", "--paragraphs", "10", "--runs", "1",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    assert "pandoc 3." in done.stdout
    (row,) = [line for line in done.stdout.splitlines() if line.startswith("| generated 2x10")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert all(cell.endswith(" s") for cell in cells[2:]), row  # ours, ours ×3, pandoc


def test_facing_bench_on_a_small_generated_book() -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "facing_bench.py"),
        "--chapters", "2", "--paragraphs", "12", "--no-sample",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    rows = [line for line in done.stdout.splitlines() if line.startswith("| generated (2×12)")]
    assert len(rows) == 6, done.stdout  # parallel, pair, spread; one process and workers
    for row in rows[2:]:
        assert "0 apart, 0 headings at a page foot, 0 problems" in row, row
    # the fewest pages spread mode could take, from the spread writer's line for each text
    floor = re.search(r"spread mode: (\d+) pages, at least (\d+) possible \((\d+) of 2 ", done.stdout)
    assert floor is not None, done.stdout
    assert int(floor[2]) <= int(floor[1])

"""The PDF benchmark runs, small, so it cannot rot (the real figures: docs/benchmarks.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_pdf_bench_on_a_small_generated_book() -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "pdf_bench.py"),
        "--chapters", "2", "--paragraphs", "6", "--jobs", "2", "--no-sample",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    rows = [line for line in done.stdout.splitlines() if line.startswith("| generated (2×6")]
    assert len(rows) == 2, done.stdout
    one_process, workers = rows
    assert one_process.endswith("× |")  # the per-page ratio against the plain column
    assert "2 worker processes" in done.stdout
    assert "0 misaligned, 0 headings at a page foot, 0 missing/misplaced words" in workers

"""The facing PDF edition beside the parallel one: build time and pages, in one process
and with the default workers, in both synchronisation modes (pair, spread).

    python bench/facing_bench.py                   # the sample book and a ~300-page generated book
    python bench/facing_bench.py --chapters 2 --paragraphs 40 --no-sample   # quicker

Each build runs in its own process; the facing PDFs are then read back and checked
as the test suite does (tests/facing_layout.py): every word once, in order, on its
side; in pair mode every pair starting on the same spread at the same height, in spread
mode on the same spread; no heading at a page foot; notes on their calls' pages.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _child(edition: str, jobs: str, root: str, out: str) -> None:
    """Runs inside a fresh process: one build, printed as JSON."""
    from pypdf import PdfReader

    from bilingual_pub.build import BuildRequest, build
    from bilingual_pub.project import Project

    spreads = _SpreadCounts()
    spread_log = logging.getLogger("bilingual_pub.render.pdf.spread")
    spread_log.addHandler(spreads)
    spread_log.setLevel(logging.INFO)
    project = Project.open(Path(root))
    request = BuildRequest(
        formats=("pdf",),
        editions=(edition,),
        output_dir=Path(out),
        force=True,
        jobs=int(jobs) if jobs != "default" else None,
    )
    start = time.perf_counter()
    result = build(project, request)
    elapsed = time.perf_counter() - start
    pages = len(PdfReader(str(result.written[0])).pages)
    print(json.dumps({"seconds": elapsed, "pages": pages, "chapters": spreads.counts}))


class _SpreadCounts(logging.Handler):
    """Each chapter's spreads in spread mode and the pages its longer side fills alone,
    from the spread writer's log line (only in this process: run with -j 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[tuple[int, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "longer side alone" in record.msg:
            _, spreads, free, _ = record.args  # type: ignore[misc]
            self.counts.append((spreads, free))


def fewest_pages(run: dict[str, Any]) -> str:
    """The fewest pages spread mode could take: every chapter on as many spreads as its
    longer side fills pages alone, flowing freely."""
    over = sum(spreads - free for spreads, free in run["chapters"])
    above = sum(1 for spreads, free in run["chapters"] if spreads > free)
    return (
        f"spread mode: {run['pages']} pages, at least {run['pages'] - 2 * over} possible "
        f"({above} of {len(run['chapters'])} chapters on more spreads than their longer "
        "side fills pages alone)"
    )


def measure(edition: str, jobs: str, root: Path, keep: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        completed = subprocess.run(
            [sys.executable, __file__, "--child", edition, jobs, str(root), out],
            capture_output=True,
            text=True,
            check=False,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if completed.returncode != 0:
            raise SystemExit(f"{edition} build failed:\n{completed.stderr[-2000:]}")
        if keep is not None:
            (pdf,) = Path(out).glob("*.pdf")
            pdf.replace(keep)
    run: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    # the build's process and its workers, from start to end (the interpreter's start included)
    run["cpu"] = sum(getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime"))
    return run


def set_sync(root: Path, mode: str) -> None:
    toml = root / "book.toml"
    lines = [
        line
        for line in toml.read_text(encoding="utf-8").splitlines()
        if not line.startswith("facing_sync")
    ]
    text = "\n".join(lines) + "\n"
    toml.write_text(text.replace("[pdf]\n", f'[pdf]\nfacing_sync = "{mode}"\n'), encoding="utf-8")


def check(root: Path, pdf: Path, mode: str) -> str:
    from bilingual_pub.project import Project
    from tests.facing_layout import same_spread
    from tests.pdf_layout import stranded_headings
    from tests.test_facing import facing_report

    report = facing_report(Project.open(root), pdf)
    apart = len(report.misaligned(tolerance=1.0)) if mode == "pair" else len(same_spread(report))
    return (
        f"{len(report.pairs)} pairs, {apart} apart, "
        f"{len(stranded_headings(report))} headings at a page foot, "
        f"{len(report.problems)} problems"
    )


def bench_book(name: str, root: Path, work: Path, floors: list[str]) -> list[str]:
    rows = []
    for jobs in ("1", "default"):
        run = measure("parallel", jobs, root)
        rows.append(
            f"| {name} | parallel | {jobs} | {run['pages']} | {run['seconds']:.1f} s "
            f"| {run['cpu']:.1f} s | |"
        )
    for mode in ("pair", "spread"):
        set_sync(root, mode)
        for jobs in ("1", "default"):
            kept = work / f"facing-{mode}-{jobs}.pdf"
            run = measure("facing", jobs, root, keep=kept)
            verdict = check(root, kept, mode)
            rows.append(
                f"| {name} | facing, {mode} | {jobs} | {run['pages']} "
                f"| {run['seconds']:.1f} s | {run['cpu']:.1f} s | {verdict} |"
            )
            if mode == "spread" and jobs == "1":
                floors.append(f"{name}, {fewest_pages(run)}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chapters", type=int, default=18, help="18 ≈ 300 parallel pages")
    parser.add_argument("--paragraphs", type=int, default=60)
    parser.add_argument("--no-sample", action="store_true", help="only the generated book")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    from tests.bookgen import copy_sample_book, write_book

    print("| book | edition | workers | pages | build time | CPU time | check |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        books = {} if args.no_sample else {"sample book": copy_sample_book(work / "sample")}
        generated = work / "generated"
        write_book(generated, chapters=args.chapters, paragraphs=args.paragraphs, seed=11)
        books[f"generated ({args.chapters}×{args.paragraphs})"] = generated
        floors: list[str] = []
        for name, root in books.items():
            for row in bench_book(name, root, work, floors):
                print(row, flush=True)
    print()
    for line in floors:
        print(f"- {line}")


if __name__ == "__main__":
    main()

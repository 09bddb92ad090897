"""The chapter cache: a full build of the parallel (or facing) PDF, a rebuild after one translation
changed in one text, and a rebuild with nothing changed, in one process and with the
default workers.

    python bench/cache_bench.py                          # sample, 9 texts, 18 texts (~300 pages)
    python bench/cache_bench.py --books sample --jobs 1  # quicker
    python bench/cache_bench.py --edition facing         # the facing edition

Each build runs in its own process; its wall time and the CPU time of it and its
worker processes are printed.  Per book and worker setting, in this order:

- ``full, no cache``: the whole edition laid out, no chapter cache (one process: the
  one-process writer; the baseline of the ratios);
- ``full, cold cache``: the whole edition, chapters laid out apart and kept;
- ``one segment``: one paragraph's msgstr of the middle text lengthened, then a build
  (no page count changes: the previous edition is patched, render/pdf/reuse.py);
- ``one heading``: the middle text's title lengthened, then a build (its running heads
  and the contents change: the frame is laid out again);
- ``no change, forced``: ``--force`` with nothing changed: every chapter from the cache;
- ``no-op``: a build with nothing changed (the edition is up to date, nothing laid out).

The PDF of the one-segment rebuild is compared with a full build of the same inputs
(pages, text, bookmarks), as tests/test_chapter_cache.py does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _child(root: str, out: str, jobs: str, cache: str, force: str, edition: str) -> None:
    """Runs inside a fresh process: one build, its times printed as JSON."""
    from bilingual_pub.build import BuildRequest, build
    from bilingual_pub.project import Project

    start = time.perf_counter()
    project = Project.open(Path(root))
    request = BuildRequest(
        formats=("pdf",),
        editions=(edition,),
        output_dir=Path(out),
        force=force == "force",
        jobs=None if jobs == "default" else int(jobs),
        cache=cache == "cache",
    )
    build(project, request)
    wall = time.perf_counter() - start
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum(u.ru_utime + u.ru_stime for u in usage)
    print(json.dumps({"wall": wall, "cpu": cpu}))


def _measure(
    root: Path, out: Path, jobs: str, cache: bool, force: bool, edition: str
) -> dict[str, float]:
    flags = ["cache" if cache else "none", "force" if force else "-", edition]
    words = [str(root), str(out), jobs, *flags]
    command = [sys.executable, __file__, "--child", *words]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def _change_one_segment(root: Path, heading: bool = False) -> None:
    """Lengthen one paragraph's msgstr in the middle text (its first over 80 characters),
    or, with ``heading``, its title's (the first msgstr: running heads, contents)."""
    from bilingual_pub.catalogs.po_read import read_po
    from bilingual_pub.catalogs.po_write import render_po
    from bilingual_pub.project import Project

    project = Project.open(root)
    texts = project.texts()
    path = project.po_path(texts[len(texts) // 2])
    po = read_po(path)
    messages = [m for m in po.messages() if str(m.string)]
    if heading:
        message = messages[0]
        message.string = str(message.string) + " (revisado)"
    else:
        message = next(m for m in messages if len(str(m.string)) > 80)
        message.string = str(message.string) + " Una frase más."
    path.write_text(render_po(po), encoding="utf-8")


def _same_as_full(root: Path, rebuilt: Path, work: Path, edition: str) -> bool:
    from tests.test_pdf_jobs import pdf_summary

    full = work / "check"
    _measure(root, full, "1", cache=False, force=True, edition=edition)
    return bool(pdf_summary(rebuilt) == pdf_summary(next(full.glob(f"*-{edition}.pdf"))))


def _bench_book(name: str, root: Path, jobs: str, work: Path, edition: str) -> list[dict[str, Any]]:
    def measure(out: Path, cache: bool, force: bool) -> dict[str, float]:
        return _measure(root, out, jobs, cache, force, edition)

    out = work / f"out-{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    rows = [{"step": "full, no cache", **measure(work / "plain", False, True)}]
    rows.append({"step": "full, cold cache", **measure(out, True, True)})
    _change_one_segment(root)
    rows.append({"step": "one segment", **measure(out, True, False)})
    _change_one_segment(root, heading=True)
    rows.append({"step": "one heading", **measure(out, True, False)})
    rows.append({"step": "no change, forced", **measure(out, True, True)})
    rows.append({"step": "no-op", **measure(out, True, False)})
    edition_pdf = next(out.glob(f"*-{edition}.pdf"))
    same = _same_as_full(root, edition_pdf, work, edition)
    from pypdf import PdfReader

    pages = len(PdfReader(edition_pdf).pages)
    base = rows[0]
    for row in rows:
        row.update(book=name, jobs=jobs, pages=pages, same_as_full=same)
        row["wall_ratio"] = row["wall"] / base["wall"]
        row["cpu_ratio"] = row["cpu"] / base["cpu"]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", nargs="+", default=["sample", "9", "18"])
    parser.add_argument("--jobs", nargs="+", default=["1", "default"])
    parser.add_argument("--paragraphs", type=int, default=60)
    parser.add_argument("--edition", choices=["parallel", "facing"], default="parallel")
    args = parser.parse_args()
    # one build date for every build: the PDFs compared carry the same metadata
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    from tests.bookgen import copy_sample_book, write_book

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for book in args.books:
            for jobs in args.jobs:
                root = work / f"book-{book}-{jobs}"
                if book == "sample":
                    copy_sample_book(root)
                else:
                    write_book(root, chapters=int(book), paragraphs=args.paragraphs, seed=11)
                label = "sample" if book == "sample" else f"{book} texts"
                for row in _bench_book(label, root, jobs, work / f"w-{book}-{jobs}", args.edition):
                    print(
                        f"{row['book']:>9} ({row['pages']} p) -j {row['jobs']:>7}  "
                        f"{row['step']:<18} wall {row['wall']:6.2f} s ({row['wall_ratio']:.2f})  "
                        f"cpu {row['cpu']:6.2f} s ({row['cpu_ratio']:.2f})  "
                        f"same as full: {row['same_as_full']}",
                        flush=True,
                    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(*sys.argv[2:8])
    else:
        main()

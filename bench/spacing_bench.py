"""Word spaces and columns in the built PDFs: the worst-case book (6 x 9 in and A5) and
the sample book, built by a given source tree and read back like the test suite does.

    python bench/spacing_bench.py                      # built by this checkout
    python bench/spacing_bench.py --src /tmp/main/src  # built by another tree's src/
                                                       # (e.g. `git archive main src | tar -x`)

For each PDF edition: the body lines read (two words or more), the median gap between
words over the edition, the lines whose widest gap is over 4 times that median and their
share; and the faults the column checker finds (characters outside their column or off
the page, running heads on more than one line).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bilingual_pub.project import Project  # noqa: E402
from tests.bookgen import copy_sample_book, write_worst_case_book  # noqa: E402
from tests.pdf_layout import column_overflows, word_spaces  # noqa: E402
from tests.test_pdf import parallel_views  # noqa: E402


def build_with(src: Path, root: Path) -> None:
    environment = dict(os.environ, PYTHONPATH=str(src))
    command = [sys.executable, "-m", "bilingual_pub", "build", "--format", "pdf"]
    subprocess.run(command, cwd=root, env=environment, check=True, capture_output=True)


def measure(name: str, root: Path) -> list[str]:
    project = Project.open(root)
    pdf, slug = project.config.pdf, project.config.slug
    views = parallel_views(project)
    rows = []
    for edition in ("parallel", *project.config.languages):
        path = root / "build" / f"{slug}-{edition}.pdf"
        parallel = edition == "parallel"
        spaces = word_spaces([path], pdf, parallel=parallel)
        faults = column_overflows(path, pdf, views if parallel else None)
        heads = sum("running head" in fault for fault in faults)
        rows.append(
            f"| {name} | {edition} | {spaces.lines} | {spaces.median:.2f} pt | "
            f"{len(spaces.wide)} | {100 * spaces.share:.2f}% | {len(faults) - heads} | {heads} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=REPO / "src", help="the src/ to build with")
    args = parser.parse_args()
    print(
        "| book | edition | lines | median gap | lines over 4x | share | outside column "
        "| heads on 2+ lines |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as temporary:
        books = {
            "worst cases, 6 x 9 in": lambda root: write_worst_case_book(root),
            "worst cases, A5": lambda root: write_worst_case_book(root, page_size="A5"),
            "sample book": copy_sample_book,
        }
        for index, (name, make) in enumerate(books.items()):
            root = Path(temporary) / str(index)
            make(root)
            build_with(args.src.resolve(), root)
            print("\n".join(measure(name, root)), flush=True)


if __name__ == "__main__":
    main()

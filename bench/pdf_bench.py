"""Parallel PDF cost beside WeasyPrint rendering the same text as one plain column.

    python bench/pdf_bench.py                 # the sample book and a ~300-page generated book
    python bench/pdf_bench.py --chapters 2    # quicker

Each measurement runs in its own process (time and peak RSS of that process).
The plain column is the same words, both languages one after the other, as
simple <p> elements in one HTML document with the same page size, font and size.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _child(mode: str, root: str, out: str) -> None:
    """Runs inside a fresh process: one measurement, printed as JSON."""
    from bilingual_pub.build import BuildRequest, build, load_document
    from bilingual_pub.project import Project

    project = Project.open(Path(root))
    start = time.perf_counter()
    if mode == "parallel":
        result = build(
            project,
            BuildRequest(
                formats=("pdf",), editions=("parallel",), output_dir=Path(out), force=True
            ),
        )
        pdf = result.written[0]
    else:
        from html import escape

        from weasyprint import HTML

        from bilingual_pub.render.fonts import font_faces_css
        from bilingual_pub.render.inline import plain_text

        document = load_document(project)
        css, _ = font_faces_css(project.config.pdf.font, project.root)
        parts = []
        for chapter in document.chapters:
            for lang in project.config.languages:
                for pair in chapter.pairs.values():
                    parts.append(f"<p lang='{lang}'>{escape(plain_text(pair.text(lang)))}</p>")
        pdf_cfg = project.config.pdf
        html = (
            f"<html><head><style>{css} @page {{ size: {pdf_cfg.page_size}; margin: {pdf_cfg.margin_top} "
            f"{pdf_cfg.margin_outer} {pdf_cfg.margin_bottom} {pdf_cfg.margin_inner}; }} "
            f"html {{ font: {pdf_cfg.font_size}/1.32 '{pdf_cfg.font}'; }} p {{ text-align: justify; hyphens: auto; "
            f"margin: 0 0 0.55em; }}</style></head><body>{''.join(parts)}</body></html>"
        )
        pdf = Path(out) / "plain.pdf"
        HTML(string=html).write_pdf(pdf)
    elapsed = time.perf_counter() - start
    from pypdf import PdfReader

    pages = len(PdfReader(str(pdf)).pages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "seconds": elapsed, "pages": pages, "peak_mb": peak_mb}))


def measure(mode: str, root: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        completed = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(root), out],
            capture_output=True,
            text=True,
            check=False,
        )
    if completed.returncode != 0:
        raise SystemExit(f"{mode} measurement failed:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--chapters", type=int, default=10, help="chapters of the generated book (10 ≈ 300 pages)"
    )
    parser.add_argument("--paragraphs", type=int, default=60)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    from tests.bookgen import copy_sample_book, write_book

    rows = []
    with tempfile.TemporaryDirectory() as work:
        books = {
            "sample book": copy_sample_book(Path(work) / "sample"),
            f"generated ({args.chapters}×{args.paragraphs} paragraphs)": Path(work) / "generated",
        }
        write_book(
            books[f"generated ({args.chapters}×{args.paragraphs} paragraphs)"],
            chapters=args.chapters,
            paragraphs=args.paragraphs,
            seed=11,
        )
        for name, root in books.items():
            parallel = measure("parallel", root)
            plain = measure("plain", root)
            ratio = (parallel["seconds"] / parallel["pages"]) / (plain["seconds"] / plain["pages"])
            rows.append((name, parallel, plain, ratio))
    print(
        "| book | parallel: pages, time, peak RSS | plain column: pages, time, peak RSS | time per page, parallel ÷ plain |"
    )
    print("|---|---|---|---|")
    for name, parallel, plain, ratio in rows:
        print(
            f"| {name} | {parallel['pages']:.0f} p, {parallel['seconds']:.1f} s, {parallel['peak_mb']:.0f} MB "
            f"| {plain['pages']:.0f} p, {plain['seconds']:.1f} s, {plain['peak_mb']:.0f} MB | {ratio:.2f}× |"
        )


if __name__ == "__main__":
    main()

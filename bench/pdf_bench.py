"""Parallel PDF cost beside WeasyPrint rendering the same text as one plain column,
and the parallel PDF laid out by one process and by worker processes; beside them, what
any two-column setting of the same words costs WeasyPrint (a bare table, narrow columns).

    python bench/pdf_bench.py                      # the sample book and a ~300-page generated book
    python bench/pdf_bench.py --chapters 30        # a ~480-page generated book
    python bench/pdf_bench.py --chapters 2 --paragraphs 40 --jobs 2   # quicker

Each measurement runs in its own process (time and peak RSS of that process;
for worker processes, also the largest worker's peak RSS).  The plain column is
the same words, both languages one after the other, as simple <p> elements in
one HTML document with the same page size, font and size.  The PDF joined from
the workers' chapters is then read back and checked like the test suite does:
every word once and in order in its column, every pair aligned.
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
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _child(mode: str, root: str, out: str) -> None:
    """Runs inside a fresh process: one measurement, printed as JSON."""
    from bilingual_pub.build import BuildRequest, build, load_document
    from bilingual_pub.project import Project

    project = Project.open(Path(root))
    start = time.perf_counter()
    if mode.startswith("parallel-"):
        jobs = int(mode.removeprefix("parallel-"))
        result = build(
            project,
            BuildRequest(
                formats=("pdf",),
                editions=("parallel",),
                output_dir=Path(out),
                force=True,
                jobs=jobs,
            ),
        )
        pdfs = [result.written[0]]
    else:
        from weasyprint import HTML

        document = load_document(project)
        # "columns": each language's narrow column, one after the other in this process
        parts = [f"column-{n}" for n in range(2)] if mode == "columns" else [mode]
        pdfs = [Path(out) / f"{part}.pdf" for part in parts]
        for part, pdf in zip(parts, pdfs, strict=True):
            HTML(string=reference_html(project, document, part)).write_pdf(pdf)
    elapsed = time.perf_counter() - start
    from pypdf import PdfReader

    counts = [len(PdfReader(str(pdf)).pages) for pdf in pdfs]
    pages = sum(counts)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = {"mode": mode, "seconds": elapsed, "pages": pages, "peak_mb": peak_mb}
    report["each_pages"] = counts
    report["worker_peak_mb"] = worker_mb
    print(json.dumps(report))


def reference_html(project: Any, document: Any, mode: str) -> str:
    """The same words set by WeasyPrint without the toolkit, with the edition's page size,
    margins, face, size, leading, justification and hyphenation:

    - ``plain``: both languages one after the other, one full-width column;
    - ``table``: one bare two-column table, a row per pair, cells as wide as the parallel
      edition's columns (no headings, furniture, front matter or repair pass);
    - ``column-N``: language N alone, one column as wide as a parallel column.
    """
    from html import escape

    from bilingual_pub.render.fonts import font_faces_css
    from bilingual_pub.render.inline import plain_text

    languages = project.config.languages
    pairs = [pair for chapter in document.chapters for pair in chapter.pairs.values()]

    def paragraph(pair: Any, lang: str) -> str:
        return f"<p lang='{lang}'>{escape(plain_text(pair.text(lang)))}</p>"

    if mode == "plain":
        body = "".join(paragraph(pair, lang) for lang in languages for pair in pairs)
    elif mode == "table":
        rows = "".join(
            f"<tr><td>{paragraph(pair, languages[0])}</td><td>{paragraph(pair, languages[-1])}</td></tr>"
            for pair in pairs
        )
        body = f"<table><col/><col/>{rows}</table>"
    else:
        lang = languages[int(mode.removeprefix("column-"))]
        body = "<div class='column'>" + "".join(paragraph(pair, lang) for pair in pairs) + "</div>"
    css, _ = font_faces_css(project.config.pdf.font, project.root)
    pdf = project.config.pdf
    # gutter as in the parallel edition's book.css: 0.75em each side of the centre line
    style = (
        f"{css} @page {{ size: {pdf.page_size}; margin: {pdf.margin_top} {pdf.margin_outer} "
        f"{pdf.margin_bottom} {pdf.margin_inner}; }} "
        f"html {{ font: {pdf.font_size}/1.32 '{pdf.font}'; }} "
        "p { text-align: justify; hyphens: auto; margin: 0 0 0.55em; orphans: 2; widows: 2; } "
        "table { width: 100%; table-layout: fixed; border-spacing: 0; } "
        "col { width: 50%; } td { vertical-align: top; padding: 0; } "
        "td:first-child { padding-right: 0.75em; } td:last-child { padding-left: 0.75em; } "
        "div.column { width: 50%; padding-right: 0.75em; box-sizing: border-box; }"
    )
    return f"<html><head><style>{style}</style></head><body>{body}</body></html>"


def measure(mode: str, root: Path, keep: Path | None = None) -> dict[str, Any]:
    """One measurement in its own process; ``keep`` receives the PDF it wrote."""
    with tempfile.TemporaryDirectory() as out:
        completed = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(root), out],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise SystemExit(f"{mode} measurement failed:\n{completed.stderr[-2000:]}")
        if keep is not None:
            (pdf,) = Path(out).glob("*.pdf")
            pdf.replace(keep)
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def check_alignment(root: Path, pdf: Path) -> str:
    """The test suite's check of a parallel PDF, on the PDF the workers' chapters made."""
    from bilingual_pub.build import load_document, make_context
    from bilingual_pub.editions import editions_for
    from bilingual_pub.project import Project
    from bilingual_pub.render.pdf_html import chapter_views
    from tests.pdf_layout import check_parallel_pdf, stranded_headings

    project = Project.open(root)
    edition = editions_for(project.config.languages)[0]
    views = chapter_views(load_document(project), edition, make_context(project))
    report = check_parallel_pdf(pdf, views, project.config.pdf)
    return (
        f"{len(report.pairs)} pairs, {len(report.misaligned(tolerance=1.0))} misaligned, "
        f"{len(stranded_headings(report))} headings at a page foot, "
        f"{len(report.problems)} missing/misplaced words"
    )


def _mb(run: dict[str, Any], workers: bool = False) -> str:
    if workers:
        return f"{run['peak_mb']:.0f} MB + workers {run['worker_peak_mb']:.0f} MB each"
    return f"{run['peak_mb']:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--chapters",
        type=int,
        default=18,
        help="chapters of the generated book (18 ≈ 300 pages, 30 ≈ 480)",
    )
    parser.add_argument("--paragraphs", type=int, default=60)
    parser.add_argument(
        "--jobs", type=int, default=2, help="worker processes for the second parallel build"
    )
    parser.add_argument(
        "--no-check", action="store_true", help="skip reading back the workers' PDF"
    )
    parser.add_argument("--no-sample", action="store_true", help="only the generated book")
    parser.add_argument(
        "--no-floors",
        action="store_true",
        help="skip the bare two-column table and the single narrow columns",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    from tests.bookgen import copy_sample_book, write_book

    rows: list[Any] = []
    with tempfile.TemporaryDirectory() as work:
        books = {} if args.no_sample else {"sample book": copy_sample_book(Path(work) / "sample")}
        generated = Path(work) / "generated"
        write_book(generated, chapters=args.chapters, paragraphs=args.paragraphs, seed=11)
        books[f"generated ({args.chapters}×{args.paragraphs} paragraphs)"] = generated
        for name, root in books.items():
            joined = Path(work) / f"joined-{len(rows)}.pdf"
            one = measure("parallel-1", root)
            several = measure(f"parallel-{args.jobs}", root, keep=joined)
            plain = measure("plain", root)
            check = "not checked" if args.no_check else check_alignment(root, joined)
            floors = None if args.no_floors else (measure("table", root), measure("columns", root))
            rows.append((name, one, several, plain, check, floors))
    print(
        "| book | parallel, 1 process: pages, time, peak RSS "
        "| plain column: pages, time, peak RSS | time per page, parallel ÷ plain |"
    )
    print("|---|---|---|---|")
    for name, one, _, plain, _, _ in rows:
        ratio = per_page(one) / per_page(plain)
        print(
            f"| {name} | {one['pages']:.0f} p, {one['seconds']:.1f} s, {_mb(one)} "
            f"| {plain['pages']:.0f} p, {plain['seconds']:.1f} s, {_mb(plain)} | {ratio:.2f}× |"
        )
    print()
    print(
        f"| book | 1 process | {args.jobs} worker processes | ÷ 1 process "
        f"| check of the joined PDF |"
    )
    print("|---|---|---|---|---|")
    for name, one, several, _, check, _ in rows:
        print(
            f"| {name} | {one['seconds']:.1f} s, {_mb(one)} "
            f"| {several['seconds']:.1f} s, {_mb(several, workers=True)} "
            f"| {several['seconds'] / one['seconds']:.2f}× | {check} |"
        )

    if any(floors for *_, floors in rows):
        print_floors(rows)


def per_page(run: dict[str, Any]) -> float:
    return float(run["seconds"]) / float(run["pages"])


def print_floors(rows: list[Any]) -> None:
    """What any two-column layout of these words costs in WeasyPrint, beside the plain
    column: one bare table (the layout the parallel edition is built on) and each language
    alone in one narrow column (what a layout aligning two separate flows would have to
    set at least), the latter per page of the bare table."""
    print()
    print(
        "| book | plain column | bare two-column table | ÷ plain per page "
        "| each language in one narrow column | both, per table page ÷ plain per page |"
    )
    print("|---|---|---|---|---|---|")
    for name, _, _, plain, _, floors in rows:
        if floors is None:
            continue
        table, columns = floors
        first, second = columns["each_pages"]
        print(
            f"| {name} | {plain['pages']:.0f} p, {plain['seconds']:.1f} s "
            f"| {table['pages']:.0f} p, {table['seconds']:.1f} s "
            f"| {per_page(table) / per_page(plain):.2f}× "
            f"| {first} p + {second} p, {columns['seconds']:.1f} s "
            f"| {columns['seconds'] / table['pages'] / per_page(plain):.2f}× |"
        )


if __name__ == "__main__":
    main()

"""The ``bilingual-pub`` command: maps options onto the library, errors onto exit codes."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from bilingual_pub import __version__
from bilingual_pub.collector import tune_collector
from bilingual_pub.errors import BookError

log = logging.getLogger("bilingual_pub")


class State:
    def __init__(self, project_dir: Path | None, verbose: int, quiet: bool):
        self.project_dir = project_dir
        self.verbose = verbose
        self.quiet = quiet


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger("bilingual_pub")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


class BookGroup(click.Group):
    """Turns every BookError into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BookError as error:
            state = ctx.obj if isinstance(ctx.obj, State) else None
            if state is not None and state.verbose:
                log.exception("traceback")
            click.echo(f"error: {error}", err=True)
            ctx.exit(1)


_EXAMPLES = """\b
Examples:
  bilingual-pub init mybook          a new book in mybook/
  cd mybook
  bilingual-pub update               texts -> locales/*.pot and the catalogs
  bilingual-pub align texts/02-strike.md huelga.docx   an existing translation -> catalog
  bilingual-pub check                what the translations still need
  bilingual-pub stats                translation progress
  bilingual-pub build                every edition into build/
  bilingual-pub build --format pdf --edition parallel
  bilingual-pub serve                a live preview on http://127.0.0.1:8000/
  bilingual-pub -C ~/books/alliance build --strict
  bilingual-pub build --format cover each PDF edition's wrap-around print cover
  bilingual-pub preflight            the built PDFs and covers, checked for a printer

Run from any folder inside a book: the nearest folder upward that holds
book.toml is the book, as git finds its repository.
"""


@click.group(cls=BookGroup, epilog=_EXAMPLES, context_settings={"max_content_width": 100})
@click.option(
    "-C",
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The book's folder (default: the nearest folder upward that holds book.toml).",
)
@click.option("-v", "--verbose", count=True, help="Say more; -v also shows tracebacks of errors.")
@click.option("-q", "--quiet", is_flag=True, help="Say nothing but errors.")
@click.version_option(__version__, prog_name="bilingual-pub")
@click.pass_context
def main(ctx: click.Context, project_dir: Path | None, verbose: int, quiet: bool) -> None:
    """Publish bilingual books from Markdown texts and gettext catalogs."""
    tune_collector()
    _configure_logging(verbose, quiet)
    ctx.obj = State(project_dir, verbose, quiet)


class CheckCommand(click.Command):
    """``check --help`` ends with the kinds of findings and their levels, as each check of
    the registry (catalogs/checks.py) declares them."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from bilingual_pub.catalogs.checks import finding_kinds

        rows = [(kind.name, f"{kind.level}: {kind.description}") for kind in finding_kinds()]
        with formatter.section("Kinds of findings"):
            formatter.write_dl(rows)
        super().format_epilog(ctx, formatter)


def _progress_reporter(state: State) -> Any:
    """A progress line on a terminal; nothing when piped or with -q."""
    if state.quiet or not sys.stderr.isatty():
        return None

    def report(label: str, step: int, total: int) -> None:
        width = 24
        filled = width * (step - 1) // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        click.echo(f"\r[{bar}] {step}/{total} {label}\x1b[K", err=True, nl=step == total)

    return report


def _open(ctx: click.Context) -> Any:
    from bilingual_pub.project import Project, find_book_root

    state: State = ctx.obj
    return Project.open(state.project_dir or find_book_root(Path.cwd()))


@main.command(short_help="Create a new book project in DIRECTORY.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--languages", default="en,es", show_default=True, help="The two languages, left column first."
)
@click.option("--slug", default=None, help="Names the edition files (default: the folder's name).")
def init(directory: Path, languages: str, slug: str | None) -> None:
    """Create a new book project in DIRECTORY."""
    from bilingual_pub.scaffold import create_project

    created = create_project(directory, languages=tuple(languages.split(",")), slug=slug)
    for path in created:
        click.echo(f"created {path}")


@main.command(short_help="Extract the texts and merge them into the catalogs.")
@click.pass_context
def update(ctx: click.Context) -> None:
    """Extract every text to its POT and merge it into the translation catalogs."""
    from bilingual_pub.catalogs.update import update as run_update

    project = _open(ctx)
    state: State = ctx.obj
    results = run_update(project, progress=_progress_reporter(state))
    if state.quiet:
        return
    for result in results:
        report = result.report
        click.echo(
            f"{result.text} -> {result.language}: {report.kept} kept, {report.fuzzy} fuzzy, "
            f"{report.untranslated} new, {report.revived} revived, {report.obsoleted} obsolete"
            + ("" if result.written else " (unchanged)")
        )
        if result.carried_from:
            click.echo(f"  translations carried over from {result.carried_from} (renamed text)")


@main.command(short_help="Translation progress per text and language.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Translation progress per text and language, and for the whole book."""
    from bilingual_pub.catalogs.review import book_stats

    project = _open(ctx)
    config = project.config
    rows, total = book_stats(
        project.text_catalogs(), slug=config.slug, languages=config.languages
    )
    if as_json:
        click.echo(
            json.dumps({"texts": [r.as_dict() for r in rows], "total": total.as_dict()}, indent=2)
        )
        return
    click.echo(
        f"{'text':<24} {'lang':<9} {'segments':>8} {'words':>7} "
        f"{'done':>6} {'fuzzy':>6} {'todo':>6} {'%':>6}"
    )
    for row in [*rows, total]:
        direction = "both" if row is total else f"{row.source_language}>{row.language}"
        click.echo(
            f"{row.text:<24} {direction:<9} {row.segments:>8} "
            f"{row.source_words:>7} {row.translated:>6} {row.fuzzy:>6} {row.untranslated:>6} "
            f"{row.percent:>6.1f}"
        )


@main.command(cls=CheckCommand, short_help="Check the translations; exit 1 on any error.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Also list info findings: added formatting, and checks an ignore-KIND flag turns off.",
)
@click.pass_context
def check(ctx: click.Context, as_json: bool, show_all: bool) -> None:
    """Check the translations; exit status 1 if any error-level finding exists.

    Each finding is one line, path:LINE: kind: message.
    """
    from bilingual_pub.catalogs.glossary import checked_glossary
    from bilingual_pub.catalogs.review import check_catalogs

    project = _open(ctx)
    everything = check_catalogs(
        project.text_catalogs(),
        levels=project.config.checks,
        glossary=checked_glossary(project.config),
    )
    findings = [f for f in everything if show_all or f.level != "info"]
    errors = [f for f in findings if f.level == "error"]
    if as_json:
        click.echo(json.dumps([f.__dict__ for f in findings], indent=2, ensure_ascii=False))
    else:
        # one finding per line as path:LINE: kind: message, which editors can jump to;
        # the README's table (and --json) give each kind's level
        for finding in findings:
            click.echo(str(finding))
        state: State = ctx.obj
        if not state.quiet:
            click.echo(_check_summary(findings, show_all), err=True)
    if errors:
        ctx.exit(1)


def _check_summary(findings: list[Any], show_all: bool) -> str:
    counts = Counter(finding.level for finding in findings)
    summary = f"{counts['error']} errors, {counts['warning']} warnings"
    return f"{summary}, {counts['info']} info" if show_all else summary


@main.command(short_help="Build the PDF and EPUB editions.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["pdf", "epub", "cover"]),
    help="pdf, epub or cover (a PDF edition's print cover); repeatable (default: pdf and epub).",
)
@click.option(
    "--edition",
    "editions",
    multiple=True,
    metavar="parallel|facing|LANG",
    help="parallel, facing (PDF only) or a language code; repeatable (default: all editions).",
)
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the editions (default: build/ in the project).",
)
@click.option(
    "--strict", is_flag=True, help="Missing or fuzzy translations are errors, not warnings."
)
@click.option(
    "--force", is_flag=True, help="Rebuild editions even when none of their inputs changed."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that lay out a PDF's texts at once (default: one per CPU for a long book).",
)
@click.pass_context
def build(
    ctx: click.Context,
    formats: tuple[str, ...],
    editions: tuple[str, ...],
    output_dir: Path | None,
    strict: bool,
    force: bool,
    jobs: int | None,
) -> None:
    """Build the editions: a parallel PDF and EPUB, and one of each per language."""
    from bilingual_pub.build import FORMATS, BuildRequest
    from bilingual_pub.build import build as run_build

    state: State = ctx.obj
    request = BuildRequest(
        formats=formats or FORMATS,
        editions=editions,
        output_dir=output_dir,
        strict=strict,
        force=force,
        jobs=jobs,
    )
    result = run_build(_open(ctx), request, progress=_progress_reporter(state))
    if not state.quiet:
        for path in result.written:
            click.echo(f"wrote {path}")
        for path in result.unchanged:
            click.echo(f"up to date {path}")


@main.command(short_help="Preview the book in a browser, updated as files are saved.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Where to listen.")
@click.option("--pdf", is_flag=True, help="Also rebuild the PDF editions on every save.")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, pdf: bool) -> None:
    """Serve a live preview of the parallel text: each segment's state, its catalog line,
    what check finds; updated in the open page whenever a text, catalog or book.toml is saved."""
    from bilingual_pub.preview.server import LOOPBACK, PreviewServer, Rebuilder

    project = _open(ctx)
    if host != LOOPBACK:
        log.warning("serving on %s: anyone who can reach it can read the book", host)
    on_change = None
    if pdf:
        from bilingual_pub.build import BuildRequest
        from bilingual_pub.build import build as run_build

        def rebuild() -> None:
            from bilingual_pub.project import Project

            for path in run_build(Project.open(project.root), BuildRequest(("pdf",))).written:
                click.echo(f"wrote {path}")

        on_change = Rebuilder(rebuild)
        on_change()
    server = PreviewServer(project.root, host, port, on_change)
    click.echo(f"serving {server.url} (Ctrl-C to stop)")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the way to stop it
        server.serve_forever()


@main.command(short_help="Bring an existing translation of a text into its catalog.")
@click.argument("text", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("translation", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--confirm", is_flag=True, help="Write the translations as finished, not fuzzy.")
@click.option("--overwrite", is_flag=True, help="Replace translations the catalog already has.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable report.")
@click.pass_context
def align(
    ctx: click.Context, text: Path, translation: Path, confirm: bool, overwrite: bool,
    as_json: bool,
) -> None:
    """Bring an existing TRANSLATION of TEXT (Markdown, text, .docx, .odt) into its catalog."""
    from bilingual_pub.importing.run import AlignOptions, align_translation

    options = AlignOptions(confirm=confirm, overwrite=overwrite)
    report = align_translation(_open(ctx), text, translation, options)
    state: State = ctx.obj
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    elif not state.quiet:
        for line in report.lines():
            click.echo(line)


@main.command(short_help="Check the built PDFs and covers as a printer would; exit 1 on errors.")
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the editions were built (default: build/ in the project).",
)
@click.pass_context
def preflight(ctx: click.Context, output_dir: Path | None) -> None:
    """Check the built PDF editions and covers: fonts, image resolution, inside margin,
    page count, trim and bleed boxes, the cover's spine, the output intent.

    One line per finding, build/FILE.pdf: page N: level: message.
    """
    from bilingual_pub.preflight import preflight as run_preflight

    findings = run_preflight(_open(ctx), output_dir)
    for finding in findings:
        click.echo(str(finding))
    errors = [finding for finding in findings if finding.level == "error"]
    state: State = ctx.obj
    if not state.quiet:
        click.echo(f"{len(errors)} errors, {len(findings) - len(errors)} warnings", err=True)
    if errors:
        ctx.exit(1)

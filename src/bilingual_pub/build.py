"""``bilingual-pub build``: the book project -> every requested edition.

Reads texts and catalogs (never writes to ``locales/``), pairs them into the
Document, and hands it to one writer per format.  Each output is written to a
temporary file and moved into place only when complete.  Every warning about what the
editions being built read is logged (and returned): missing and fuzzy
translations, markup put back, and the error-level findings of ``check`` on
their catalogs; ``--strict`` turns any of them into an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

from bilingual_pub.catalogs.checks import check_catalog
from bilingual_pub.catalogs.glossary import load_glossary
from bilingual_pub.config import BookConfig
from bilingual_pub.config_keys import find_key_line
from bilingual_pub.document import enforce, make_document, read_by
from bilingual_pub.editions import BuildContext, Edition, build_context, editions_for
from bilingual_pub.errors import BuildError
from bilingual_pub.files import write_via_temporary
from bilingual_pub.fingerprint import BuildState, Fingerprints
from bilingual_pub.model import (
    Document,
    Finding,
    Level,
    Notice,
    SourceLocation,
    TextCatalog,
    text_figures,
)
from bilingual_pub.project import Project, build_time
from bilingual_pub.render.inline import image_sources

log = logging.getLogger(__name__)

FORMATS = ("pdf", "epub")  # what ``build`` makes when no format is asked
PRINT_FORMATS = ("cover",)  # on request: a PDF edition's wrap-around cover
CACHE_NAME = ".cache"  # the chapter cache, under the output folder: safe to delete
Writer = Callable[[Document, Edition, Path, BuildContext], None]


def _writer(format_name: str) -> Writer:
    # imported lazily: WeasyPrint takes a second to import and EPUB does not need it
    if format_name == "pdf":
        from bilingual_pub.render.pdf import write_pdf

        return write_pdf
    if format_name == "epub":
        from bilingual_pub.render.epub import write_epub

        return write_epub
    if format_name == "cover":
        return _cover_writer()
    raise BuildError(f"unknown format {format_name!r} (known: {', '.join(_KNOWN)})")


_KNOWN = FORMATS + PRINT_FORMATS


def _target(output_dir: Path, slug: str, format_name: str, edition: Edition) -> Path:
    if format_name == "cover":
        from bilingual_pub.render.cover import cover_name

        return output_dir / cover_name(slug, edition)
    return output_dir / edition.file_name(slug, format_name)


def _check_request(request: BuildRequest, languages: tuple[str, str]) -> None:
    known = ("parallel", "facing", *languages)
    for name in request.editions:
        if name not in known:
            raise BuildError(f"unknown edition {name!r} (known: {', '.join(known)})")
    for name in request.formats:
        if name not in _KNOWN:
            raise BuildError(f"unknown format {name!r} (known: {', '.join(_KNOWN)})")
    if "facing" in request.editions and not {"pdf", "cover"} & set(request.formats):
        # an EPUB reflows: facing pages exist only in print, and building nothing says nothing
        raise BuildError("the facing edition is a PDF edition: build it with --format pdf")


def _jobs(request: BuildRequest, config: BookConfig, output_dir: Path) -> list[Job]:
    """Every (format, edition, file) asked for, interiors before their covers."""
    return [
        Job(format_name, edition, _target(output_dir, config.slug, format_name, edition))
        for format_name in _with_interiors(request.formats)
        for edition in editions_for(
            config.languages,
            request.editions or None,
            _edition_format(format_name),
            config.pdf.editions,
        )
    ]


def _edition_format(format_name: str) -> str:
    """The format whose editions a format is made for: a cover is a PDF edition's."""
    return "pdf" if format_name == "cover" else format_name


def _with_interiors(formats: tuple[str, ...]) -> tuple[str, ...]:
    """The formats in build order: a cover is sized by its built interior, so the PDF
    editions come first (built too when only covers were asked)."""
    wanted = set(formats) | ({"pdf"} if "cover" in formats else set())
    return tuple(name for name in _KNOWN if name in wanted)


def _read_texts(project: Project) -> list[TextCatalog]:
    texts = []
    for text in project.texts():
        path = project.po_path(text)
        texts.append(TextCatalog(text, project.read_catalog(text), project.relative(path)))
    return texts


def load_document(project: Project) -> Document:
    return make_document(project.config, _read_texts(project))


@dataclass(frozen=True)
class CheckWarning:
    """An error-level finding of ``check`` on a catalog that translates into ``lang``."""

    finding: Finding
    lang: str

    @property
    def location(self) -> SourceLocation:
        return SourceLocation(self.finding.path, self.finding.line)

    def __str__(self) -> str:
        return str(self.finding)  # the very line ``check`` prints


def check_warnings(
    project: Project, texts: list[TextCatalog], languages: set[str]
) -> list[CheckWarning]:
    """The error-level findings of ``check`` on the catalogs translating into ``languages``."""
    found = []
    # the glossary is read only when the book raises its check to error: a build reads no
    # more than the findings it may act on
    wanted = project.config.checks.get("glossary") == Level.ERROR
    glossary = load_glossary(project.config) if wanted else None
    for text, catalog, path in texts:
        target = project.target_language(text)
        if catalog is None or target not in languages:
            continue
        findings = check_catalog(
            catalog,
            path=path,
            source_language=text.lang,
            target_language=target,
            levels=project.config.checks,
            glossary=glossary,
        )
        found += [CheckWarning(item, target) for item in findings if item.level is Level.ERROR]
    return found


def _notices(
    project: Project, texts: list[TextCatalog], document: Document, languages: set[str]
) -> list[Notice]:
    """What editions in ``languages`` read that needs the user's attention."""
    return [*check_warnings(project, texts, languages), *read_by(document.warnings, languages)]


def make_context(project: Project) -> BuildContext:
    return build_context(project.root, build_time())


@dataclass(frozen=True)
class BuildRequest:
    formats: tuple[str, ...] = FORMATS
    editions: tuple[str, ...] = ()
    output_dir: Path | None = None
    strict: bool = False
    force: bool = False  # rebuild even when nothing changed
    jobs: int | None = None  # processes laying out a PDF's chapters; None: as fits the book
    cache: bool = True  # keep each text's laid-out pages in <output>/.cache for the next build


@dataclass
class BuildResult:
    written: list[Path]
    unchanged: list[Path]
    warnings: list[str] = field(default_factory=list)  # as logged, one line each


Progress = Callable[[str, int, int], None]  # label, step, total


class Job(NamedTuple):
    """One edition in one format, and the file it is written to."""

    format_name: str
    edition: Edition
    target: Path


def build(project: Project, request: BuildRequest, progress: Progress | None = None) -> BuildResult:
    """Build the requested editions; editions whose inputs did not change are left alone."""
    config = project.config
    _check_request(request, config.languages)
    output_dir = request.output_dir or project.root / "build"
    state = BuildState(output_dir)
    slug = config.slug
    requested = editions_for(config.languages, request.editions or None, wanted=config.pdf.editions)
    jobs = _jobs(request, config, output_dir)
    inputs = Fingerprints(project)
    fingerprints = {job.target: inputs.of(job.edition, job.format_name) for job in jobs}
    stale = [
        job
        for job in jobs
        if request.force or not state.is_current(job.target, fingerprints[job.target])
    ]
    result = BuildResult(written=[], unchanged=[job.target for job in jobs if job not in stale])
    for target in result.unchanged:
        log.info("%s is up to date", target.name)
    if not stale and not request.strict:
        return result
    texts = _read_texts(project)
    document = make_document(project.config, texts)
    cache_dir = output_dir / CACHE_NAME if request.cache else None
    context = replace(make_context(project), jobs=request.jobs, cache_dir=cache_dir)
    building = {lang for job in stale for lang in job.edition.languages}
    # every image is checked before anything is written: a bad one stops the build at once
    check_images(document, context, building)
    if any(job.format_name in ("pdf", "cover") for job in stale):
        from bilingual_pub.render.fonts import font_faces_css

        font_faces_css(project.config.pdf.font, project.root)  # a missing face stops us here
    # --strict answers for every edition asked for, even one that is up to date
    asked = {lang for edition in requested for lang in edition.languages}
    notices = _notices(project, texts, document, asked if request.strict else building)
    result.warnings = [str(notice) for notice in notices]
    enforce(notices, strict=request.strict)
    output_dir.mkdir(parents=True, exist_ok=True)
    for step, (format_name, edition, target) in enumerate(stale, start=1):
        if progress:
            progress(target.name, step, len(stale))
        writer = _writer(format_name)
        if format_name == "cover":
            interior = _target(output_dir, slug, "pdf", edition)
            writer = partial(_cover_writer(), interior=interior)
        write_via_temporary(target, partial(_run_writer, writer, document, edition, context))
        state.record(target, fingerprints[target])
        log.info("wrote %s", target)
        result.written.append(target)
    return result


def _cover_writer() -> Callable[..., None]:
    from bilingual_pub.render.cover import write_cover

    return write_cover


def check_images(document: Document, context: BuildContext, languages: set[str]) -> None:
    """Resolve every image the editions in ``languages`` show: figures, inline images (in
    texts and translations) and the cover.  Raises BuildError naming the text and line."""
    config = document.config
    for key, image in (("book.cover", config.cover), ("cover.image", config.print_cover.image)):
        if image:
            text = config.config_path.read_text(encoding="utf-8")
            location = SourceLocation("book.toml", find_key_line(text, key) or 1)
            context.resolve_image(location, image)
    for chapter in document.chapters:
        for figure in text_figures(chapter.text):
            context.resolve_image(figure.segment.location, figure.src)
        for pair in chapter.pairs.values():
            for lang in sorted(languages & set(pair.texts)):
                for src in image_sources(pair.text(lang)):
                    context.resolve_image(pair.location, src)


def _run_writer(
    writer: Writer, document: Document, edition: Edition, context: BuildContext, path: Path
) -> None:
    writer(document, edition, path, context)

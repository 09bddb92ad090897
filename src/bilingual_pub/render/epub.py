"""Document -> EPUB 3 package: a short list of named steps, package files from templates.

Each step adds files to an ``EpubJob`` (zip path -> bytes, plus manifest and
spine entries); the last one writes the zip.  The order of the steps, and of
the files, is fixed, and every time stamp comes from the build time, so two
builds with the same ``SOURCE_DATE_EPOCH`` are byte-identical.

Layout of the package::

    mimetype                      stored, first, no extra field
    META-INF/container.xml
    EPUB/package.opf  nav.xhtml  toc.ncx  cover.xhtml  title.xhtml  t01.xhtml ...
    EPUB/css/book.css             what every engine can parse: stacked pairs
    EPUB/css/parallel.css         side by side, under @supports and a width query
    EPUB/fonts/  EPUB/images/
"""

from __future__ import annotations

import logging
import re
import textwrap
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import Markup

from bilingual_pub.config import BookConfig, find_key_line
from bilingual_pub.editions import BuildContext, Edition
from bilingual_pub.errors import BuildError
from bilingual_pub.model import Document, SourceLocation
from bilingual_pub.render.epub_xhtml import (
    ChapterFacts,
    ChapterWriter,
    ImageStore,
    LinkResolver,
    TocEntry,
    link_targets,
)
from bilingual_pub.render.front import joined, labels_in, translation_credits
from bilingual_pub.render.labels import label, language_name

log = logging.getLogger(__name__)

CONTENT_DIR = "EPUB"
MIMETYPE = b"application/epub+zip"
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip entry can hold
FONT_FILES = (  # (file in font_source_serif_pro, weight, style)
    ("SourceSerifPro-Regular.ttf", "normal", "normal"),
    ("SourceSerifPro-It.ttf", "normal", "italic"),
    ("SourceSerifPro-Bold.ttf", "bold", "normal"),
    ("SourceSerifPro-BoldIt.ttf", "bold", "italic"),
)
FONT_FAMILY = "Source Serif Pro"
# spine positions: front matter first, then the chapters in book order
SPINE_COVER, SPINE_TITLE, SPINE_NAV, SPINE_CHAPTERS = 0, 1, 2, 10

# The writer's small immutable records are NamedTuples, as labels.Label is: Python makes
# a NamedTuple class in a fifth of the time a frozen dataclass takes (its methods are not
# compiled one by one at import), and an EPUB build of a short book is mostly start-up.


class ManifestItem(NamedTuple):
    id: str
    href: str  # relative to package.opf
    media_type: str
    properties: str = ""
    spine: int | None = None  # position in the reading order, None for resources


class FontFace(NamedTuple):
    href: str  # relative to the stylesheet
    weight: str
    style: str


@dataclass
class EpubJob:
    """The state the steps share: what the edition is, and the files made so far."""

    document: Document
    edition: Edition
    context: BuildContext
    images: ImageStore
    files: dict[str, bytes] = field(default_factory=dict)  # zip path -> content
    manifest: list[ManifestItem] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    facts: ChapterFacts = field(default_factory=ChapterFacts)
    fonts: list[FontFace] = field(default_factory=list)
    cover_alt: str = ""
    cover_href: str | None = None  # the book's own cover image, when it has one

    @property
    def config(self) -> BookConfig:
        return self.document.config

    @property
    def languages(self) -> tuple[str, ...]:
        return self.edition.languages

    def add(
        self,
        href: str,
        data: bytes,
        media_type: str,
        *,
        item_id: str,
        properties: str = "",
        spine: int | None = None,
    ) -> None:
        """A publication resource: a file under EPUB/, listed in the manifest."""
        self.files[f"{CONTENT_DIR}/{href}"] = data
        self.manifest.append(ManifestItem(item_id, href, media_type, properties, spine))

    def render(self, template: str, **values: Any) -> bytes:
        shared = {"edition": self.edition, "languages": self.languages, "config": self.config}
        text = self.context.templates.get_template(f"epub/{template}").render(**shared, **values)
        return text.encode("utf-8")


Step = Callable[[EpubJob], None]


def write_epub(document: Document, edition: Edition, target: Path, context: BuildContext) -> None:
    """Build one edition as an EPUB 3 file at ``target``."""
    job = EpubJob(document, edition, context, ImageStore(context.resolve_image))
    for step in STEPS:
        log.debug("epub %s: %s", edition.name, step.__name__)
        step(job)
    write_zip(job.files, target, context.built_at)
    log.info("epub %s: %d files, %d chapters", edition.name, len(job.files), len(document.chapters))


# --- the steps -------------------------------------------------------------------


def build_mimetype(job: EpubJob) -> None:
    job.files["mimetype"] = MIMETYPE


def build_container(job: EpubJob) -> None:
    job.files["META-INF/container.xml"] = job.render(
        "container.xml", package=f"{CONTENT_DIR}/package.opf"
    )


def build_fonts(job: EpubJob) -> None:
    """Embed Source Serif Pro (SIL OFL: embedding allowed; its licence travels with it)."""
    if not job.config.epub.embed_font:
        return
    directory = _font_directory()
    for name, weight, style in FONT_FILES:
        job.add(
            f"fonts/{name}",
            (directory / name).read_bytes(),
            "font/ttf",
            item_id=_item_id("font", name),
        )
        job.fonts.append(FontFace(f"../fonts/{name}", weight, style))
    licence = directory / "LICENSE.txt"
    if licence.is_file():
        job.add("fonts/OFL.txt", licence.read_bytes(), "text/plain", item_id="font-licence")


def build_styles(job: EpubJob) -> None:
    family = FONT_FAMILY if job.fonts else ""
    job.add(
        "css/book.css",
        job.render("book.css", fonts=job.fonts, family=family),
        "text/css",
        item_id="css-book",
    )
    if job.edition.parallel:
        job.add("css/parallel.css", job.render("parallel.css"), "text/css", item_id="css-parallel")


def build_chapters(job: EpubJob) -> None:
    files = {chapter.text.path: f"{chapter.id}.xhtml" for chapter in job.document.chapters}
    ids = {f"{chapter.id}.xhtml": link_targets(chapter) for chapter in job.document.chapters}
    links = LinkResolver(files, ids)
    for chapter in job.document.chapters:
        file_name = files[chapter.text.path]
        writer = ChapterWriter(
            chapter,
            languages=job.languages,
            raw_html=job.config.raw_html,
            images=job.images,
            links=links,
            typography=job.config.typography,
        )
        rendered = writer.render(file_name)
        page = job.render(
            "chapter.xhtml",
            lang=job.edition.main_language,
            title=rendered.toc.text,
            chapter_id=chapter.id,
            body=Markup(rendered.body),
            notes=Markup(rendered.notes),
            notes_label=label("notes", job.edition.main_language),
        )
        job.add(
            file_name,
            page,
            "application/xhtml+xml",
            item_id=chapter.id,
            spine=SPINE_CHAPTERS + chapter.number,
        )
        job.toc.append(rendered.toc)
        _merge_facts(job.facts, rendered.facts)


def build_cover(job: EpubJob) -> None:
    """The book's cover image, or a typographic cover with the titles in every language."""
    titles = [job.config.titles[lang] for lang in job.languages]
    if job.config.cover:
        href = job.images.add(_config_location(job.config, "book.cover"), job.config.cover)
        job.cover_href = href
        job.cover_alt = f"{joined(labels_in('cover', job.edition))}: {' / '.join(titles)}"
    else:
        job.cover_alt = " / ".join(titles)
        href = "images/cover.svg"
        job.add(
            href,
            _typographic_cover(job),
            "image/svg+xml",
            item_id="cover-image",
            properties="cover-image",
        )
    page = job.render("cover.xhtml", lang=job.edition.main_language, image=href, alt=job.cover_alt)
    job.add("cover.xhtml", page, "application/xhtml+xml", item_id="cover", spine=SPINE_COVER)


def build_title_page(job: EpubJob) -> None:
    page = job.render(
        "title.xhtml",
        lang=job.edition.main_language,
        page_title=joined(labels_in("title_page", job.edition)),
        credits=translation_credits(job.document, job.edition),
        year=job.config.year,
    )
    job.add("title.xhtml", page, "application/xhtml+xml", item_id="title-page", spine=SPINE_TITLE)


def build_images(job: EpubJob) -> None:
    """Copy every image the chapters (and the cover) used."""
    for image in job.images.images:
        is_cover = image.href == job.cover_href
        job.add(
            image.href,
            image.source.read_bytes(),
            image.media_type,
            item_id="cover-image" if is_cover else _item_id("img", image.href),
            properties="cover-image" if is_cover else "",
        )


def build_navigation(job: EpubJob) -> None:
    main = job.edition.main_language
    first_chapter = job.toc[0].href if job.toc else "title.xhtml"
    page = job.render(
        "nav.xhtml",
        lang=main,
        toc=job.toc,
        contents=labels_in("contents", job.edition),
        landmarks=labels_in("landmarks", job.edition),
        cover=labels_in("cover", job.edition),
        start=labels_in("start", job.edition),
        first_chapter=first_chapter,
    )
    job.add(
        "nav.xhtml", page, "application/xhtml+xml", item_id="nav", properties="nav", spine=SPINE_NAV
    )


def build_ncx(job: EpubJob) -> None:
    """The EPUB 2 table of contents, for readers that predate the nav document."""
    entries = list(_flatten(job.toc))
    page = job.render(
        "toc.ncx",
        identifier=book_identifier(job.config, job.edition),
        title=" / ".join(job.config.titles[lang] for lang in job.languages),
        toc=job.toc,
        depth=2 if any(entry.children for entry in job.toc) else 1,
        play_order={entry.href: number for number, entry in enumerate(entries, start=1)},
    )
    job.add("toc.ncx", page, "application/x-dtbncx+xml", item_id="ncx")


def build_package(job: EpubJob) -> None:
    manifest = sorted(job.manifest, key=lambda item: item.href)
    spine = sorted(
        (item for item in job.manifest if item.spine is not None), key=lambda item: item.spine or 0
    )
    page = job.render(
        "package.opf",
        lang=job.edition.main_language,
        identifier=book_identifier(job.config, job.edition),
        title_languages=job.languages,
        metadata_languages=metadata_languages(job.config, job.edition),
        modified=modified_stamp(job.context.built_at),
        date=publication_date(job.config),
        manifest=manifest,
        spine=spine,
        accessibility=accessibility(job),
    )
    job.files[f"{CONTENT_DIR}/package.opf"] = page  # the package lists others, not itself


STEPS: tuple[Step, ...] = (
    build_mimetype,
    build_container,
    build_fonts,
    build_styles,
    build_cover,
    build_title_page,
    build_chapters,
    build_images,  # after the chapters: only the images they used
    build_navigation,  # after the chapters: their headings make the table of contents
    build_ncx,
    build_package,  # last: it lists everything the other steps made
)


# --- metadata ----------------------------------------------------------------------


def book_identifier(config: BookConfig, edition: Edition) -> str:
    """Stable across builds, so readers keep their place: the ISBN, or a UUID from slug + edition.

    One ISBN cannot name three products, so ``epub.isbn`` identifies the parallel edition only.
    """
    if config.epub.isbn and edition.parallel:
        return f"urn:isbn:{checked_isbn(config)}"
    name = f"bilingual-pub:{config.slug}:{edition.name}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def checked_isbn(config: BookConfig) -> str:
    """The ISBN without hyphens or spaces; a typo is an error, not a wrong product number."""
    raw = config.epub.isbn or ""
    isbn = "".join(ch for ch in raw.upper() if ch not in "- ")
    if re.fullmatch(r"97[89]\d{10}", isbn):
        weighted = sum(
            int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(isbn)
        )
        valid = weighted % 10 == 0
    elif re.fullmatch(r"\d{9}[\dX]", isbn):
        values = [10 if digit == "X" else int(digit) for digit in isbn]
        valid = sum(value * (10 - position) for position, value in enumerate(values)) % 11 == 0
    else:
        valid = False
    if not valid:
        where = _config_location(config, "epub.isbn")
        raise BuildError(
            f"epub.isbn: {raw!r} is not a valid ISBN-13 or ISBN-10", where.path, where.line
        )
    return isbn


def publication_date(config: BookConfig) -> str:
    """``dc:date`` must be a W3C date: a year like "2026" is one, free text is not."""
    if not config.year or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", config.year):
        return config.year
    log.warning(
        "book.toml: year %r is not a date like 2026; the EPUB metadata leaves it out", config.year
    )
    return ""


def metadata_languages(config: BookConfig, edition: Edition) -> list[str]:
    """The edition's languages, the book's source language first."""
    return sorted(edition.languages, key=lambda lang: lang != config.source_language)


def modified_stamp(moment: datetime) -> str:
    """``dcterms:modified`` wants exactly CCYY-MM-DDThh:mm:ssZ, in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Accessibility(NamedTuple):
    modes: tuple[str, ...]
    sufficient: tuple[str, ...]
    features: tuple[str, ...]
    summary: str
    summary_lang: str


def accessibility(job: EpubJob) -> Accessibility:
    """schema.org accessibility metadata, true to what this edition contains."""
    visual = job.facts.uses_images or job.cover_href is not None
    described = not job.facts.images_without_text
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ]
    if visual and described:
        features.append("alternativeText")
    main = job.edition.main_language
    summary_label = label("summary_common", main)
    lang = summary_label.lang
    if job.edition.parallel:
        first, second = (language_name(code, lang) for code in job.languages)
        summary = label("summary_parallel", lang).text.format(first=first, second=second)
    else:
        summary = label("summary_single", lang).text.format(language=language_name(main, lang))
    summary += summary_label.text
    if visual and described:
        summary += label("summary_images", lang).text
    if job.facts.stand_ins:
        summary += label("summary_stand_ins", lang).text
    if job.facts.reviews:
        summary += label("summary_reviews", lang).text
    return Accessibility(
        modes=("textual", "visual") if visual else ("textual",),
        sufficient=("textual",) if described else ("textual,visual",),
        features=tuple(features),
        summary=summary,
        summary_lang=lang,
    )


# --- the zip -----------------------------------------------------------------------


def write_zip(files: dict[str, bytes], target: Path, built_at: datetime) -> None:
    """mimetype first and stored; everything else deflated, in a fixed order, with fixed times."""
    stamp = max(built_at.astimezone(UTC), ZIP_EPOCH).timetuple()[:6]
    order = ["mimetype", "META-INF/container.xml"]
    order += sorted(name for name in files if name not in order)
    with zipfile.ZipFile(target, "w") as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine builds it
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED  # readers sniff its bytes at offset 38
                archive.writestr(info, files[name])
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, files[name], compresslevel=compress_level(name))


def compress_level(name: str) -> int:
    """zlib's fastest level for fonts and pictures: they are most of the bytes to deflate,
    and its default level (6) takes 2.5x as long to make them only 6% smaller."""
    if name.startswith(f"{CONTENT_DIR}/fonts/") or name.startswith(f"{CONTENT_DIR}/images/"):
        return 1
    return zlib.Z_DEFAULT_COMPRESSION


# --- helpers -------------------------------------------------------------------------


def _font_directory() -> Path:
    try:
        import font_source_serif_pro
    except ImportError:
        raise BuildError(
            "epub.embed_font: the font package font-source-serif-pro is not installed", "book.toml"
        ) from None
    return Path(font_source_serif_pro.font_directory)


def _config_location(config: BookConfig, key: str) -> SourceLocation:
    try:
        line = find_key_line(config.config_path.read_text(encoding="utf-8"), key) or 1
    except OSError:
        line = 1
    return SourceLocation("book.toml", line)


class CoverLine(NamedTuple):
    text: str
    y: int
    size: int
    lang: str
    italic: bool = False
    bold: bool = False


def cover_layout(
    config: BookConfig, languages: tuple[str, ...]
) -> tuple[list[CoverLine], list[int]]:
    """Lines and rules of the typographic cover, top to bottom (SVG text does not wrap itself)."""
    lines: list[CoverLine] = []
    rules: list[int] = []
    y = 170
    for position, lang in enumerate(languages):
        if position:
            rules.append(y - 24)
            y += 40
        italic = position > 0  # the second language set as in the text: italic
        title = config.titles[lang]
        size, width = (40, 22) if len(title) <= 50 else (30, 30)  # long titles: smaller type
        for text in textwrap.wrap(title, width=width):
            lines.append(CoverLine(text, y, size, lang, italic=italic, bold=not italic))
            y += size * 5 // 4
        for text in textwrap.wrap(config.subtitles.get(lang, ""), width=44):
            lines.append(CoverLine(text, y + 6, 22, lang, italic=True))
            y += 30
        y += 50
    authors = config.authors[:3]
    for number, author in enumerate(authors):  # at the foot, the last one lowest
        lines.append(CoverLine(author, 800 - 34 * (len(authors) - 1 - number), 24, languages[0]))
    return lines, rules


def _typographic_cover(job: EpubJob) -> bytes:
    lines, rules = cover_layout(job.config, job.languages)
    return job.render("cover.svg", lines=lines, rules=rules, alt=job.cover_alt)


def _item_id(prefix: str, href: str) -> str:
    """Manifest ids are XML names: letters, digits, '-', '_' and '.' only."""
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in Path(href).name)
    return f"{prefix}-{stem}"


def _merge_facts(total: ChapterFacts, found: ChapterFacts) -> None:
    total.uses_images |= found.uses_images
    total.images_without_text |= found.images_without_text
    total.stand_ins |= found.stand_ins
    total.reviews |= found.reviews


def _flatten(entries: list[TocEntry] | tuple[TocEntry, ...]) -> list[TocEntry]:
    flat: list[TocEntry] = []
    for entry in entries:
        flat.append(entry)
        flat.extend(_flatten(entry.children))
    return flat

"""The EPUB's steps, in order, each adding files to the job, and the zip they end in."""

from __future__ import annotations

import logging
import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import Markup

from bilingual_pub.errors import BuildError
from bilingual_pub.render.epub.chapters import ChapterFacts, ChapterWriter, TocEntry
from bilingual_pub.render.epub.cover import typographic_cover
from bilingual_pub.render.epub.job import CONTENT_DIR, EpubJob, FontFace, config_location
from bilingual_pub.render.epub.links import LinkResolver, link_targets
from bilingual_pub.render.epub.metadata import (
    accessibility,
    book_identifier,
    metadata_languages,
    modified_stamp,
    publication_date,
)
from bilingual_pub.render.front import joined, labels_in, translation_credits
from bilingual_pub.render.labels import label

log = logging.getLogger(__name__)

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

Step = Callable[[EpubJob], None]


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
        href = job.images.add(config_location(job.config, "book.cover"), job.config.cover)
        job.cover_href = href
        job.cover_alt = f"{joined(labels_in('cover', job.edition))}: {' / '.join(titles)}"
    else:
        job.cover_alt = " / ".join(titles)
        href = "images/cover.svg"
        job.add(
            href,
            typographic_cover(job),
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

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

The modules, each importing only those after it:

- ``package``: the steps (``build_mimetype``, ``build_container``, ... ``build_package``)
  in the order they run, and the zip.
- ``metadata``: the package metadata: identifier (ISBN or a stable UUID), dates,
  languages, accessibility.
- ``cover``: the typographic cover of a book without a cover image.
- ``job``: ``EpubJob``, the state the steps share.
- ``chapters``: one chapter's block tree -> the XHTML of a content document.
- ``links``: in-book links pointed at content documents; which raw HTML is safe XHTML.
- ``images``: the images an edition uses, copied once under plain names.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bilingual_pub.editions import BuildContext, Edition
from bilingual_pub.model import Document
from bilingual_pub.render.epub.images import ImageStore
from bilingual_pub.render.epub.job import EpubJob
from bilingual_pub.render.epub.package import STEPS, write_zip

log = logging.getLogger(__name__)

__all__ = ["write_epub"]


def write_epub(document: Document, edition: Edition, target: Path, context: BuildContext) -> None:
    """Build one edition as an EPUB 3 file at ``target``."""
    job = EpubJob(document, edition, context, ImageStore(context.resolve_image))
    for step in STEPS:
        log.debug("epub %s: %s", edition.name, step.__name__)
        step(job)
    write_zip(job.files, target, context.built_at)
    log.info("epub %s: %d files, %d chapters", edition.name, len(job.files), len(document.chapters))

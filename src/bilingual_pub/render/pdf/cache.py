"""The chapter cache: each text's laid-out pages, kept between builds of a PDF edition.

A chapter is laid out as its own document and written without its page furniture
(render/pdf/workers.py); that PDF, with what the join needs (its page count, what
its margin boxes said, the repair pass's choices), is kept under the output
folder's ``.cache`` and used again while nothing the layout reads has changed.

The key of a chapter hashes what its layout reads: the chapter's HTML (its text and
the catalog entries it shows, the titles and settings the templates put on its
pages), the edition's stylesheet (page size, margins, fonts: book.toml's [pdf]
section and the templates), the files the two point at (images, font files), the
book's templates and fonts folders, the toolkit's own code and templates and the
versions of the libraries that draw the pages.  Anything else about the book (the
other chapters, the front matter) changes only page numbers, which the join sets.

An entry is two files, written in this order: the chapter's PDF, then a small JSON
record holding the PDF's SHA-256.  A build killed between them leaves a PDF without
a record, which is never read; a PDF that does not match its record is laid out
again.  After each build an edition's folder keeps only the entries of its current
chapters, and folders of editions the book no longer has are removed: the cache
does not grow past one book's worth, and deleting it costs only time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import shutil
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bilingual_pub.editions import Edition, editions_for
from bilingual_pub.files import write_atomic
from bilingual_pub.fingerprint import book_files, toolkit_files
from bilingual_pub.render.pdf.furniture import Furniture, furniture_from_json, furniture_to_json
from bilingual_pub.render.pdf.layout import EditionLayout
from bilingual_pub.render.pdf_html import ChapterView

log = logging.getLogger(__name__)

CACHE_FORMAT = 3  # bumped when an entry's layout changes
FOLDER_PREFIX = "pdf-"
_FILE_URL = re.compile(r"file://[^\"')\s<>]+")
_DRAWING_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "pypdf")
# the build time (to the minute) is in every document's metadata, which the joined PDF
# takes from its frame: a chapter's key leaves it out, or no entry would outlive a minute
_BUILD_TIME = re.compile(r'<meta name="dcterms\.(?:created|modified)"[^>]*>')


@dataclass(frozen=True)
class CachedChapter:
    """A chapter as laid out by an earlier build, ready to be joined."""

    pdf: Path
    pages: int
    furniture: Furniture
    keep: frozenset[str]
    push: frozenset[str]
    ragged: frozenset[str] = frozenset()  # the rows set ragged-right
    rows: dict[str, str] = field(default_factory=dict)  # each row's digest, by id


@cache
def _toolkit_digest() -> str:
    """The toolkit's code and templates and the drawing libraries' versions, hashed once
    per process (a long-running preview server is restarted to pick up an upgrade)."""
    digest = hashlib.sha256()
    for label, data in toolkit_files():
        digest.update(label.encode() + b"\0" + data)
    for name in _DRAWING_LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{name}={metadata.version(name)}\0".encode())
    return digest.hexdigest()


def _linked_files(text: str) -> list[Path]:
    """The local files a chapter's HTML or the stylesheet point at (images, fonts)."""
    found = set()
    for url in _FILE_URL.findall(text):
        path = Path(unquote(urlsplit(url).path))
        if path.is_file():
            found.add(path)
    return sorted(found)


class EditionKeys:
    """The keys of one edition's chapters: what is shared by all of them, hashed once."""

    def __init__(self, layout: EditionLayout):
        self.layout = layout
        root = layout.context.root
        shared = hashlib.sha256()
        shared.update(f"{CACHE_FORMAT}\0{_toolkit_digest()}\0".encode())
        edition = layout.edition
        shared.update(f"{edition.name}:{','.join(edition.languages)}\0".encode())
        # the [pdf] settings (the standard, the facing sync) steer a layout beyond its CSS
        shared.update(f"{layout.document.config.pdf!r}\0".encode())
        shared.update(layout.css.encode() + b"\0")
        files = book_files(root) + layout.font_files + _linked_files(layout.css)
        for path in sorted(set(files)):
            shared.update(str(path).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        self.shared = shared

    def of(self, view: ChapterView, stand_in_first_page: int) -> str:
        return self._digest([self.layout.chapter_markup(view, stand_in_first_page)])

    def frame(self, front_pages: int, pages: list[int]) -> str:
        """The key of the frame of a book whose front matter has ``front_pages`` pages and
        whose chapters have ``pages`` pages: the front matter with its contents, the blank
        pages, each chapter's running heads and page numbers (render/pdf/workers.py).  An
        earlier build's edition with the same frame key differs from this build's only in
        the pages of the chapters whose keys differ, and in its build time."""
        layout = self.layout
        book = layout.book_pages(front_pages)
        markup = [f"frame {front_pages}", layout.front_markup(layout.placeholder_toc())]
        markup.append(layout.blank_markup())
        for view, count in zip(layout.views, pages, strict=True):
            markup.append(layout.furniture_markup(view, book.next_page, count))
            book.add(view.id, [None] * count)
        markup.append(layout.front_markup(book.toc_pages))
        return self._digest(markup)

    def _digest(self, markup: list[str]) -> str:
        """The shared inputs with documents' HTML (without its build time) and the files it
        points at."""
        digest = self.shared.copy()
        for text in markup:
            html = _BUILD_TIME.sub("", text)
            digest.update(html.encode() + b"\0")
            for path in _linked_files(html):
                digest.update(str(path).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()


class ChapterCache:
    """One edition's cached chapters, in ``<cache>/pdf-<edition>/``."""

    def __init__(self, cache_dir: Path, edition: Edition):
        self.root = cache_dir
        self.folder = cache_dir / f"{FOLDER_PREFIX}{edition.name}"

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.pdf", self.folder / f"{key}.json"

    def get(self, key: str, work: Path) -> CachedChapter | None:
        """The chapter stored under ``key``, its PDF copied into the folder ``work`` once
        checked (what the join reads is what was checked, whatever another build does to
        the cache meanwhile), or None when there is none or it is damaged (then it is
        removed, and laid out again)."""
        pdf, record = self._paths(key)
        if not record.is_file():
            return None
        try:
            entry = json.loads(record.read_text(encoding="utf-8"))
            data = pdf.read_bytes()
            if entry["format"] != CACHE_FORMAT:
                raise ValueError("an earlier format")
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise ValueError("its PDF does not match its checksum")
            copy = work / pdf.name
            copy.write_bytes(data)
            return CachedChapter(
                copy,
                int(entry["pages"]),
                furniture_from_json(entry["furniture"]),
                frozenset(entry["keep"]),
                frozenset(entry["push"]),
                frozenset(entry["ragged"]),
                {str(row): str(digest) for row, digest in entry["rows"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError) as problem:
            log.info("chapter cache: entry %s is damaged (%s); laying it out again", key, problem)
            for path in (record, pdf):
                path.unlink(missing_ok=True)
            return None

    def put(self, key: str, chapter: CachedChapter) -> None:
        """Keep a chapter's PDF and record; the record last, holding the PDF's checksum."""
        pdf, record = self._paths(key)
        data = chapter.pdf.read_bytes()
        write_atomic(pdf, data)
        entry = {
            "format": CACHE_FORMAT,
            "sha256": hashlib.sha256(data).hexdigest(),
            "pages": chapter.pages,
            "furniture": furniture_to_json(chapter.furniture),
            "keep": sorted(chapter.keep),
            "push": sorted(chapter.push),
            "ragged": sorted(chapter.ragged),
            "rows": chapter.rows,
        }
        write_atomic(record, json.dumps(entry, sort_keys=True).encode())

    def prune(self, keys: set[str], languages: tuple[str, str]) -> None:
        """Drop entries of chapters not in ``keys`` (texts gone, settings changed) and the
        folders of editions the book no longer has."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name.split(".")[0] not in keys:  # a killed build's temporaries too
                    path.unlink(missing_ok=True)
        known = {FOLDER_PREFIX + edition.name for edition in editions_for(languages)}
        for folder in self.root.glob(f"{FOLDER_PREFIX}*"):
            if folder.is_dir() and folder.name not in known:
                shutil.rmtree(folder, ignore_errors=True)

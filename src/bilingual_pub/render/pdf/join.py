"""Join chapter PDFs laid out in other processes with their frame, into one PDF (pypdf).

The frame PDF (written by WeasyPrint) holds every page of the book in order: the
front matter, blank pages, and for each chapter its running heads and page
numbers on otherwise empty pages.  Each chapter PDF holds that chapter's pages
without them.  Every chapter page becomes a form XObject drawn first on its frame
page, so the furniture is drawn over it as in a book laid out in one piece.  The
chapters' links, named destinations (the targets of the table of contents and of
every pair) and bookmarks are carried over with their page numbers moved to the
frame's; the frame's metadata, document language, PDF version and output intent
stay as WeasyPrint wrote them (render/pdf/finish.py checks the joined file).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bilingual_pub.errors import BuildError

CHAPTER_PAGE = "/BilingualPubChapterPage"  # the form's name in a frame page's resources


@dataclass(frozen=True)
class Underlay:
    pdf: Path  # a chapter's pages
    first_page: int  # zero-based index of the frame page its first page goes under


@dataclass(frozen=True)
class JoinedChapter:
    """What the join put on one chapter's pages (render/pdf/reuse.py replaces it there)."""

    destinations: tuple[str, ...]  # the names of the chapter's named destinations
    frame_links: tuple[int, ...]  # per page, how many of its links are the frame's own


@dataclass(frozen=True)
class JoinReport:
    chapters: list[JoinedChapter]  # one per underlay, in order
    # the frame's destinations a chapter's replaced (the contents' stand-ins): name ->
    # page index and the rest of the destination array, as render/pdf/reuse.py stores it
    shadowed: dict[str, list[Any]]


@dataclass
class OutlineEntry:
    title: str
    page: int  # zero-based, in the joined PDF
    left: float | None
    top: float | None
    children: list[OutlineEntry] = field(default_factory=list)


class _TrailerSizeNotice(logging.Filter):
    """pypdf's notice, on cloning a PDF/X frame WeasyPrint wrote, that it made more objects
    than the frame's trailer counts: the joined file gets its own cross-reference table, so
    the notice says nothing a user could act on (it would reach the terminal bare)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "exceeds defined trailer size" not in record.getMessage()


def _cloned(frame_reader: Any) -> Any:
    from pypdf import PdfWriter

    pypdf_writer_log = logging.getLogger("pypdf._writer")
    notice = _TrailerSizeNotice()
    pypdf_writer_log.addFilter(notice)
    try:
        return PdfWriter(clone_from=frame_reader)
    finally:
        pypdf_writer_log.removeFilter(notice)


def join_under_frame(frame: Path, underlays: list[Underlay], target: Path) -> JoinReport:
    from pypdf import PdfReader

    frame_reader = PdfReader(frame)
    writer = _cloned(frame_reader)
    # the frame's PDF version is the one its standard (PDF/X, PDF/A) declares
    writer.pdf_header = frame_reader.pdf_header
    covered: set[int] = set()
    frame_destinations = _named_destinations(frame_reader, writer, first_page=0)
    destinations = dict(frame_destinations)
    outlines: list[list[OutlineEntry]] = []
    joined: list[JoinedChapter] = []
    for underlay in underlays:
        reader = PdfReader(underlay.pdf)
        links = []
        for index, page in enumerate(reader.pages):
            frame_index = underlay.first_page + index
            links.append(_draw_under(writer, writer.pages[frame_index], page))
            covered.add(frame_index)
        own = _named_destinations(reader, writer, underlay.first_page)
        destinations.update(own)
        joined.append(JoinedChapter(tuple(sorted(own)), tuple(links)))
        outlines.append(_outline(reader, reader.outline, underlay.first_page))
    # the frame's own bookmarks stand for the front matter and for chapters laid out
    # in this process; a chapter laid out elsewhere brings its own (with its headings)
    frame_outline = [
        entry
        for entry in _outline(frame_reader, frame_reader.outline, 0)
        if entry.page not in covered
    ]
    entries = sorted(frame_outline + [e for part in outlines for e in part], key=lambda e: e.page)
    _replace_destinations(writer, destinations)
    _replace_outline(writer, entries)
    with open(target, "wb") as output:
        writer.write(output)
    names = {name for chapter in joined for name in chapter.destinations}
    pages = _page_numbers(writer.pages)
    shadowed = {
        name: portable_destination(frame_destinations[name], pages)
        for name in sorted(names & frame_destinations.keys())
    }
    return JoinReport(joined, shadowed)


def _page_numbers(pages: Any) -> dict[int, int]:
    """Each page's index, by its object number."""
    return {page.indirect_reference.idnum: number for number, page in enumerate(pages)}


def portable_destination(array: Any, pages: dict[int, int]) -> list[Any]:
    """A destination array as JSON can hold it: the page's index, then names as
    ``/Name`` strings, numbers, and None for null."""
    from pypdf.generic import FloatObject, NameObject, NumberObject

    portable: list[Any] = [pages[array[0].idnum]]
    for value in list(array)[1:]:
        if isinstance(value, NameObject):
            portable.append(str(value))
        elif isinstance(value, NumberObject):
            portable.append(int(value))
        elif isinstance(value, FloatObject):
            portable.append(float(value))
        else:
            portable.append(None)
    return portable


def chapter_destinations(reader: Any) -> dict[str, list[Any]]:
    """A chapter PDF's named destinations, each a ``portable_destination``."""
    pages = _page_numbers(reader.pages)
    found = {}
    for name, destination in reader.named_destinations.items():
        if reader.get_destination_page_number(destination) < 0:
            continue
        found[str(name)] = portable_destination(destination.dest_array, pages)
    return found


def _draw_under(writer: Any, frame_page: Any, chapter_page: Any) -> int:
    """Draw ``chapter_page`` under ``frame_page``; returns how many links the frame page had."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    if [float(v) for v in frame_page.mediabox] != [float(v) for v in chapter_page.mediabox]:
        raise BuildError("a chapter's page size differs from its frame's: cannot join them")
    form = _page_as_form(writer, chapter_page)
    resources = DictionaryObject(frame_page.get("/Resources", DictionaryObject()).get_object())
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    xobjects[NameObject(CHAPTER_PAGE)] = form.indirect_reference
    resources[NameObject("/XObject")] = xobjects
    frame_page[NameObject("/Resources")] = resources
    stream = _single_stream(frame_page)
    stream.set_data(f"q {CHAPTER_PAGE} Do Q\n".encode() + stream.get_data())
    annotations = chapter_page.get("/Annots")
    frame_links = len(frame_page.get("/Annots", ArrayObject()).get_object())
    if annotations:
        joined = ArrayObject(frame_page.get("/Annots", ArrayObject()).get_object())
        for annotation in annotations.get_object():
            clone = annotation.get_object().clone(writer, ignore_fields=("/P",))
            joined.append(clone.indirect_reference)
        frame_page[NameObject("/Annots")] = joined
    return frame_links


def _page_as_form(writer: Any, page: Any) -> Any:
    """A copy of ``page``'s content stream in ``writer``, turned into a form XObject."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    form = _single_stream(page).clone(writer)
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in page.mediabox)
    # the resources dictionary is shared by a chapter's pages: cloned once, then reused
    resources = page["/Resources"].get_object().clone(writer)
    form[NameObject("/Resources")] = resources.indirect_reference
    return form


def _single_stream(page: Any) -> Any:
    from pypdf.generic import StreamObject

    contents = page["/Contents"].get_object()
    if not isinstance(contents, StreamObject):
        # WeasyPrint writes one content stream per page; anything else is not ours
        raise BuildError("unexpected page contents in a chapter PDF: cannot join it")
    return contents


def _page_refs(writer: Any) -> list[Any]:
    return [page.indirect_reference for page in writer.pages]


def _named_destinations(reader: Any, writer: Any, first_page: int) -> dict[str, Any]:
    from pypdf.generic import ArrayObject

    refs = _page_refs(writer)
    found = {}
    for name, destination in reader.named_destinations.items():
        page = reader.get_destination_page_number(destination)
        if page < 0:
            continue
        array = ArrayObject(destination.dest_array)
        array[0] = refs[first_page + page]
        found[str(name)] = array
    return found


def _replace_destinations(writer: Any, destinations: dict[str, Any]) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    names = ArrayObject()
    for name in sorted(destinations):  # a name tree's keys are sorted
        names.append(TextStringObject(name))
        names.append(destinations[name])
    root = writer.root_object
    tree = DictionaryObject(root.get("/Names", DictionaryObject()).get_object())
    tree[NameObject("/Dests")] = DictionaryObject({NameObject("/Names"): names})
    root[NameObject("/Names")] = tree


def _outline(reader: Any, items: list[Any], first_page: int) -> list[OutlineEntry]:
    """pypdf's outline (a list where a nested list holds the children of the item
    before it) as entries with page numbers in the joined PDF."""
    entries: list[OutlineEntry] = []
    for item in items:
        if isinstance(item, list):
            if entries:
                entries[-1].children.extend(_outline(reader, item, first_page))
            continue
        page = reader.get_destination_page_number(item)
        entries.append(
            OutlineEntry(
                title=str(item.title),
                page=first_page + page,
                left=_number(item.get("/Left")),
                top=_number(item.get("/Top")),
            )
        )
    return entries


def _number(value: Any) -> float | None:
    """A destination's coordinate; None where it has none (``null``: keep the viewer's)."""
    from pypdf.generic import is_null_or_none

    return None if is_null_or_none(value) else float(value)


def _replace_outline(writer: Any, entries: list[OutlineEntry]) -> None:
    from pypdf.generic import NameObject

    root = writer.root_object
    if "/Outlines" in root:
        del root[NameObject("/Outlines")]
    for entry in entries:
        _add_outline_entry(writer, entry, parent=None)


def _add_outline_entry(writer: Any, entry: OutlineEntry, parent: Any) -> None:
    from pypdf.generic import Fit

    reference = writer.add_outline_item(
        title=entry.title,
        page_number=entry.page,
        parent=parent,
        fit=Fit.xyz(left=entry.left, top=entry.top),
    )
    for child in entry.children:
        _add_outline_entry(writer, child, parent=reference)

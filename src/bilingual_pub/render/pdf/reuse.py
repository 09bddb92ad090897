"""The previous build's edition, kept and patched: a rebuild that changed no page count
replaces only the changed chapters' pages in it.

A joined edition (render/pdf/workers.py) is its frame (front matter, blank pages, every
chapter's running heads and page numbers, laid out by WeasyPrint) with each chapter's
pages drawn under it (render/pdf/join.py).  The frame depends on the front matter's and
each chapter's furniture HTML, that is on the chapters' page counts and titles, never on
their text; its key (render/pdf/cache.py, ``EditionKeys.frame``) hashes all of it but
the build time.  So when a build's frame key is the previous build's, the previous
edition differs from this build's only in the pages of the chapters whose keys changed
(their forms, links, named destinations and bookmarks) and in the build time of its
metadata: those are replaced in a copy of it (pikepdf), and nothing is laid out again
but the changed chapters.  A changed chapter whose running heads would differ from the
frame's (which the join would lay out again in place) is not patched in: the frame is.

The previous edition is kept in the chapter cache's folder as ``edition.pdf`` (as joined,
before render/pdf/finish.py) and ``edition.json``, its record, written last and holding
the PDF's SHA-256: a build killed between the two leaves a record that does not match,
which is not used (the frame is laid out again).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bilingual_pub.files import write_atomic
from bilingual_pub.render.pdf.furniture import Furniture, furniture_from_json, furniture_to_json
from bilingual_pub.render.pdf.join import CHAPTER_PAGE, OutlineEntry, chapter_destinations
from bilingual_pub.render.pdf.join import _outline as read_outline

log = logging.getLogger(__name__)

RECORD_FORMAT = 2
EDITION = "edition"  # the files' stem in the chapter cache's folder


@dataclass(frozen=True)
class JoinedPages:
    """One chapter's pages in a joined edition."""

    key: str  # its chapter cache key
    first_page: int  # zero-based
    pages: int
    furniture: Furniture
    destinations: tuple[str, ...]
    frame_links: tuple[int, ...]  # per page, how many of its links are the frame's


@dataclass(frozen=True)
class EditionRecord:
    frame: str  # the frame's key
    shared: str  # what every chapter's layout reads (``EditionKeys.shared``), hashed
    front_pages: int
    chapters: tuple[JoinedPages, ...]
    shadowed: dict[str, list[Any]]  # the frame's destinations the chapters replaced


@dataclass(frozen=True)
class ChangedChapter:
    """A chapter laid out again, to go where ``old``'s pages were."""

    old: JoinedPages
    key: str
    pdf: Path
    pages: int
    furniture: Furniture


def store_edition(folder: Path, pdf: Path, record: EditionRecord) -> None:
    """Keep a joined edition (before finishing) and its record, the record last."""
    data = pdf.read_bytes()
    write_atomic(folder / f"{EDITION}.pdf", data)
    entry = {
        "format": RECORD_FORMAT,
        "sha256": hashlib.sha256(data).hexdigest(),
        "frame": record.frame,
        "shared": record.shared,
        "front_pages": record.front_pages,
        "shadowed": record.shadowed,
        "chapters": [
            {
                "key": chapter.key,
                "first_page": chapter.first_page,
                "pages": chapter.pages,
                "furniture": furniture_to_json(chapter.furniture),
                "destinations": list(chapter.destinations),
                "frame_links": list(chapter.frame_links),
            }
            for chapter in record.chapters
        ],
    }
    write_atomic(folder / f"{EDITION}.json", json.dumps(entry, sort_keys=True).encode())


def load_edition(folder: Path, work: Path) -> tuple[Path, EditionRecord] | None:
    """The previous edition, copied into ``work`` once checked against its record, or None
    when there is none or it does not match its record."""
    record_path = folder / f"{EDITION}.json"
    if not record_path.is_file():
        return None
    try:
        entry = json.loads(record_path.read_text(encoding="utf-8"))
        data = (folder / f"{EDITION}.pdf").read_bytes()
        if entry["format"] != RECORD_FORMAT:
            raise ValueError("an earlier format")
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise ValueError("its PDF does not match its checksum")
        record = EditionRecord(
            str(entry["frame"]),
            str(entry["shared"]),
            int(entry["front_pages"]),
            tuple(_joined_pages(chapter) for chapter in entry["chapters"]),
            dict(entry["shadowed"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as problem:
        log.info("chapter cache: the previous edition is not used (%s)", problem)
        return None
    copy = work / f"previous-{EDITION}.pdf"
    copy.write_bytes(data)
    return copy, record


def _joined_pages(chapter: dict[str, Any]) -> JoinedPages:
    return JoinedPages(
        str(chapter["key"]),
        int(chapter["first_page"]),
        int(chapter["pages"]),
        furniture_from_json(chapter["furniture"]),
        tuple(str(name) for name in chapter["destinations"]),
        tuple(int(count) for count in chapter["frame_links"]),
    )


def can_patch(record: EditionRecord, changed: list[ChangedChapter]) -> bool:
    """Whether the changed chapters fit where their old pages were, with the running heads
    the frame has there (else the frame is laid out again)."""
    return all(
        change.pages == change.old.pages and change.furniture == change.old.furniture
        for change in changed
    )


def patch_edition(
    previous: Path,
    record: EditionRecord,
    changed: list[ChangedChapter],
    metadata: Path,
    target: Path,
) -> EditionRecord | None:
    """Write to ``target`` the edition ``previous`` with the ``changed`` chapters' pages
    in place of their old ones, and ``metadata``'s document information and XMP
    metadata (this build's time); returns the new edition's record.  None, and nothing
    written, when a changed chapter's named destinations would collide with another's."""
    import pikepdf
    from pypdf import PdfReader

    readers = {change.key: PdfReader(change.pdf) for change in changed}
    own = {key: chapter_destinations(reader) for key, reader in readers.items()}
    names = {key: tuple(sorted(found)) for key, found in own.items()}
    if not _disjoint(record, changed, names):
        return None
    with pikepdf.open(previous) as pdf:
        destinations = _destinations(pdf)
        outline = _Outline(pdf)
        for change in changed:
            with pikepdf.open(change.pdf) as chapter:
                _replace_pages(pdf, chapter, change.old)
            for name in change.old.destinations:
                destinations.pop(name, None)
                if name in record.shadowed:
                    destinations[name] = _array(pdf, record.shadowed[name], 0)
            for name, portable in own[change.key].items():
                destinations[name] = _array(pdf, portable, change.old.first_page)
            reader = readers[change.key]
            outline.replace(change.old, read_outline(reader, reader.outline, change.old.first_page))
        _write_destinations(pdf, destinations)
        outline.write()
        _take_metadata(pdf, metadata)
        pdf.save(target)
    return _patched_record(record, changed, names)


def _disjoint(
    record: EditionRecord, changed: list[ChangedChapter], names: dict[str, tuple[str, ...]]
) -> bool:
    """Whether no two chapters of the patched edition share a destination's name (the join
    lets the later one win, which a patch does not reproduce)."""
    olds = {change.old for change in changed}
    seen: set[str] = set()
    lists = [chapter.destinations for chapter in record.chapters if chapter not in olds]
    for chapter_names in [*lists, *names.values()]:
        if seen & set(chapter_names):
            return False
        seen |= set(chapter_names)
    return True


def _patched_record(
    record: EditionRecord, changed: list[ChangedChapter], names: dict[str, tuple[str, ...]]
) -> EditionRecord:
    by_old = {change.old: change for change in changed}
    chapters = []
    for chapter in record.chapters:
        change = by_old.get(chapter)
        if change is None:
            chapters.append(chapter)
            continue
        chapters.append(
            replace(
                chapter,
                key=change.key,
                furniture=change.furniture,
                destinations=names[change.key],
            )
        )
    return replace(record, chapters=tuple(chapters))


def _replace_pages(pdf: Any, chapter: Any, old: JoinedPages) -> None:
    """Draw ``chapter``'s pages under the frame's pages where ``old``'s were, with its links
    after the frame's own."""
    import pikepdf

    from bilingual_pub.errors import BuildError

    for index, page in enumerate(chapter.pages):
        frame_page: Any = pdf.pages[old.first_page + index].obj
        if [float(v) for v in frame_page.MediaBox] != [float(v) for v in page.obj.MediaBox]:
            raise BuildError("a chapter's page size differs from its frame's: cannot join them")
        contents = page.obj.Contents
        if not isinstance(contents, pikepdf.Stream):
            raise BuildError("unexpected page contents in a chapter PDF: cannot join it")
        form = pdf.copy_foreign(contents)
        form.Type = pikepdf.Name.XObject
        form.Subtype = pikepdf.Name.Form
        form.BBox = pikepdf.Array([float(v) for v in page.obj.MediaBox])
        resources = page.obj.Resources
        if not resources.is_indirect:
            resources = chapter.make_indirect(resources)
        form.Resources = pdf.copy_foreign(resources)
        frame_resources: Any = pikepdf.Dictionary(frame_page.Resources)
        xobjects = pikepdf.Dictionary(frame_resources.XObject)
        xobjects[CHAPTER_PAGE] = form
        frame_resources.XObject = xobjects
        frame_page.Resources = frame_resources
        links = list(frame_page.get("/Annots", pikepdf.Array()))[: old.frame_links[index]]
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            if "/P" in annotation:
                del annotation["/P"]
            links.append(pdf.copy_foreign(annotation))
        if links:
            frame_page.Annots = pikepdf.Array(links)
        elif "/Annots" in frame_page:
            del frame_page["/Annots"]


def _array(pdf: Any, portable: list[Any], first_page: int) -> Any:
    """A destination array from its ``portable_destination`` form, its page in ``pdf``."""
    import pikepdf

    values: list[Any] = [pdf.pages[first_page + int(portable[0])].obj]
    for value in portable[1:]:
        values.append(pikepdf.Name(value) if isinstance(value, str) else value)
    return pikepdf.Array(values)


def _destinations(pdf: Any) -> dict[str, Any]:
    """The joined edition's named destinations (render/pdf/join.py writes one flat list)."""
    names = pdf.Root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
    return {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}


def _write_destinations(pdf: Any, destinations: dict[str, Any]) -> None:
    import pikepdf

    flat: list[Any] = []
    for name in sorted(destinations):  # a name tree's keys are sorted
        flat += [pikepdf.String(name), destinations[name]]
    tree = pikepdf.Dictionary(pdf.Root.get("/Names", pikepdf.Dictionary()))
    tree.Dests = pikepdf.Dictionary(Names=pikepdf.Array(flat))
    pdf.Root.Names = tree


def _take_metadata(pdf: Any, source: Path) -> None:
    """The document information and XMP metadata of ``source``, a document of this build
    with the same head as the frame's: the same metadata, this build's time in it."""
    import pikepdf

    with pikepdf.open(source) as other:
        info = pikepdf.Dictionary()
        for key, value in other.docinfo.items():
            info[key] = value
        pdf.docinfo = pdf.make_indirect(info)
        if "/Metadata" in other.Root:
            pdf.Root.Metadata = pdf.copy_foreign(other.Root.Metadata)


class _Outline:
    """The joined edition's bookmarks, top level, with a chapter's replaced by new ones laid
    out as render/pdf/join.py lays them out."""

    def __init__(self, pdf: Any):
        self.pdf = pdf
        self.numbers = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        self.items: list[Any] = []
        item = pdf.Root.get("/Outlines", {}).get("/First")
        while item is not None:
            self.items.append(item)
            item = item.get("/Next")

    def _page(self, item: Any) -> int:
        destination = item.A.D if "/A" in item else item.Dest
        return self.numbers.get(destination[0].objgen, -1)

    def replace(self, old: JoinedPages, entries: list[OutlineEntry]) -> None:
        end = old.first_page + old.pages
        before = [item for item in self.items if self._page(item) < old.first_page]
        after = [item for item in self.items if self._page(item) >= end]
        self.items = before + [self._item(entry) for entry in entries] + after

    def _item(self, entry: OutlineEntry) -> Any:
        import pikepdf

        page = self.pdf.pages[entry.page].obj
        target = pikepdf.Array([page, pikepdf.Name.XYZ, entry.left, entry.top, None])
        item = self.pdf.make_indirect(
            pikepdf.Dictionary(
                Title=pikepdf.String(entry.title),
                A=pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=target),
            )
        )
        _link(item, [self._item(child) for child in entry.children])
        return item

    def write(self) -> None:
        import pikepdf

        if not self.items:
            if "/Outlines" in self.pdf.Root:
                del self.pdf.Root["/Outlines"]
            return
        if "/Outlines" not in self.pdf.Root:
            self.pdf.Root.Outlines = self.pdf.make_indirect(pikepdf.Dictionary())
        _link(self.pdf.Root.Outlines, self.items)


def _link(parent: Any, children: list[Any]) -> None:
    """Chain ``children`` under ``parent`` as pypdf does: each item's /Count is how many
    items are under it, all open."""
    for key in ("/First", "/Last"):
        if key in parent:
            del parent[key]
    parent.Count = sum(1 + int(child.Count) for child in children)
    if not children:
        return
    parent.First, parent.Last = children[0], children[-1]
    for index, child in enumerate(children):
        child.Parent = parent
        for key in ("/Prev", "/Next"):
            if key in child:
                del child[key]
        if index > 0:
            child.Prev = children[index - 1]
        if index < len(children) - 1:
            child.Next = children[index + 1]

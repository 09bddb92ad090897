"""A PDF edition's chapters laid out apart: taken from the chapter cache
(render/pdf/cache.py), or laid out (here, or by a worker: render/pdf/workers.py) and
kept there; and the previous build's edition, patched when it can be
(render/pdf/reuse.py).

A chapter is laid out as its own document and written without its page furniture
(running heads, page numbers), numbered from a stand-in first page: what its margin
boxes said is reported beside its PDF, for the join to check.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from bilingual_pub.render.pdf.cache import CachedChapter, ChapterCache, EditionKeys
from bilingual_pub.render.pdf.furniture import Furniture, furniture_of, strip_furniture
from bilingual_pub.render.pdf.join import JoinReport, Underlay
from bilingual_pub.render.pdf.layout import EditionLayout
from bilingual_pub.render.pdf.reuse import (
    EDITION,
    ChangedChapter,
    EditionRecord,
    JoinedPages,
    can_patch,
    load_edition,
    patch_edition,
    store_edition,
)
from bilingual_pub.render.pdf.spacing import RaggedHint, row_digests

log = logging.getLogger(__name__)

# Chapters always open on right-hand (odd) pages; a worker numbers every chapter
# from this stand-in, since the real first page is not known yet.
STAND_IN_FIRST_PAGE = 1


@dataclass(frozen=True)
class ChapterBody:
    """What a worker reports about one chapter it laid out and wrote."""

    index: int
    pdf: Path  # the chapter's pages without running heads and page numbers
    pages: int
    furniture: Furniture  # what its margin boxes said, page by page
    keep: frozenset[str]
    push: frozenset[str]
    ragged: frozenset[str] = frozenset()
    rows: dict[str, str] = field(default_factory=dict)  # each row's digest, by id


def lay_out_body(
    layout: EditionLayout, index: int, folder: Path, hint: RaggedHint | None = None
) -> ChapterBody:
    """Lay out chapter ``index`` and write its pages without furniture."""
    view = layout.views[index]
    chapter = layout.chapter(view, STAND_IN_FIRST_PAGE, hint=hint)
    rendered = chapter.document
    furniture = furniture_of(rendered)
    strip_furniture(rendered)
    path = folder / f"body-{index:04d}.pdf"
    layout.write(rendered, path)
    return ChapterBody(
        index,
        path,
        len(rendered.pages),
        furniture,
        chapter.keep,
        chapter.push,
        chapter.ragged,
        row_digests(view),
    )


class ChapterBodies:
    """The chapters the chapter cache holds for this edition, keeping the others, and the
    previous build's edition (render/pdf/reuse.py)."""

    def __init__(self, layout: EditionLayout, cache_dir: Path | None, work: Path):
        self.layout = layout
        self.work = work
        self.cache = ChapterCache(cache_dir, layout.edition) if cache_dir else None
        self.keys: list[str] = []
        self.cached: dict[int, ChapterBody] = {}
        self.previous: tuple[Path, EditionRecord] | None = None
        if self.cache is not None:
            self.edition_keys = EditionKeys(layout)
            self.keys = [self.edition_keys.of(view, STAND_IN_FIRST_PAGE) for view in layout.views]
            for index, key in enumerate(self.keys):
                if (entry := self.cache.get(key, work)) is not None:
                    self.cached[index] = ChapterBody(
                        index,
                        entry.pdf,
                        entry.pages,
                        entry.furniture,
                        entry.keep,
                        entry.push,
                        entry.ragged,
                        entry.rows,
                    )
            self.previous = load_edition(self.cache.folder, work)
        self.missing = [index for index in range(len(layout.views)) if index not in self.cached]
        log.info(
            "%s: %d chapters from the chapter cache, %d to lay out",
            layout.edition.name,
            len(self.cached),
            len(self.missing),
        )

    def in_order(self, futures: dict[int, Future[ChapterBody]]) -> Iterator[ChapterBody]:
        """Every chapter, in book order, as each one is ready."""
        for index in range(len(self.layout.views)):
            body = self.cached.get(index)
            if body is None:
                laid_out = futures[index].result() if futures else None
                body = laid_out or lay_out_body(self.layout, index, self.work, self._hint(index))
                self.keep(body)
            yield body

    def _hint(self, index: int) -> RaggedHint | None:
        """What the previous build's layout of chapter ``index`` set ragged-right, when
        it read the same stylesheet, fonts and templates (the columns' widths)."""
        if self.cache is None or self.previous is None:
            return None
        record = self.previous[1]
        if record.shared != self.edition_keys.shared.hexdigest() or index >= len(record.chapters):
            return None
        chapters = record.chapters
        entry = self.cache.get(chapters[index].key, self.work)
        return RaggedHint(entry.ragged, entry.rows) if entry is not None else None

    def keep(self, body: ChapterBody) -> None:
        if self.cache is not None:
            entry = CachedChapter(
                body.pdf,
                body.pages,
                body.furniture,
                body.keep,
                body.push,
                body.ragged,
                body.rows,
            )
            self.cache.put(self.keys[body.index], entry)

    def patch(self, bodies: list[ChapterBody], target: Path) -> bool:
        """Write ``target`` as the previous edition with the changed chapters' pages, when no
        page count, running head or page number changed; False when it cannot be."""
        assert self.previous is not None
        previous, record = self.previous
        pages = [body.pages for body in bodies]
        if len(record.chapters) != len(bodies) or (
            self.edition_keys.frame(record.front_pages, pages) != record.frame
        ):
            log.info(
                "%s: page counts, running heads or the front matter changed: laying out "
                "the whole frame",
                self.layout.edition.name,
            )
            return False
        changed = [
            ChangedChapter(old, self.keys[body.index], body.pdf, body.pages, body.furniture)
            for old, body in zip(record.chapters, bodies, strict=True)
            if old.key != self.keys[body.index]
        ]
        if not can_patch(record, changed):
            return False
        metadata = self.work / "metadata.pdf"  # this build's time, in the frame's metadata
        self.layout.write(self.layout.blank(), metadata)
        patched = patch_edition(previous, record, changed, metadata, target)
        if patched is None:
            return False
        assert self.cache is not None
        store_edition(self.cache.folder, target, patched)
        log.info(
            "%s: the previous edition with %d chapter(s) replaced",
            self.layout.edition.name,
            len(changed),
        )
        return True

    def keep_edition(
        self,
        front_pages: int,
        joined: list[tuple[ChapterBody, Underlay]],
        report: JoinReport,
        target: Path,
    ) -> None:
        """Keep the joined edition for the next build to patch, when every chapter is drawn
        under its frame (``joined``) and no two chapters share a destination's name."""
        if self.cache is None:
            return
        names = [name for chapter in report.chapters for name in chapter.destinations]
        if len(joined) != len(self.layout.views) or len(names) != len(set(names)):
            (self.cache.folder / f"{EDITION}.json").unlink(missing_ok=True)
            return
        chapters = tuple(
            JoinedPages(
                self.keys[body.index],
                underlay.first_page,
                body.pages,
                body.furniture,
                part.destinations,
                part.frame_links,
            )
            for (body, underlay), part in zip(joined, report.chapters, strict=True)
        )
        key = self.edition_keys.frame(front_pages, [body.pages for body, _ in joined])
        shared = self.edition_keys.shared.hexdigest()
        record = EditionRecord(key, shared, front_pages, chapters, report.shadowed)
        store_edition(self.cache.folder, target, record)

    def prune(self, languages: tuple[str, str]) -> None:
        if self.cache is not None:
            self.cache.prune({*self.keys, EDITION}, languages)

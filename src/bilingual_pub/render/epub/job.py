"""The state an EPUB's steps share: the edition, and the package's files made so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bilingual_pub.config import BookConfig
from bilingual_pub.config_keys import find_key_line
from bilingual_pub.editions import BuildContext, Edition
from bilingual_pub.model import (
    Document,
    SourceLocation,
)
from bilingual_pub.render.epub.chapters import ChapterFacts, TocEntry
from bilingual_pub.render.epub.images import ImageStore

CONTENT_DIR = "EPUB"

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


def config_location(config: BookConfig, key: str) -> SourceLocation:
    try:
        line = find_key_line(config.config_path.read_text(encoding="utf-8"), key) or 1
    except OSError:
        line = 1
    return SourceLocation("book.toml", line)

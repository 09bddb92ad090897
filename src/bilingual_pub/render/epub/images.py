"""The images of an EPUB edition: each one copied once into the package, under a plain name."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from bilingual_pub.assets import media_type
from bilingual_pub.model import (
    SourceLocation,
)

ImageResolver = Callable[[SourceLocation, str], Path]


# records are NamedTuples, not frozen dataclasses: quicker to create at start-up (epub/job.py)
class PackagedImage(NamedTuple):
    href: str  # relative to the content documents, e.g. "images/alliance-map.svg"
    source: Path
    media_type: str


class ImageStore:
    """Every image an edition uses, copied once, under a unique name without spaces."""

    def __init__(self, resolve: ImageResolver) -> None:
        self._resolve = resolve
        self._by_source: dict[Path, PackagedImage] = {}

    def add(self, location: SourceLocation, src: str) -> str:
        return self.add_file(self._resolve(location, src))

    def add_file(self, source: Path) -> str:
        known = self._by_source.get(source)
        if known is not None:
            return known.href
        href = self._unique_href(source)
        self._by_source[source] = PackagedImage(href, source, media_type(source))
        return href

    def _unique_href(self, source: Path) -> str:
        # file names in a package may not contain spaces (PKG-010); keep them plain ASCII
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", source.stem).strip("-") or "image"
        suffix = source.suffix.lower()
        taken = {image.href for image in self._by_source.values()}
        candidate, counter = f"images/{stem}{suffix}", 1
        while candidate in taken:
            counter += 1
            candidate = f"images/{stem}-{counter}{suffix}"
        return candidate

    @property
    def images(self) -> list[PackagedImage]:
        return sorted(self._by_source.values(), key=lambda image: image.href)

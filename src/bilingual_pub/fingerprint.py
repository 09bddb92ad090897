"""What an edition is made of, as one hash: a no-op rebuild skips the edition.

An edition's fingerprint covers book.toml, every text, the catalogs that edition
reads, the images the texts show, the book's templates and fonts, the build date
(SOURCE_DATE_EPOCH), the format and the edition, and the toolkit's own code and
templates, so an upgrade rebuilds.  The monolingual edition in a language reads
only the catalogs that translate into it, so changing one catalog rebuilds only
the editions that use it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

from bilingual_pub import __version__
from bilingual_pub.editions import Edition
from bilingual_pub.files import write_text_if_changed
from bilingual_pub.model import Figure, ListBlock, Quote, SourceText
from bilingual_pub.project import Project

log = logging.getLogger(__name__)

STATE_NAME = ".bilingual-pub-build.json"
_INLINE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
PACKAGE_DIR = Path(__file__).parent


def _files_under(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.rglob("*") if p.is_file())


def _figure_sources(text: SourceText) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(blocks: Iterable[object]) -> None:
        for block in blocks:
            if isinstance(block, Figure):
                found.append((text.path, block.src))
            elif isinstance(block, ListBlock):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, Quote):
                walk(block.blocks)

    walk(text.blocks)
    return found


def _image_paths(project: Project) -> list[Path]:
    paths: set[Path] = set()
    for text in project.texts():
        text_dir = (project.root / text.path).parent
        sources = _figure_sources(text)
        raw = (project.root / text.path).read_text(encoding="utf-8", errors="replace")
        sources += [(text.path, match) for match in _INLINE_IMAGE.findall(raw)]
        for _, src in sources:
            candidate = (text_dir / src).resolve()
            if candidate.is_file() and candidate.is_relative_to(project.root):
                paths.add(candidate)
    if project.config.cover:
        cover = (project.root / project.config.cover).resolve()
        if cover.is_file():
            paths.add(cover)
    return sorted(paths)


def edition_fingerprint(project: Project, edition: Edition, format_name: str) -> str:
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(label.encode() + b"\0" + hashlib.sha256(data).digest())

    add("version", __version__.encode())
    add("edition", f"{format_name}:{edition.name}:{','.join(edition.languages)}".encode())
    add("date", os.environ.get("SOURCE_DATE_EPOCH", "now").encode())
    add("book.toml", project.config.config_path.read_bytes())
    for text in project.texts():
        add(text.path, (project.root / text.path).read_bytes())
        target = project.target_language(text)
        catalog = project.po_path(text)
        if target in edition.languages and catalog.exists():
            add(project.relative(catalog), catalog.read_bytes())
    for path in _image_paths(project):
        add(project.relative(path), path.read_bytes())
    for path in _files_under(project.root / "templates") + _files_under(project.root / "fonts"):
        add(project.relative(path), path.read_bytes())
    for path in _files_under(PACKAGE_DIR):
        if "__pycache__" not in path.parts:
            add("package:" + path.relative_to(PACKAGE_DIR).as_posix(), path.read_bytes())
    return digest.hexdigest()


class BuildState:
    """The fingerprints of the editions last written into one output folder."""

    def __init__(self, output_dir: Path):
        self.path = output_dir / STATE_NAME
        try:
            self.entries: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self.entries = {}

    def is_current(self, target: Path, fingerprint: str) -> bool:
        return target.is_file() and self.entries.get(target.name) == fingerprint

    def record(self, target: Path, fingerprint: str) -> None:
        self.entries[target.name] = fingerprint
        write_text_if_changed(self.path, json.dumps(self.entries, indent=1, sort_keys=True) + "\n")

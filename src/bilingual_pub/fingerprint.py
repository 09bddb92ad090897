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
from pathlib import Path

from bilingual_pub import __version__
from bilingual_pub.editions import Edition
from bilingual_pub.files import write_text_if_changed
from bilingual_pub.model import text_figures, text_segments
from bilingual_pub.project import Project
from bilingual_pub.render.inline import image_sources

log = logging.getLogger(__name__)

STATE_NAME = ".bilingual-pub-build.json"
PACKAGE_DIR = Path(__file__).parent


def _files_under(directory: Path, *, skip: str = "") -> list[Path]:
    """Every file below ``directory``, in a stable order, leaving out folders named ``skip``.

    os.walk, not Path.rglob: it takes half the time, and the toolkit's own files are
    listed on every build, the no-op one included.
    """
    found = []
    for folder, subfolders, names in os.walk(directory):
        subfolders[:] = [name for name in subfolders if name != skip]
        found += [path for path in (Path(folder, name) for name in names) if path.is_file()]
    return sorted(found)


def image_paths(project: Project) -> list[Path]:
    """The files of the figures and inline images the texts show, the covers' pictures
    and the output intent's ICC profile."""
    paths: set[Path] = set()
    for text in project.texts():
        sources = [figure.src for figure in text_figures(text)]
        sources += [src for segment in text_segments(text) for src in image_sources(segment.text)]
        text_dir = (project.root / text.path).parent
        for src in sources:
            candidate = (text_dir / src).resolve()
            if candidate.is_file() and candidate.is_relative_to(project.root):
                paths.add(candidate)
    for image in (project.config.cover, project.config.print_cover.image):
        if image:
            cover = (project.root / image).resolve()
            if cover.is_file():
                paths.add(cover)
    profile = project.config.pdf.output_intent
    if profile and (project.root / profile).is_file():
        paths.add((project.root / profile).resolve())
    return sorted(paths)


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def toolkit_files() -> list[tuple[str, bytes]]:
    """The toolkit's own code and templates, each as (label, digest): an upgrade rebuilds."""
    return [
        ("package:" + path.relative_to(PACKAGE_DIR).as_posix(), _digest(path.read_bytes()))
        for path in _files_under(PACKAGE_DIR, skip="__pycache__")
    ]


def book_files(root: Path) -> list[Path]:
    """The book's own templates and fonts."""
    return _files_under(root / "templates") + _files_under(root / "fonts")


class Fingerprints:
    """Every input file hashed once; an edition's fingerprint combines the ones it reads."""

    def __init__(self, project: Project):
        self.shared: list[tuple[str, bytes]] = [
            ("version", _digest(__version__.encode())),
            ("date", _digest(os.environ.get("SOURCE_DATE_EPOCH", "now").encode())),
            ("book.toml", _digest(project.config.config_path.read_bytes())),
        ]
        # (language the catalog translates into, label, digest)
        self.catalogs: list[tuple[str, str, bytes]] = []
        for text in project.texts():
            self.shared.append((text.path, _digest((project.root / text.path).read_bytes())))
            catalog = project.po_path(text)
            if catalog.exists():
                label = project.relative(catalog)
                self.catalogs.append(
                    (project.target_language(text), label, _digest(catalog.read_bytes()))
                )
        for path in image_paths(project) + book_files(project.root):
            self.shared.append((project.relative(path), _digest(path.read_bytes())))
        self.shared += toolkit_files()

    def of(self, edition: Edition, format_name: str) -> str:
        """The edition's fingerprint: the shared inputs and the catalogs into its languages."""
        digest = hashlib.sha256()
        edition_label = f"{format_name}:{edition.name}:{','.join(edition.languages)}"
        entries = [("edition", _digest(edition_label.encode())), *self.shared]
        entries += [
            (label, data) for lang, label, data in self.catalogs if lang in edition.languages
        ]
        for label, data in entries:
            digest.update(label.encode() + b"\0" + data)
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

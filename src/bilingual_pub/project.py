"""A book project on disk: its config, its texts, and where their catalogs live."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual_pub.catalogs.messages import PoFile
from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.config import CONFIG_NAME, BookConfig, load_config
from bilingual_pub.config_keys import find_key_line
from bilingual_pub.errors import ConfigError, SourceError
from bilingual_pub.model import SourceText
from bilingual_pub.sources import read_text

if TYPE_CHECKING:
    from bilingual_pub.catalogs.review import TextCatalog

log = logging.getLogger(__name__)

TEXTS_DIR = "texts"
LOCALES_DIR = "locales"


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(second=0, microsecond=0)


def find_book_root(start: Path) -> Path:
    """The nearest folder from ``start`` upward that holds book.toml, as git finds .git."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(f"no {CONFIG_NAME} in {start} or any parent folder")


@dataclass
class Project:
    root: Path
    config: BookConfig
    _texts: list[SourceText] | None = field(default=None, repr=False)
    _fallbacks_told: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def open(cls, root: Path) -> Project:
        root = root.resolve()
        return cls(root=root, config=load_config(root))

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    # -- texts -------------------------------------------------------------

    def text_paths(self) -> list[Path]:
        if self.config.texts is not None:
            paths = []
            config_text = self.config.config_path.read_text(encoding="utf-8")
            for entry in self.config.texts:
                path = (self.root / entry).resolve()
                if not path.is_relative_to(self.root):
                    raise ConfigError(
                        f"book.texts: {entry!r} is outside the project", "book.toml",
                        _entry_line(config_text, "book.texts", entry),
                    )
                if not path.is_file():
                    raise ConfigError(
                        f"book.texts: no such text {entry!r}", "book.toml",
                        _entry_line(config_text, "book.texts", entry),
                    )
                paths.append(path)
            return paths
        directory = self.root / TEXTS_DIR
        paths = sorted(directory.glob("*.md")) if directory.is_dir() else []
        if not paths:
            raise SourceError("no texts: add Markdown files to texts/", TEXTS_DIR)
        return paths

    def texts(self) -> list[SourceText]:
        if self._texts is None:
            self._texts = [
                read_text(
                    path,
                    root=self.root,
                    default_lang=self.config.source_language,
                    languages=self.config.languages,
                    raw_html=self.config.raw_html,
                )
                for path in self.text_paths()
            ]
            stems = [t.stem for t in self._texts]
            for stem in stems:
                if stems.count(stem) > 1:
                    raise SourceError(
                        f"two texts share the name {stem!r}; catalogs need unique names", TEXTS_DIR
                    )
        return self._texts

    def target_language(self, text: SourceText) -> str:
        return self.config.other_language(text.lang)

    # -- catalogs ----------------------------------------------------------

    def pot_path(self, text: SourceText) -> Path:
        return self.root / LOCALES_DIR / f"{text.stem}.pot"

    def po_path(self, text: SourceText, lang: str | None = None) -> Path:
        """The catalog translating ``text`` into ``lang`` (default: its other language).

        A regional language without a catalog of its own for the text (``es-MX``)
        reads its base language's (``locales/es/``), as gettext falls back from
        ``es_MX`` to ``es``; ``update`` then merges into that catalog too.
        """
        target = lang or self.target_language(text)
        own = self._catalog_file(target, text.stem)
        base = base_language(target)
        if base == target or own.exists():
            return own
        shared = self._catalog_file(base, text.stem)
        if not shared.exists():
            return own
        if target not in self._fallbacks_told:  # once per language
            self._fallbacks_told.add(target)
            log.warning(
                "%s: reading %s/ where %s/ has no catalog of a text (gettext's fallback "
                "from %s to %s; a catalog in %s/ takes precedence)",
                target, self.relative(shared.parent), self.relative(own.parent.parent),
                target, base, self.relative(own.parent),
            )
        return shared

    def _catalog_file(self, lang: str, stem: str) -> Path:
        return self.root / LOCALES_DIR / lang / "LC_MESSAGES" / f"{stem}.po"

    def catalog_dirs(self, lang: str) -> list[Path]:
        """Where catalogs into ``lang`` are read from: its own folder, then its base's."""
        codes = dict.fromkeys((lang, base_language(lang)))
        return [self.root / LOCALES_DIR / code / "LC_MESSAGES" for code in codes]

    def orphan_catalogs(self, lang: str) -> list[Path]:
        """Catalogs into ``lang`` whose text is gone: neither in the book nor in texts/.

        A text only left out of ``book.texts`` keeps its catalog for the day it comes back.
        """
        stems = {text.stem for text in self.texts()}
        stems.update(path.stem for path in (self.root / TEXTS_DIR).glob("*.md"))
        return [
            path
            for directory in self.catalog_dirs(lang)
            if directory.is_dir()
            for path in sorted(directory.glob("*.po"))
            if path.stem not in stems
        ]

    def read_catalog(self, text: SourceText) -> PoFile | None:
        path = self.po_path(text)
        if not path.exists():
            return None
        return read_po(path, self.relative(path))

    def text_catalogs(self) -> list[TextCatalog]:
        """Every text with its catalog, read, as the book's stats and checks take them."""
        from bilingual_pub.catalogs.review import TextCatalog  # the checks load only if asked

        return [
            TextCatalog(
                text,
                self.target_language(text),
                self.relative(self.po_path(text)),
                self.read_catalog(text),
            )
            for text in self.texts()
        ]


def base_language(code: str) -> str:
    """The language of a regional code: ``es`` for ``es-MX``, ``es`` for ``es``."""
    return code.split("-", 1)[0]


def _entry_line(config_text: str, key: str, entry: str) -> int | None:
    """The line of one entry of a list in book.toml (a list may span lines), else the key's."""
    start = find_key_line(config_text, key)
    if start is None:
        return None
    lines = config_text.splitlines()
    for number in range(start, len(lines) + 1):
        line = lines[number - 1]
        if f'"{entry}"' in line or f"'{entry}'" in line:
            return number
        if "]" in line.split("#")[0]:
            break
    return start

"""A book project on disk: its config, its texts, and where their catalogs live."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual_pub.catalogs.extract import extract, format_po_date
from bilingual_pub.catalogs.pofile import PoFile, read_po, render_po, set_header_field
from bilingual_pub.collector import collector_paused
from bilingual_pub.config import CONFIG_NAME, BookConfig, find_key_line, load_config
from bilingual_pub.errors import ConfigError, SourceError
from bilingual_pub.files import project_lock, remove_temporaries, write_text_if_changed
from bilingual_pub.model import SourceText
from bilingual_pub.sources import read_text

if TYPE_CHECKING:
    from bilingual_pub.catalogs.merge import MergeReport

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
        target = lang or self.target_language(text)
        return self.root / LOCALES_DIR / target / "LC_MESSAGES" / f"{text.stem}.po"

    def read_catalog(self, text: SourceText) -> PoFile | None:
        path = self.po_path(text)
        if not path.exists():
            return None
        return read_po(path, self.relative(path))

    def new_po_header(self, text: SourceText, created: datetime) -> str:
        target = self.target_language(text)
        stamp = format_po_date(created)
        plural = "nplurals=2; plural=(n != 1);"
        return (
            f"Project-Id-Version: {self.config.slug}\n"
            "Report-Msgid-Bugs-To: \n"
            f"POT-Creation-Date: {stamp}\n"
            f"PO-Revision-Date: {stamp}\n"
            "Last-Translator: \n"
            "Language-Team: \n"
            f"Language: {target.replace('-', '_')}\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\n"
            "Content-Transfer-Encoding: 8bit\n"
            f"Plural-Forms: {plural}\n"
            f"X-Source-Language: {text.lang}\n"
        )


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


@dataclass
class UpdateResult:
    text: str
    language: str
    report: MergeReport
    written: list[str]


# Header fields that only say when a file was made: a change in them alone is no change.
_TEMPLATE_DATES = ("POT-Creation-Date", "PO-Revision-Date")
_CATALOG_DATES = ("POT-Creation-Date",)


def _same_ignoring(old: str, new: str, fields: tuple[str, ...]) -> bool:
    """Whether two catalogs differ at most in the header lines of ``fields``.

    The header entry ends at the first blank line; only it is split into lines.
    """
    if old == new:
        return True
    old_header, _, old_entries = old.partition("\n\n")
    new_header, _, new_entries = new.partition("\n\n")
    if old_entries != new_entries:
        return False
    prefixes = tuple(f'"{name}:' for name in fields)

    def strip(header: str) -> list[str]:
        return [line for line in header.split("\n") if not line.startswith(prefixes)]

    return strip(old_header) == strip(new_header)


def _read_existing(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def _header_value(text: str, name: str) -> str | None:
    found = re.search(rf'^"{re.escape(name)}: (.*?)\\n"$', text, re.MULTILINE)
    return found.group(1) if found else None


def update(
    project: Project, progress: Callable[[str, int, int], None] | None = None
) -> list[UpdateResult]:
    """Extract every text's POT and merge it into the catalog of the other language."""
    results: list[UpdateResult] = []
    created = build_time()
    with project_lock(project.root), collector_paused():
        texts = project.texts()
        # Read every catalog first: a malformed one stops the run before anything is written.
        old_catalogs = {text.stem: project.read_catalog(text) for text in texts}
        for text in texts:  # what a killed update left half-written (never a catalog itself)
            for path in (project.pot_path(text), project.po_path(text)):
                for leftover in remove_temporaries(path):
                    log.info("removed %s, left by an interrupted update", leftover.name)
        for step, text in enumerate(texts, start=1):
            if progress:
                progress(text.stem, step, len(texts))
            results.append(_update_text(project, text, old_catalogs[text.stem], created))
    return results


def _update_text(
    project: Project, text: SourceText, old: PoFile | None, created: datetime
) -> UpdateResult:
    # imported here: the merge needs rapidfuzz, which building an edition never does
    from bilingual_pub.catalogs.merge import merge

    template = extract(text, project=project.config.slug, created=created)
    written = []
    pot_path = project.pot_path(text)
    if _write_template(pot_path, template):
        written.append(project.relative(pot_path))
    target = project.target_language(text)
    merged, report = merge(
        template,
        old,
        header=project.new_po_header(text, created),
        threshold=project.config.catalogs.fuzzy_threshold,
    )
    if old is None:
        language_name = _language_name(target)
        merged.header_comments = [
            f"{language_name} translation of {text.path}.",
            "Kept in step with the text by 'bilingual-pub update'; translate with any PO editor.",
        ]
    po_path = project.po_path(text)
    rendered = render_po(merged)
    current = _read_existing(po_path)
    # a catalog whose only change would be the template's date is left alone (no date churn)
    if not (current is not None and _same_ignoring(current, rendered, _CATALOG_DATES)):
        write_text_if_changed(po_path, rendered)
        written.append(project.relative(po_path))
    log.info("%s -> %s: %s", text.path, target, report)
    return UpdateResult(text=text.stem, language=target, report=report, written=written)


def _write_template(pot_path: Path, template: PoFile) -> bool:
    """Write the POT unless only its dates would change; an unchanged POT keeps its dates.

    The template's header then carries the kept dates, so the catalog merged
    from it does not churn either.
    """
    rendered = render_po(template)
    previous = _read_existing(pot_path)
    if previous is not None and _same_ignoring(previous, rendered, _TEMPLATE_DATES):
        for name in _TEMPLATE_DATES:
            value = _header_value(previous, name)
            if value:
                template.header = set_header_field(template.header, name, value)
        return False
    return write_text_if_changed(pot_path, rendered)


def _language_name(code: str) -> str:
    from babel import Locale

    try:
        return str(Locale.parse(code.replace("-", "_")).get_display_name("en")).capitalize()
    except (ValueError, LookupError):
        return code

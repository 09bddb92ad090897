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
from bilingual_pub.catalogs.orphans import claim_orphans, singular_msgids, text_named_by
from bilingual_pub.catalogs.pofile import PoFile, read_po, render_po, set_header_field
from bilingual_pub.collector import collector_paused
from bilingual_pub.config import CONFIG_NAME, BookConfig, find_key_line, load_config
from bilingual_pub.errors import BookError, ConfigError, SourceError
from bilingual_pub.files import project_lock, remove_temporaries, write_text_if_changed
from bilingual_pub.model import SourceText, text_segments
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


@dataclass
class UpdateResult:
    text: str
    language: str
    report: MergeReport
    written: list[str]
    # the catalog of a renamed text the translations came from (then removed)
    carried_from: str | None = None


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
    """Extract every text's POT and merge it into the catalog of the other language.

    A new text takes over the catalog of a text that is gone when they share most
    segments (a rename); catalogs whose text is gone and that no text takes over
    are reported and left alone.
    """
    results: list[UpdateResult] = []
    created = build_time()
    with project_lock(project.root), collector_paused():
        texts = project.texts()
        # Read every catalog first: a malformed one stops the run before anything is written.
        old_catalogs = {text.stem: project.read_catalog(text) for text in texts}
        renamed = _renamed_from(project, [t for t in texts if old_catalogs[t.stem] is None])
        for text in texts:  # what a killed update left half-written (never a catalog itself)
            for path in (project.pot_path(text), project.po_path(text)):
                for leftover in remove_temporaries(path):
                    log.info("removed %s, left by an interrupted update", leftover.name)
        for step, text in enumerate(texts, start=1):
            if progress:
                progress(text.stem, step, len(texts))
            source = renamed.get(text.stem)
            old = old_catalogs[text.stem] if source is None else source[1]
            result = _update_text(project, text, old, created, source[0] if source else None)
            results.append(result)
        _report_orphans(project)
    return results


def _renamed_from(project: Project, new_texts: list[SourceText]) -> dict[str, tuple[Path, PoFile]]:
    """New text's stem -> the catalog (path, contents) of the text it was renamed from."""
    claims: dict[str, tuple[Path, PoFile]] = {}
    for target in dict.fromkeys(project.target_language(t) for t in new_texts):
        orphans = {
            path: read_po(path, project.relative(path)) for path in project.orphan_catalogs(target)
        }
        if not orphans:
            continue
        segments = {
            text.stem: {s.text for s in text_segments(text) if s.text}
            for text in new_texts
            if project.target_language(text) == target
        }
        msgids = {path: singular_msgids(po) for path, po in orphans.items()}
        for stem, path in claim_orphans(segments, msgids).items():
            claims[stem] = (path, orphans[path])
    return claims


def _report_orphans(project: Project) -> None:
    """A warning for every catalog whose text is gone: kept, never deleted."""
    orphans = [path for lang in project.config.languages for path in project.orphan_catalogs(lang)]
    for path in dict.fromkeys(orphans):
        log.warning(
            "%s: its text %s is gone; the catalog is kept (give the text its old name, "
            "or delete the catalog if the text is not coming back)",
            project.relative(path), text_named_by(path, TEXTS_DIR),
        )


def _update_text(
    project: Project,
    text: SourceText,
    old: PoFile | None,
    created: datetime,
    renamed_from: Path | None = None,
) -> UpdateResult:
    # imported here: the merge needs rapidfuzz, which building an edition never does
    from bilingual_pub.catalogs.glossary import annotate, load_glossary
    from bilingual_pub.catalogs.merge import merge

    template = extract(text, project=project.config.slug, created=created)
    glossary = load_glossary(project.config)  # its terms become extracted comments
    annotate(template, glossary, text.lang, project.target_language(text))
    pot_path = project.pot_path(text)
    old_pot = pot_path if renamed_from is None else pot_path.with_name(f"{renamed_from.stem}.pot")
    written_ids = _written_ids(old_pot, old, template)
    # The catalog is written before its template: the old template then still says what
    # the toolkit wrote when an update is killed in between (see _written_ids).
    template_text = _changed_template(pot_path, template)
    written = []
    target = project.target_language(text)
    merged, report = merge(
        template,
        old,
        header=project.new_po_header(text, created),
        threshold=project.config.catalogs.fuzzy_threshold,
        written=written_ids,
    )
    if old is None:
        language_name = _language_name(target)
        merged.header_comments = [
            f"{language_name} translation of {text.path}.",
            "Kept in step with the text by 'bilingual-pub update'; translate with any PO editor.",
        ]
    po_path = project.po_path(text)
    if renamed_from is not None:
        po_path = renamed_from.with_name(f"{text.stem}.po")
        old_text = text_named_by(renamed_from, TEXTS_DIR)
        merged.header_comments = [c.replace(old_text, text.path) for c in merged.header_comments]
    rendered = render_po(merged)
    current = _read_existing(po_path)
    # a catalog whose only change would be the template's date is left alone (no date churn)
    if not (current is not None and _same_ignoring(current, rendered, _CATALOG_DATES)):
        write_text_if_changed(po_path, rendered)
        written.append(project.relative(po_path))
    if template_text is not None and write_text_if_changed(pot_path, template_text):
        written.append(project.relative(pot_path))
    _report_typed_over(project.relative(renamed_from or po_path), report)
    log.info("%s -> %s: %s", text.path, target, report)
    result = UpdateResult(text=text.stem, language=target, report=report, written=written)
    if renamed_from is not None:
        result.carried_from = _retire(project, renamed_from, old_pot, text)
    return result


def _written_ids(pot_path: Path, old: PoFile | None, template: PoFile) -> set[str] | None:
    """The msgids of the template ``old`` was merged with, when some of them vanished.

    None when that template cannot be read: no msgid is then taken for typed by a person.
    """
    if old is None:
        return None
    if singular_msgids(old) <= singular_msgids(template):
        return set()  # nothing vanished: no need to read the old template
    try:
        previous = read_po(pot_path, str(pot_path))
    except (OSError, BookError):
        return None
    return singular_msgids(previous)


def _report_typed_over(catalog: str, report: MergeReport) -> None:
    for msgid, line in report.typed_over:
        shown = msgid if len(msgid) <= 50 else msgid[:49] + "…"
        log.warning(
            "%s:%s: msgid %r is in no template this text had (a translation typed over the "
            "source text?); kept as an obsolete entry, and the segment is back to translate",
            catalog, line or 1, shown,
        )


def _retire(project: Project, catalog: Path, template: Path, text: SourceText) -> str:
    """Remove a renamed text's old catalog and template, once the new one is written."""
    label = project.relative(catalog)
    catalog.unlink()
    template.unlink(missing_ok=True)
    log.info("%s: translations carried over from %s (removed)", text.path, label)
    return label


def _changed_template(pot_path: Path, template: PoFile) -> str | None:
    """The POT to write, or None when only its dates would change.

    An unchanged POT keeps its dates: the template's header then carries them, so
    the catalog merged from it does not churn either.
    """
    rendered = render_po(template)
    previous = _read_existing(pot_path)
    if previous is not None and _same_ignoring(previous, rendered, _TEMPLATE_DATES):
        for name in _TEMPLATE_DATES:
            value = _header_value(previous, name)
            if value:
                template.header = set_header_field(template.header, name, value)
        return None
    return rendered


def _language_name(code: str) -> str:
    from babel import Locale

    try:
        return str(Locale.parse(code.replace("-", "_")).get_display_name("en")).capitalize()
    except (ValueError, LookupError):
        return code

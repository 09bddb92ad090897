"""What an edition is, and what every writer is given to build one."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual_pub.assets import resolve_image
from bilingual_pub.model import SourceLocation

if TYPE_CHECKING:  # imported where used: a build with nothing to rebuild needs no templates
    import jinja2

PARALLEL = "parallel"
FACING = "facing"  # PDF only: languages[0] on the left-hand pages, languages[1] on the right
PAIRED = (PARALLEL, FACING)  # the editions laid out pair by pair in both languages


@dataclass(frozen=True)
class Edition:
    """``parallel`` shows both languages side by side (``languages[0]`` first), ``facing``
    on facing pages; a language code shows one."""

    name: str
    languages: tuple[str, ...]

    @property
    def parallel(self) -> bool:
        """Both languages, pair by pair (the parallel and the facing editions)."""
        return self.name in PAIRED

    @property
    def facing(self) -> bool:
        return self.name == FACING

    @property
    def main_language(self) -> str:
        return self.languages[0]

    def file_name(self, slug: str, extension: str) -> str:
        return f"{slug}-{self.name}.{extension}"


def editions_for(
    languages: tuple[str, str],
    names: tuple[str, ...] | None = None,
    format_name: str = "pdf",
    wanted: tuple[str, ...] | None = None,
) -> list[Edition]:
    """The editions of ``format_name`` asked for by ``names`` (all of them when empty); of
    a PDF, without ``names``, the book's ``wanted`` ones ([pdf] editions) when it lists some."""
    paired = [PARALLEL, FACING] if format_name == "pdf" else [PARALLEL]
    every = [Edition(name, languages) for name in paired]
    every += [Edition(lang, (lang,)) for lang in languages]
    if not names and format_name == "pdf" and wanted:
        names = wanted
    if not names:
        return every
    return [edition for edition in every if edition.name in names]


@dataclass(frozen=True)
class BuildContext:
    """Everything a writer needs besides the Document."""

    root: Path
    templates: jinja2.Environment
    built_at: datetime
    resolve_image: Callable[[SourceLocation, str], Path]
    jobs: int | None = None  # processes laying out a PDF's chapters; None: as fits the book
    cache_dir: Path | None = None  # what each text's layout produced, kept between builds


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by source), when a cache folder is writable."""
    import jinja2

    try:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        directory = Path(base) / "bilingual-pub" / "templates"
        directory.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError, KeyError):  # no home folder, or a read-only one
        return None
    if not os.access(directory, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(str(directory))


def template_environment(root: Path) -> jinja2.Environment:
    """The book's templates/ first, then the defaults shipped with the toolkit."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    overrides = root / "templates"
    if overrides.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(overrides)))
    loaders.append(jinja2.PackageLoader("bilingual_pub", "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def build_context(root: Path, built_at: datetime) -> BuildContext:
    """The context of a build of the book at ``root``, in this process or a PDF worker."""
    return BuildContext(
        root=root,
        templates=template_environment(root),
        built_at=built_at,
        resolve_image=partial(resolve_image, root),
    )

"""``bilingual-pub init``: a new book project that builds as it is."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from bilingual_pub.config import CONFIG_NAME, parse_config
from bilingual_pub.errors import BookError, ConfigError

_EXAMPLE_TEXT = """\
# A first chapter

Write each paragraph in Markdown. Every paragraph, heading, list item and
footnote becomes one entry in the translation catalog.[^1]

- Run `bilingual-pub update` to create the catalogs in `locales/`.
- Translate them with Poedit, Weblate or any PO editor.
- Run `bilingual-pub build` to make the editions.

[^1]: Footnotes are translated too.
"""


def _slug(directory: Path) -> str:
    """The folder's name made into a slug: "My Book" -> "My-Book"."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", directory.resolve().name).strip("-._")
    return name or "book"


def create_project(
    directory: Path, *, languages: tuple[str, ...], slug: str | None
) -> list[Path]:
    """Write a book.toml and one example text; nothing else is needed before ``update``."""
    if len(languages) != 2:
        raise BookError("--languages takes two codes, e.g. en,es")
    config = directory / CONFIG_NAME
    if config.exists():
        raise BookError("a book project already exists here", config)
    first, second = (code.strip() for code in languages)
    text = _CONFIG_TEMPLATE.format(slug=slug or _slug(directory), first=first, second=second)
    try:
        # the same checks as every later command, before anything is written
        parse_config(directory, tomllib.loads(text), text)
    except ConfigError as error:
        raise BookError(f"init: {error.message}") from None
    (directory / "texts").mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    example = directory / "texts" / "01-first-chapter.md"
    example.write_text(_EXAMPLE_TEXT, encoding="utf-8")
    return [config, example]


_CONFIG_TEMPLATE = """\
[book]
slug = "{slug}"
languages = ["{first}", "{second}"]
source_language = "{first}"
authors = []
translators = []

[book.title]
{first} = "Untitled"
{second} = "Untitled"

[pdf]
page_size = "6in 9in"
"""

"""``bilingual-pub init``: a new book project that builds as it is."""

from __future__ import annotations

from pathlib import Path

from bilingual_pub.config import CONFIG_NAME
from bilingual_pub.errors import BookError

_EXAMPLE_TEXT = """\
# A first chapter

Write each paragraph in Markdown. Every paragraph, heading, list item and
footnote becomes one entry in the translation catalog.[^1]

- Run `bilingual-pub update` to create the catalogs in `locales/`.
- Translate them with Poedit, Weblate or any PO editor.
- Run `bilingual-pub build` to make the editions.

[^1]: Footnotes are translated too.
"""


def create_project(directory: Path, *, languages: tuple[str, ...], slug: str | None) -> list[Path]:
    if len(languages) != 2:
        raise BookError("--languages takes two codes, e.g. en,es")
    config = directory / CONFIG_NAME
    if config.exists():
        raise BookError("a book project already exists here", config)
    slug = slug or directory.resolve().name or "book"
    first, second = languages
    (directory / "texts").mkdir(parents=True, exist_ok=True)
    config.write_text(
        f"""[book]
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
""",
        encoding="utf-8",
    )
    text = directory / "texts" / "01-first-chapter.md"
    text.write_text(_EXAMPLE_TEXT, encoding="utf-8")
    return [config, text]

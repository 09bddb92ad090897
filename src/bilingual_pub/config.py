"""book.toml -> BookConfig.

Unknown keys are errors (a typo must not be silently ignored) and every error
names the key and, where it can be found, the line in book.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bilingual_pub.config_keys import KeyReader
from bilingual_pub.errors import ConfigError

CONFIG_NAME = "book.toml"

_LENGTH = r"\d+(\.\d+)?(in|mm|cm|pt|px)"
_PAGE_SIZE = re.compile(rf"^(a3|a4|a5|b5|letter|legal|{_LENGTH} {_LENGTH})$", re.IGNORECASE)
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

DEFAULT_FUZZY_THRESHOLD = 72

# The levels ``[checks]`` may give a kind of finding: "info" is listed by ``check --all``
# only, "off" is not looked for at all.
CHECK_LEVELS = ("error", "warning", "info", "off")
# Every kind of finding ``check`` reports (tests/test_check_levels.py keeps this in step
# with the registry of catalogs/checks.py): the keys ``[checks]`` accepts.
CHECK_KIND_NAMES = frozenset({
    "missing", "untranslated", "fuzzy", "markup", "link", "formatting", "formatting-added",
    "numbers", "punctuation", "typography", "whitespace", "glossary",
})
GLOSSARY_NAME = "glossary.csv"


@dataclass(frozen=True)
class PdfConfig:
    page_size: str = "6in 9in"
    font: str = "Source Serif Pro"
    font_size: str = "9.5pt"
    margin_inner: str = "0.75in"
    margin_outer: str = "0.5in"
    margin_top: str = "0.6in"
    margin_bottom: str = "0.7in"
    crop_marks: bool = False
    bleed: str = "0in"
    variant: str | None = None  # a PDF standard (PDF_VARIANTS), passed to WeasyPrint
    output_intent: str | None = None  # an ICC profile of the book's, relative to book.toml
    tagged: bool = False  # a tagged PDF (structure and languages) without PDF/UA
    justify: bool = True  # false: ragged-right columns
    facing_sync: str = "pair"  # facing edition: "pair" or "spread"
    editions: tuple[str, ...] | None = None  # the PDF editions a plain build makes

    @property
    def is_tagged(self) -> bool:
        return self.tagged or self.variant == "pdf/ua-1"


# The PDF standards an edition can be written to ([pdf] variant); WeasyPrint writes them.
PDF_VARIANTS = ("pdf/x-4", "pdf/x-3", "pdf/x-1a", "pdf/a-3b", "pdf/ua-1")
X1A = "pdf/x-1a"  # CMYK and grey only, no transparency: render/pdf/inks.py

# Per-page thickness of the paper ([cover] paper), inches: KDP's white and cream figures.
PAPER_THICKNESS = {"white": "0.002252", "cream": "0.0025"}


@dataclass(frozen=True)
class CoverConfig:
    """The wrap-around print cover ([cover] in book.toml)."""

    paper: str = "white"
    spine_per_page: str | None = None  # inches per page, for a printer's own paper
    image: str | None = None  # the front's picture, bleeding off the edges
    back: dict[str, str] = field(default_factory=dict)  # the blurb, per language
    bleed: str = "0.125in"

    @property
    def inches_per_page(self) -> float:
        return float(self.spine_per_page or PAPER_THICKNESS[self.paper])


@dataclass(frozen=True)
class EpubConfig:
    embed_font: bool = True
    isbn: str | None = None


@dataclass(frozen=True)
class CatalogConfig:
    fuzzy_threshold: int = DEFAULT_FUZZY_THRESHOLD


@dataclass(frozen=True)
class Typography:
    """``[typography]``: how quotes, dashes and spaces are set when an edition is built."""

    smart: bool = True
    quotes: tuple[tuple[str, str], ...] = ()  # (language, quote set), as book.toml gives them
    nbsp_single_letter: bool = False

    def quotes_for(self, lang: str) -> str | None:
        return dict(self.quotes).get(lang)


@dataclass(frozen=True)
class BookConfig:
    root: Path
    slug: str
    languages: tuple[str, str]
    source_language: str
    titles: dict[str, str]
    subtitles: dict[str, str] = field(default_factory=dict)
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    texts: tuple[str, ...] | None = None
    publisher: str = ""
    year: str = ""
    rights: str = ""
    description: dict[str, str] = field(default_factory=dict)
    cover: str | None = None
    raw_html: bool = False
    pdf: PdfConfig = field(default_factory=PdfConfig)
    epub: EpubConfig = field(default_factory=EpubConfig)
    catalogs: CatalogConfig = field(default_factory=CatalogConfig)
    # kind of finding -> level, for the kinds ``[checks]`` names; the others keep their own
    checks: dict[str, str] = field(default_factory=dict)
    glossary: str | None = None  # [book] glossary; None: glossary.csv when there is one
    typography: Typography = field(default_factory=Typography)
    print_cover: CoverConfig = field(default_factory=CoverConfig)

    def other_language(self, lang: str) -> str:
        first, second = self.languages
        return second if lang == first else first

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME


# key -> expected type, per table.  "title"/"subtitle"/"description" are per-language tables.
_BOOK_KEYS: dict[str, type | tuple[type, ...]] = {
    "slug": str,
    "languages": list,
    "source_language": str,
    "authors": list,
    "translators": list,
    "texts": list,
    "title": dict,
    "subtitle": dict,
    "description": dict,
    "publisher": str,
    "year": (str, int),
    "rights": str,
    "cover": str,
    "raw_html": bool,
    "glossary": str,
}
_PDF_KEYS: dict[str, type | tuple[type, ...]] = {
    "page_size": str,
    "font": str,
    "font_size": str,
    "margin_inner": str,
    "margin_outer": str,
    "margin_top": str,
    "margin_bottom": str,
    "crop_marks": bool,
    "bleed": str,
    "variant": str,
    "output_intent": str,
    "tagged": bool,
    "justify": bool,
    "facing_sync": str,
    "editions": list,
}
_COVER_KEYS: dict[str, type | tuple[type, ...]] = {
    "paper": str,
    "spine_per_page": str,
    "image": str,
    "back": dict,
    "bleed": str,
}
FACING_SYNC_MODES = ("pair", "spread")
_EPUB_KEYS: dict[str, type | tuple[type, ...]] = {"embed_font": bool, "isbn": str}
_CATALOG_KEYS: dict[str, type | tuple[type, ...]] = {"fuzzy_threshold": int}
_TYPOGRAPHY_KEYS: dict[str, type | tuple[type, ...]] = {
    "smart": bool,
    "quotes": dict,
    "nbsp_single_letter": bool,
}
_CHECKS_KEYS: dict[str, type | tuple[type, ...]] = dict.fromkeys(sorted(CHECK_KIND_NAMES), str)
_TABLES = {
    "book": _BOOK_KEYS,
    "pdf": _PDF_KEYS,
    "epub": _EPUB_KEYS,
    "catalogs": _CATALOG_KEYS,
    "typography": _TYPOGRAPHY_KEYS,
    "cover": _COVER_KEYS,
    "checks": _CHECKS_KEYS,
}
# a quote set: opening and closing quote of each level, 2 levels (then they alternate) or 3
QUOTE_SET_LENGTHS = (4, 6)


def _pdf_editions(reader: KeyReader, value: Any, languages: tuple[str, str]) -> tuple[str, ...]:
    names = reader.string_list("pdf.editions", value)
    known = ("parallel", "facing", *languages)
    for name in names:
        if name not in known:
            raise reader.fail(
                "pdf.editions", f"unknown edition {name!r} (known: {', '.join(known)})"
            )
    if not names:
        raise reader.fail("pdf.editions", "list at least one edition")
    return names


def load_config(root: Path) -> BookConfig:
    """Read and validate ``root/book.toml``."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8-sig")  # Windows editors may add a BOM
    except FileNotFoundError:
        raise ConfigError(
            "no book.toml here (run 'bilingual-pub init DIR' or pass -C DIR)", path
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read: {error}", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_from_message(str(error))
        raise ConfigError(
            f"invalid TOML: {_strip_position(str(error))}", CONFIG_NAME, line
        ) from None
    return parse_config(root, data, text)


def _line_from_message(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def _strip_position(message: str) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message)


def parse_config(root: Path, data: dict[str, Any], text: str = "") -> BookConfig:
    reader = KeyReader(root / CONFIG_NAME, text)
    _check_tables(reader, data)
    book = data["book"]
    slug = _book_slug(reader, book)
    languages = _book_languages(reader, book)

    source_language = book.get("source_language", languages[0])
    if source_language not in languages:
        raise reader.fail("book.source_language", f"{source_language!r} is not in languages")

    titles = _book_titles(reader, book, languages)
    texts = book.get("texts")
    pdf = _pdf_config(reader, data.get("pdf", {}), languages)
    catalogs = _catalogs_config(reader, data.get("catalogs", {}))
    return BookConfig(
        root=root,
        slug=slug,
        languages=languages,
        source_language=source_language,
        titles=titles,
        subtitles=reader.per_language("book.subtitle", book.get("subtitle", {}), languages),
        description=reader.per_language("book.description", book.get("description", {}), languages),
        authors=reader.string_list("book.authors", book.get("authors", [])),
        translators=reader.string_list("book.translators", book.get("translators", [])),
        texts=reader.string_list("book.texts", texts) if texts is not None else None,
        publisher=book.get("publisher", ""),
        year=str(book.get("year", "")),
        rights=book.get("rights", ""),
        cover=book.get("cover"),
        raw_html=book.get("raw_html", False),
        pdf=pdf,
        epub=EpubConfig(**data.get("epub", {})),
        catalogs=catalogs,
        checks=_check_levels(reader, data.get("checks", {})),
        glossary=book.get("glossary"),
        typography=_typography(reader, data.get("typography", {}), languages),
        print_cover=_cover_config(reader, data.get("cover", {}), languages),
    )


def _check_tables(reader: KeyReader, data: dict[str, Any]) -> None:
    """Only known tables, [book] among them, each with only its known keys."""
    for name in data:
        if name not in _TABLES:
            raise reader.fail(name, f"unknown table (known: {', '.join(sorted(_TABLES))})")
    if "book" not in data:
        raise reader.fail("book", "missing [book] table")
    for name, allowed in _TABLES.items():
        if name in data:
            reader.check_table(name, data[name], allowed)


def _book_slug(reader: KeyReader, book: dict[str, Any]) -> str:
    slug = book.get("slug")
    if not slug:
        raise reader.fail("book.slug", "missing (it names the edition files)")
    if not _SLUG.match(slug):
        raise reader.fail("book.slug", "use letters, digits, '.', '_' and '-' only")
    return str(slug)


def _book_languages(reader: KeyReader, book: dict[str, Any]) -> tuple[str, str]:
    raw_languages = book.get("languages")
    if raw_languages is None:
        raise reader.fail("book.languages", 'missing (e.g. languages = ["en", "es"])')
    codes = reader.string_list("book.languages", raw_languages)
    if len(codes) != 2 or codes[0] == codes[1]:
        raise reader.fail("book.languages", "give exactly two different languages")
    return (
        reader.language("book.languages", codes[0]),
        reader.language("book.languages", codes[1]),
    )


def _book_titles(
    reader: KeyReader, book: dict[str, Any], languages: tuple[str, str]
) -> dict[str, str]:
    titles = reader.per_language("book.title", book.get("title", {}), languages)
    for lang in languages:
        if not titles.get(lang, "").strip():
            raise reader.fail(
                "book.title", f'missing title for language {lang!r} ([book.title] {lang} = "...")'
            )
    return titles


def _catalogs_config(reader: KeyReader, table: dict[str, Any]) -> CatalogConfig:
    catalogs = CatalogConfig(**table)
    if not 0 < catalogs.fuzzy_threshold <= 100:
        raise reader.fail("catalogs.fuzzy_threshold", "must be between 1 and 100")
    return catalogs


def _check_levels(reader: KeyReader, table: dict[str, str]) -> dict[str, str]:
    for kind, level in table.items():
        if level not in CHECK_LEVELS:
            raise reader.fail(f"checks.{kind}", f"{level!r}: use {', '.join(CHECK_LEVELS)}")
    return dict(table)


def _pdf_config(
    reader: KeyReader, table: dict[str, Any], languages: tuple[str, str]
) -> PdfConfig:
    table = dict(table)
    if "editions" in table:
        table["editions"] = _pdf_editions(reader, table["editions"], languages)
    config = PdfConfig(**table)
    if config.facing_sync not in FACING_SYNC_MODES:
        raise reader.fail(
            "pdf.facing_sync", f'{config.facing_sync!r}: use "pair" or "spread"'
        )
    if not _PAGE_SIZE.match(config.page_size.strip()):
        raise reader.fail(
            "pdf.page_size", f'{config.page_size!r}: use e.g. "6in 9in", "A5", "letter" or "A4"'
        )
    for key in (
        "font_size",
        "margin_inner",
        "margin_outer",
        "margin_top",
        "margin_bottom",
        "bleed",
    ):
        value = getattr(config, key)
        if not re.match(rf"^{_LENGTH}$|^0$", value.strip()):
            raise reader.fail(f"pdf.{key}", f'{value!r} is not a length like "0.5in" or "12mm"')
    if config.variant is not None and config.variant not in PDF_VARIANTS:
        known = ", ".join(f'"{name}"' for name in PDF_VARIANTS)
        raise reader.fail("pdf.variant", f"{config.variant!r} is not one of {known}")
    if config.output_intent is not None:
        _check_profile(reader, config.output_intent, config.variant)
    return config


def _check_profile(reader: KeyReader, name: str, variant: str | None) -> None:
    """An output intent must be an ICC profile of the book's, of RGB or CMYK colour; a
    PDF/X-1a file is printed in CMYK and grey alone, so its profile must be CMYK."""
    path = (reader.path.parent / name).resolve()
    if not path.is_relative_to(reader.path.parent.resolve()):
        raise reader.fail("pdf.output_intent", f"{name!r} is outside the book's folder")
    try:
        with open(path, "rb") as profile:
            header = profile.read(40)
    except OSError:
        raise reader.fail("pdf.output_intent", f"{name!r}: no such file") from None
    if header[36:40] != b"acsp" or header[16:20] not in (b"RGB ", b"CMYK"):
        raise reader.fail("pdf.output_intent", f"{name!r} is not an RGB or CMYK ICC profile")
    if variant == X1A and header[16:20] != b"CMYK":
        raise reader.fail(
            "pdf.output_intent", f"{name!r} is an RGB profile; PDF/X-1a needs a CMYK one"
        )


def _cover_config(
    reader: KeyReader, table: dict[str, Any], languages: tuple[str, str]
) -> CoverConfig:
    back = reader.per_language("cover.back", table.get("back", {}), languages)
    config = CoverConfig(**{**table, "back": back})
    if config.paper not in PAPER_THICKNESS:
        known = ", ".join(f'"{name}"' for name in PAPER_THICKNESS)
        raise reader.fail("cover.paper", f"{config.paper!r} is not one of {known}")
    if config.spine_per_page is not None and not re.match(
        r"^0?\.\d+$", config.spine_per_page.strip()
    ):
        raise reader.fail(
            "cover.spine_per_page",
            f'{config.spine_per_page!r}: give the inches per page, like "0.0025"',
        )
    if not re.match(rf"^{_LENGTH}$|^0$", config.bleed.strip()):
        raise reader.fail("cover.bleed", f'{config.bleed!r} is not a length like "0.125in"')
    return config


def _typography(reader: KeyReader, table: dict[str, Any], languages: tuple[str, str]) -> Typography:
    quotes = reader.per_language("typography.quotes", table.get("quotes", {}), languages)
    for lang, quote_set in quotes.items():
        if len(quote_set) not in QUOTE_SET_LENGTHS or any(
            char in "\"'" or char.isspace() or char.isalnum() for char in quote_set
        ):
            raise reader.fail(
                f"typography.quotes.{lang}",
                f"{quote_set!r}: give the opening and closing quote of each level,"
                ' 2 levels or 3 (e.g. "«»“”‘’" or "“”‘’")',
            )
    return Typography(
        smart=table.get("smart", True),
        quotes=tuple(sorted(quotes.items())),
        nbsp_single_letter=table.get("nbsp_single_letter", False),
    )

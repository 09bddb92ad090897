"""The front matter of every edition speaks the edition's language (both, in the parallel one).

Two small books are built for real, PDF and EPUB, every edition: one written in
English and translated into Spanish, one written in Spanish (its first column)
and translated into English.  The PDF's front pages are read back as text; the
EPUB's title page and navigation document are parsed, and each label is checked
with the ``lang`` of the element that holds it.
"""

from __future__ import annotations

import string
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from bilingual_pub.build import BuildRequest, build
from bilingual_pub.project import Project
from bilingual_pub.render.labels import (
    FRONT_MATTER,
    LABELS,
    translated_into,
    translation_credit,
)
from tests.bookgen import copy_sample_book
from tests.harness import make_book

X = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

BOOK_TOML = """\
[book]
slug = "front"
languages = {languages}
source_language = "{source}"
authors = ["Ana Autora"]
translators = ["Ben Tester"]
publisher = "Editorial Prueba"
year = 2026
rights = "All rights reserved."

[book.title]
en = "The Test Book"
es = "El libro de prueba"

[pdf]
page_size = "6in 9in"
"""

PAIRS = {"A chapter": "Un capítulo", "A short paragraph.": "Un párrafo corto."}

# What each language's front matter must say, in the book written in English (into
# Spanish) and in the book written in Spanish (into English).
CREDITS = {
    ("en", "en"): "Translated into Spanish by Ben Tester",
    ("en", "es"): "Traducción al español: Ben Tester",
    ("es", "en"): "Translated into English by Ben Tester",
    ("es", "es"): "Traducción al inglés: Ben Tester",
}
TYPESET = {
    "en": "Set in Source Serif Pro. Typeset with bilingual-pub and WeasyPrint.",
    "es": "Compuesto en Source Serif Pro. Maquetado con bilingual-pub y WeasyPrint.",
}
CONTENTS = {"en": "Contents", "es": "Índice"}
TITLE_PAGE = {"en": "Title page", "es": "Portada"}
LANDMARKS = {
    "cover": {"en": "Cover", "es": "Cubierta"},
    "toc": CONTENTS,
    "bodymatter": {"en": "Beginning of the text", "es": "Comienzo del texto"},
}
EDITIONS = {"parallel": None, "en": ("en",), "es": ("es",)}


def edition_languages(edition: str, source: str) -> tuple[str, ...]:
    """The edition's languages in their order: the book's first column leads the parallel one."""
    return EDITIONS[edition] or ((source, "en" if source == "es" else "es"))


@pytest.fixture(scope="module", params=["en", "es"])
def book(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, dict[str, Path]]:
    """(source language, {edition: {"pdf": path, "epub": path}}) of a one-chapter book."""
    source: str = request.param
    languages = '["en", "es"]' if source == "en" else '["es", "en"]'
    pairs = PAIRS if source == "en" else {es: en for en, es in PAIRS.items()}
    first, second = pairs
    root = make_book(
        tmp_path_factory.mktemp(f"front-{source}"),
        {"01-a.md": f"# {first}\n\n{second}\n"},
        toml=BOOK_TOML.format(languages=languages, source=source),
        translations=pairs,
    )
    written = build(Project.open(root), BuildRequest(force=True)).written
    return source, {path.name.removeprefix("front-"): path for path in written}


# --- PDF ---------------------------------------------------------------------------


def front_pages_text(pdf: Path) -> str:
    """The words of the pages before the first chapter, on one line."""
    with pdfplumber.open(pdf) as document:
        pages = [page.extract_text() or "" for page in document.pages]
    # the chapter's paragraph is in no front page (its title is, in the contents)
    first_chapter = next(
        number
        for number, text in enumerate(pages)
        if any(words in text for words in ("A short paragraph.", PAIRS["A short paragraph."]))
    )
    return " ".join(" ".join(pages[:first_chapter]).split())


def line_centres(pdf: Path, page_number: int) -> dict[str, float]:
    """Each line of a page (its words joined) -> the middle of the line, in points."""
    lines: dict[int, list[dict[str, object]]] = {}
    with pdfplumber.open(pdf) as document:
        for word in document.pages[page_number].extract_words():
            lines.setdefault(round(float(word["top"])), []).append(word)
    return {
        " ".join(str(word["text"]) for word in words): (
            float(words[0]["x0"]) + float(words[-1]["x1"])  # type: ignore[arg-type]
        )
        / 2
        for words in lines.values()
    }


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_pdf_front_matter_is_in_the_editions_languages(
    book: tuple[str, dict[str, Path]], edition: str
) -> None:
    source, files = book
    text = front_pages_text(files[f"{edition}.pdf"])
    shown = edition_languages(edition, source)
    for lang in ("en", "es"):
        expected = [CREDITS[source, lang], TYPESET[lang], CONTENTS[lang]]
        for words in expected:
            assert (words in text) == (lang in shown), (edition, lang, words, text)
    # the old wording: a bare "Translated by", names followed by language codes
    for stale in ("Translated by", "Traducción de", "(es)", "(en)", "(en/es)", "(es/en)"):
        assert stale not in text, (edition, stale)
    if edition == "parallel":
        contents = " / ".join(CONTENTS[lang] for lang in shown)
        assert contents in text
        credits = " ".join(CREDITS[source, lang] for lang in shown)
        assert credits in text  # in the edition's column order


def test_pdf_title_page_is_centred(book: tuple[str, dict[str, Path]]) -> None:
    """Title, author, translators and publisher: lines of different lengths, one axis."""
    source, files = book
    centres = line_centres(files["parallel.pdf"], 2)  # half-title, its blank back, title page
    lines = ["The Test Book", "Ana Autora", CREDITS[source, "en"], "Editorial Prueba"]
    assert all(line in centres for line in lines), centres
    axis = centres["Ana Autora"]
    assert all(abs(centres[line] - axis) < 1 for line in lines), centres


# --- EPUB ---------------------------------------------------------------------------


def parsed(epub: Path, name: str) -> ET.Element:
    with zipfile.ZipFile(epub) as archive:
        return ET.fromstring(archive.read(f"EPUB/{name}"))


def tagged(element: ET.Element) -> list[tuple[str | None, str]]:
    """(lang, text) of each child span of ``element`` that is not a separator."""
    return [
        (span.get("lang"), "".join(span.itertext()))
        for span in element.iter(f"{X}span")
        if span.get("class") != "sep"
    ]


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_epub_front_matter_is_in_the_editions_languages(
    book: tuple[str, dict[str, Path]], edition: str
) -> None:
    source, files = book
    epub = files[f"{edition}.epub"]
    shown = edition_languages(edition, source)

    title_page = parsed(epub, "title.xhtml")
    credits = [
        (p.get("lang"), p.get(XML_LANG), p.text)
        for p in title_page.iter(f"{X}p")
        if "translators" in (p.get("class") or "").split()
    ]
    assert credits == [(lang, lang, CREDITS[source, lang]) for lang in shown]
    assert title_page.findtext(f"{X}head/{X}title") == " / ".join(
        TITLE_PAGE[lang] for lang in shown
    )

    nav = parsed(epub, "nav.xhtml")
    heading = nav.find(f".//{X}h1[@id='toc-title']")
    assert heading is not None
    assert tagged(heading) == [(lang, CONTENTS[lang]) for lang in shown]
    assert nav.findtext(f"{X}head/{X}title") == " / ".join(CONTENTS[lang] for lang in shown)
    landmarks = nav.find(f".//{X}nav[@{EPUB_TYPE}='landmarks']")
    assert landmarks is not None
    for link in landmarks.iter(f"{X}a"):
        words = LANDMARKS[link.get(EPUB_TYPE) or ""]
        assert tagged(link) == [(lang, words[lang]) for lang in shown]
    assert landmarks.get("aria-label") == " / ".join(
        {"en": "Landmarks", "es": "Puntos de referencia"}[lang] for lang in shown
    )


def test_a_book_translated_both_ways_says_so(tmp_path: Path) -> None:
    """The sample book is written in English but for one text, written in Spanish."""
    root = copy_sample_book(tmp_path / "sample")
    request = BuildRequest(formats=("epub",), editions=("parallel",), force=True)
    (epub,) = build(Project.open(root), request).written
    credits = [
        (p.get("lang"), p.text)
        for p in parsed(epub, "title.xhtml").iter(f"{X}p")
        if "translators" in (p.get("class") or "").split()
    ]
    assert credits == [
        ("en", "Translated between English and Spanish by The bilingual-pub project"),
        ("es", "Traducción entre el inglés y el español: The bilingual-pub project"),
    ]


# --- the label table -------------------------------------------------------------------

BLANKS = {
    "translated_into": {"language", "names"},
    "translated_between": {"first", "second", "names"},
    "typeset": {"font"},
}


@pytest.mark.parametrize("lang", sorted(LABELS))
def test_every_language_of_the_table_has_every_front_matter_label(lang: str) -> None:
    for key in FRONT_MATTER:
        text = LABELS[lang].get(key)
        assert text, (lang, key)
        blanks = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        assert blanks == BLANKS.get(key, set()), (lang, key, text)


def test_translation_targets_and_credits() -> None:
    assert translated_into(("en", "es"), ["en", "en"]) == ("es",)
    assert translated_into(("es", "en"), ["es"]) == ("en",)
    assert translated_into(("en", "es"), ["en", "es"]) == ("en", "es")
    assert translated_into(("en", "es"), []) == ()
    names = ["Ben Tester", "Ana López"]
    assert translation_credit(names, ("es",), "en") == (
        "Translated into Spanish by Ben Tester, Ana López",
        "en",
    )
    assert translation_credit(names, ("en",), "fr") == (
        "Traduit en anglais par Ben Tester, Ana López",
        "fr",
    )
    # a language the table lacks: the English label, said to be English
    assert translation_credit(names, ("es",), "nl") == (
        "Translated into Spanish by Ben Tester, Ana López",
        "en",
    )
    assert translation_credit(names, (), "es") == ("Traducción de Ben Tester, Ana López", "es")

"""Typography in the built editions, read back: the parallel EPUB (XHTML parsed) and PDF
(characters read with pdfplumber, the monospace face counting as code).

The fixture book (tests/fixtures/typography/book) holds every case: quotes nested three
deep in both languages, apostrophes at word start and end, quotes around emphasis, links
and code, code spans and a code block with straight quotes, Spanish dialogue with rayas,
numbers with units.  The sample book (the repository) is read back the same way.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pyphen
import pytest
from pypdf import PdfReader

from bilingual_pub.build import BuildRequest, build, load_document, make_context
from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.update import update
from bilingual_pub.config import Typography
from bilingual_pub.editions import editions_for
from bilingual_pub.project import Project
from bilingual_pub.render.inline import render_inline
from bilingual_pub.render.pdf_html import chapter_views
from bilingual_pub.typography import WORD_JOINER, typesetter
from tests.bookgen import copy_sample_book

FIXTURE = Path(__file__).parent / "fixtures" / "typography" / "book"
STRAIGHT = "\"'"
URL = re.compile(r"https?://\S+")  # left as typed, like code


def straight_quotes(text: str) -> list[str]:
    """The lines of ``text`` that show a straight quote outside a URL."""
    return [line for line in URL.sub("", text).splitlines() if set(line) & set(STRAIGHT)]


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# the code of the fixture, exactly as typed
CODE = ('say "hi" -- it\'s...', "print(\"it's\")  # 'code' -- stays...")


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _build_parallel(root: Path) -> dict[str, Path]:
    request = BuildRequest(formats=("epub", "pdf"), editions=("parallel",), force=True)
    return {path.suffix: path for path in build(Project.open(root), request).written}


@pytest.fixture(scope="module")
def fixture_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("typography") / "book"
    shutil.copytree(FIXTURE, root)
    return root, _build_parallel(root)


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _build_parallel(copy_sample_book(tmp_path_factory.mktemp("sample") / "book"))


# --- reading the EPUB back -------------------------------------------------------------


def _texts(element: ET.Element, lang: str, code: bool) -> Iterator[tuple[str, bool, str]]:
    """(language, inside code, text) of every text node under ``element``."""
    lang = element.get(XML_LANG) or element.get("lang") or lang
    code = code or element.tag.rsplit("}", 1)[-1] in ("code", "pre")
    if element.text:
        yield lang, code, element.text
    for child in element:
        yield from _texts(child, lang, code)
        if child.tail:
            yield lang, code, child.tail


def epub_texts(path: Path) -> dict[tuple[str, bool], str]:
    """Every text of the EPUB's documents, by (language, inside code)."""
    found: dict[tuple[str, bool], list[str]] = defaultdict(list)
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                # a long URL's break marks (<wbr/>) are no text
                root = ET.fromstring(package.read(name).replace(b"<wbr/>", b""))
                for lang, code, text in _texts(root, "", False):
                    found[lang, code].append(text)
    return {key: "\n".join(texts) for key, texts in found.items()}


def test_epub_prose_has_no_straight_quote_and_code_keeps_its_own(
    fixture_book: tuple[Path, dict[str, Path]],
) -> None:
    texts = epub_texts(fixture_book[1][".epub"])
    prose = {lang: text for (lang, code), text in texts.items() if not code}
    for lang, text in prose.items():
        assert not straight_quotes(text), lang
    assert "«Dijo: “ella me dijo ‘no’ dos veces” y se fue»" in prose["es"]
    assert "“He said ‘she told me “no” twice’ and left,”" in prose["en"]
    assert "UE’s political director, the workers’ union, the ’90s, don’t, ’tis." in prose["en"]
    assert "«alianza estratégica de organización»" in prose["es"].replace("\n", "")
    assert "“strategic organizing alliance”" in prose["en"].replace("\n", "")
    assert (
        "https://example.org/a--b's" in prose["en"] and "https://example.org/a--b's" in prose["es"]
    )
    code = "\n".join(text for (lang, inside), text in texts.items() if inside)
    for typed in CODE:
        assert typed in code


def test_epub_sets_dialogue_dashes_and_spaces(fixture_book: tuple[Path, dict[str, Path]]) -> None:
    spanish = epub_texts(fixture_book[1][".epub"])["es", False]
    assert f"—{WORD_JOINER}¿Vienes? —{WORD_JOINER}preguntó ella{WORD_JOINER}—. " in spanish
    assert "1990–1994, una pausa —\u2060breve\u2060— y luego más…" in spanish
    assert (
        "10\u00a0km en 2\u00a0h, el 3,5\u00a0% de ellos, véase la p.\u00a012 y el n.º\u00a05"
        in spanish
    )


def test_epub_navigation_and_titles_are_typographic(
    fixture_book: tuple[Path, dict[str, Path]],
) -> None:
    with zipfile.ZipFile(fixture_book[1][".epub"]) as package:
        nav = package.read("EPUB/nav.xhtml").decode()
        chapter = package.read("EPUB/t01.xhtml").decode()
    assert "La «alianza» y sus «reglas»" in nav and "The “alliance” and its “rules”" in nav
    assert "<title>The “alliance” and its “rules” / La «alianza» y sus «reglas»</title>" in chapter


# --- reading the PDF back ----------------------------------------------------------------


def _pdf_text(path: Path) -> tuple[str, str]:
    """(prose, code) of the PDF, code being what the monospace face draws."""
    prose: list[str] = []
    code: list[str] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                (code if "Mono" in char["fontname"] else prose).append(char["text"])
    return "".join(prose), "".join(code)


def test_pdf_prose_has_no_straight_quote_and_code_keeps_its_own(
    fixture_book: tuple[Path, dict[str, Path]],
) -> None:
    prose, code = _pdf_text(fixture_book[1][".pdf"])
    assert not straight_quotes(prose)
    assert "«" in prose and "»" in prose and "’" in prose and "“" in prose
    assert "«Dijo:" in prose and "’90s" in prose and "don’t" in prose
    for typed in CODE:
        assert typed in code
    assert code.count('"') == 2 * 2 + 2 and code.count("'") == 2 * 1 + 3


def test_pdf_bookmarks_are_typographic(fixture_book: tuple[Path, dict[str, Path]]) -> None:
    titles = [
        item.title
        for item in PdfReader(fixture_book[1][".pdf"]).outline
        if not isinstance(item, list)
    ]
    assert any("The “alliance” and its “rules”" in title for title in titles), titles
    assert any("La «alianza» y sus «reglas»" in title for title in titles), titles


def _column_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(column, text) of every line of the PDF's body, the columns split at the page middle."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines: dict[tuple[int, int], list[dict[str, float | str]]] = defaultdict(list)
            for char in page.chars:
                column = int(float(char["x0"]) > page.width / 2)
                lines[column, round(float(char["top"]))].append(char)
            for (column, _), chars in sorted(lines.items()):
                chars.sort(key=lambda char: float(char["x0"]))
                yield column, "".join(str(char["text"]) for char in chars).replace(WORD_JOINER, "")


def test_pdf_never_parts_a_raya_from_its_word(fixture_book: tuple[Path, dict[str, Path]]) -> None:
    spanish = [text for column, text in _column_lines(fixture_book[1][".pdf"]) if column == 1]
    dialogue = [line for line in spanish if "—" in line]
    assert len(dialogue) >= 8  # the dialogue runs over many lines: line ends meet rayas
    for line in spanish:
        # a line never ends with a raya opening speech, nor starts with one closing an aside
        assert not line.endswith("—") or line[-2:-1] not in (" ", ""), line
        assert not (line.startswith("—") and line[1:2] in (".", ",", " ", "")), line


DIALOGUE = (
    "—¿Vienes? —preguntó ella—. La reunión empieza a las seis —dijo él—. Allí estaré"
    " —dijo ella— si pasa el autobús. —Pasa —dijo él—, siempre pasa. —Entonces iré"
    " —dijo ella—. Trae los volantes —dijo él—. ¿Todos? —preguntó ella—. Todos"
    " —dijo él—, y la manta."
)


def _parted_rayas(html: str) -> list[str]:
    """Lines of ``html`` set by WeasyPrint in columns of many widths that part a raya from
    its word: one ends with a raya opening speech, or starts with one closing an aside."""
    import weasyprint

    parted = []
    for width in range(60, 180, 6):
        page = (
            '<html lang="es"><body style="font: 10pt \'Source Serif Pro\'">'
            f'<p style="width: {width}pt; text-align: justify; hyphens: auto">{html}</p>'
        )
        pdf = weasyprint.HTML(string=page).write_pdf()
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            text = document.pages[0].extract_text().replace(WORD_JOINER, "")
        for line in text.splitlines():
            if line.endswith(" —") or line == "—" or line[:2] in ("—.", "—,", "— "):
                parted.append(line)
    return parted


def test_a_raya_stays_with_its_word_at_any_line_length() -> None:
    spanish = typesetter(Typography(), "es")
    assert _parted_rayas(render_inline(DIALOGUE, typography=spanish)) == []
    assert _parted_rayas(render_inline(DIALOGUE)) != []  # as typed, lines do break there


# --- the catalogs, the languages ---------------------------------------------------------


def test_a_build_leaves_the_catalogs_as_they_were(tmp_path: Path) -> None:
    root = shutil.copytree(FIXTURE, tmp_path / "book")
    before = _hashes(root / "locales")
    _build_parallel(root)
    assert _hashes(root / "locales") == before
    update(Project.open(root))
    assert _hashes(root / "locales") == before
    ids = {str(message.id) for message in read_po(root / "locales" / "01-cases.pot").messages()}
    assert '"He said \'she told me "no" twice\' and left," the organizer wrote.' in ids
    assert "UE's political director, the workers' union, the '90s, don't, 'tis." in ids


def test_hyphenation_follows_each_language(tmp_path: Path) -> None:
    """Each language's own patterns, and the words of a stand-in carry their own language."""
    for lang, dictionary in (
        ("en", "en"),
        ("en-US", "en_US"),
        ("en-GB", "en_GB"),
        ("es", "es"),
        ("es-MX", "es"),
    ):
        assert pyphen.language_fallback(lang) == dictionary
    root = shutil.copytree(FIXTURE, tmp_path / "book")
    po = root / "locales" / "es" / "LC_MESSAGES" / "01-cases.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "Diálogo"', 'msgstr ""'), encoding="utf-8"
    )
    project = Project.open(root)
    view = chapter_views(
        load_document(project), editions_for(project.config.languages)[0], make_context(project)
    )[0]
    cells = [cell for row in view.rows for cell in row.cells if "Dialogue" in cell.html]
    assert [cell.lang for cell in cells] == ["en", "es"]
    assert '<span lang="en">Dialogue</span>' in cells[1].html


# --- the sample book ----------------------------------------------------------------------


@pytest.mark.slow
def test_the_sample_book_shows_no_straight_quote_outside_code(sample_book: dict[str, Path]) -> None:
    texts = epub_texts(sample_book[".epub"])
    for (lang, code), text in texts.items():
        if not code:
            assert not straight_quotes(text), lang
    assert "UE’s political director" in texts["en", False]
    prose, _ = _pdf_text(sample_book[".pdf"])
    assert not straight_quotes(prose)
    assert "UE’s" in prose

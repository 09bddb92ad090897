"""PDF standards ([pdf] variant, output_intent, tagged), read back from the written files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest

from bilingual_pub.build import BuildRequest, build
from bilingual_pub.errors import ConfigError
from bilingual_pub.project import Project
from bilingual_pub.render.pdf.standards import CMYK_PROFILE
from tests.bookgen import EN_WORDS, ES_WORDS, write_book
from tests.harness import cli

TRIM = (0.0, 0.0, 432.0, 648.0)  # 6 x 9 in


def _with_pdf_settings(root: Path, settings: str) -> Project:
    config = root / "book.toml"
    text = config.read_text(encoding="utf-8").replace("[pdf]\n", f"[pdf]\n{settings}\n")
    config.write_text(text, encoding="utf-8")
    return Project.open(root)


def _book(factory: pytest.TempPathFactory, name: str, settings: str) -> Project:
    project = write_book(factory.mktemp(name), chapters=2, paragraphs=3, features=False)
    return _with_pdf_settings(project.root, settings)


def _build(project: Project, jobs: int, editions: tuple[str, ...] = ("parallel",)) -> Path:
    output = project.root / f"jobs-{jobs}"
    build(project, BuildRequest(formats=("pdf",), editions=editions, output_dir=output, jobs=jobs))
    return output


def _boxes(page: Any) -> dict[str, tuple[float, ...]]:
    return {
        name: tuple(round(float(v), 2) for v in page.obj[name])
        for name in ("/MediaBox", "/BleedBox", "/TrimBox")
        if name in page.obj
    }


def _fonts(pdf: pikepdf.Pdf) -> list[tuple[str, bool]]:
    """Every font the pages (and the forms drawn on them) use, and whether it is embedded."""
    found = []
    seen: set[tuple[int, int]] = set()

    def visit(resources: Any) -> None:
        for font in resources.get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor", {})
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font.get("/BaseFont", "?")), embedded or font.Subtype == "/Type3"))
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                visit(xobject.Resources)

    for page in pdf.pages:
        visit(page.obj.get("/Resources", {}))
    return found


@pytest.fixture(scope="module")
def pdfx4(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return _book(tmp_path_factory, "pdfx4", 'variant = "pdf/x-4"')


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_pdfx4_keeps_what_the_standard_requires(pdfx4: Project, jobs: int) -> None:
    """In one process and joined from workers alike: version, output intent with an RGB
    profile, XMP, file identifier, nested boxes of the trim size, embedded fonts."""
    path = _build(pdfx4, jobs) / "gen-parallel.pdf"
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version >= "1.6"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert intent.DestOutputProfile.N == 3
        assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"
        metadata = pdf.Root.Metadata.read_bytes().decode()
        assert "PDF/X-4" in metadata
        assert "/ID" in pdf.trailer
        assert len(pdf.pages) % 2 == 0
        for page in pdf.pages:
            assert _boxes(page) == {"/MediaBox": TRIM, "/BleedBox": TRIM, "/TrimBox": TRIM}
        fonts = _fonts(pdf)
        assert fonts and all(embedded for _, embedded in fonts), fonts


@pytest.mark.slow
def test_pdfx1a_has_a_cmyk_output_intent_and_bleed(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    project = _book(tmp_path_factory, "pdfx1a", 'variant = "pdf/x-1a"\nbleed = "0.125in"')
    extra = project.root / "templates" / "pdf" / "extra.css"
    extra.parent.mkdir(parents=True)
    extra.write_text("h1 { border-bottom: 0.4pt solid #333; }\n", encoding="utf-8")
    path = _build(project, 2) / "gen-parallel.pdf"
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.4"
        assert pdf.docinfo.GTS_PDFXVersion == "PDF/X-1a:2003"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert intent.DestOutputProfile.N == 4
        assert intent.DestOutputProfile.read_bytes()[16:20] == b"CMYK"
        for page in pdf.pages:
            boxes = _boxes(page)
            assert boxes["/TrimBox"] == TRIM
            assert boxes["/BleedBox"] == (-9.0, -9.0, 441.0, 657.0)  # 0.125 in around it
            assert boxes["/MediaBox"] == boxes["/BleedBox"]
        assert _rgb_operators(pdf) == 0  # text and rules in black ink: no RGB colour


def _rgb_operators(pdf: pikepdf.Pdf) -> int:
    """How many times the pages (and the forms drawn on them) set an RGB colour."""
    count = 0
    seen: set[tuple[int, int]] = set()

    def visit(content: Any, resources: Any) -> None:
        nonlocal count
        for instruction in pikepdf.parse_content_stream(content):
            count += str(instruction.operator) in ("rg", "RG")
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                visit(xobject, xobject.get("/Resources", {}))

    for page in pdf.pages:
        visit(page, page.obj.get("/Resources", {}))
    return count


@pytest.mark.slow
def test_a_books_own_output_intent(tmp_path_factory: pytest.TempPathFactory) -> None:
    project = _book(tmp_path_factory, "own-intent", "")
    (project.root / "profiles").mkdir()
    shutil.copy(CMYK_PROFILE, project.root / "profiles" / "press.icc")
    project = _with_pdf_settings(
        project.root, 'variant = "pdf/x-3"\noutput_intent = "profiles/press.icc"'
    )
    path = _build(project, 1, ("en",)) / "gen-en.pdf"
    with pikepdf.open(path) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.DestOutputProfile.N == 4
        assert pdf.docinfo.GTS_PDFXVersion == "PDF/X-3:2003"


def test_pdf_x1a_refuses_an_rgb_output_intent(tmp_path: Path) -> None:
    """X-1a is printed in CMYK and grey alone: an RGB profile is named as the mistake."""
    import weasyprint

    project = write_book(tmp_path, chapters=1, paragraphs=1, features=False)
    srgb = next(Path(weasyprint.__file__).parent.rglob("sRGB*.icc"))
    shutil.copy(srgb, project.root / "screen.icc")
    with pytest.raises(ConfigError) as caught:
        _with_pdf_settings(project.root, 'variant = "pdf/x-1a"\noutput_intent = "screen.icc"')
    assert "pdf.output_intent: 'screen.icc' is an RGB profile; PDF/X-1a needs a CMYK one" in str(
        caught.value
    )
    assert re.match(r"book\.toml:\d+: ", str(caught.value))


def test_every_edition_has_an_even_page_count(tmp_path: Path) -> None:
    project = write_book(tmp_path, chapters=1, paragraphs=1, features=False)
    output = _build(project, 1, ("parallel", "en", "es"))
    counts = {path.name: len(pikepdf.open(path).pages) for path in output.glob("*.pdf")}
    assert len(counts) == 3
    assert all(count % 2 == 0 for count in counts.values()), counts


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('variant = "pdf/x-9"', "book.toml:12: pdf.variant: 'pdf/x-9' is not one of \"pdf/x-4\""),
        (
            'output_intent = "nowhere.icc"',
            "book.toml:12: pdf.output_intent: 'nowhere.icc': no such",
        ),
        (
            'output_intent = "book.toml"',
            "book.toml:12: pdf.output_intent: 'book.toml' is not an RGB or CMYK ICC",
        ),
        ("tagged = 1", "book.toml:12: pdf.tagged: expected true or false"),
    ],
)
def test_bad_pdf_settings_name_the_line(tmp_path: Path, settings: str, message: str) -> None:
    project = write_book(tmp_path, chapters=1, paragraphs=1, features=False)
    with pytest.raises(ConfigError) as caught:
        _with_pdf_settings(project.root, settings)
    assert message in str(caught.value)


# -- tagged editions: every structure element of one language says which ---------------------

_EN = {word for word in EN_WORDS} | {"Chapter"}
_ES = {word for word in ES_WORDS} | {"Capítulo"}


def _element_texts(path: Path) -> list[tuple[str | None, str]]:
    """Each structure element that holds text directly: its /Lang and its text."""
    texts: dict[tuple[int, int], str] = {}
    with pdfplumber.open(path) as document:
        for index, page in enumerate(document.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    key = (index, char["mcid"])
                    texts[key] = texts.get(key, "") + char["text"]
    found = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}

        def walk(node: Any, lang: str | None) -> None:
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid, lang)
                return
            if not isinstance(node, pikepdf.Dictionary) or "/K" not in node:
                return
            own = str(node.Lang) if "/Lang" in node else None
            kids = node.K if isinstance(node.K, pikepdf.Array) else [node.K]
            page = pages.get(node.Pg.objgen) if "/Pg" in node else None
            text = "".join(texts.get((page, int(k)), "") for k in kids if isinstance(k, int))
            if text.strip():
                found.append((own, text))
            walk(node.K, own or lang)

        walk(pdf.Root.StructTreeRoot.K, None)
    return found


def _language_of(text: str) -> str | None:
    words = set(re.findall(r"\w+", text))
    if words & _ES and not words & _EN:
        return "es"
    if words & _EN and not words & _ES:
        return "en"
    return None


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _book(tmp_path_factory, "tagged", 'variant = "pdf/ua-1"')
    return _build(project, 2, ("parallel", "facing", "en", "es"))


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["parallel", "facing", "en", "es"])
def test_each_language_is_tagged_with_its_own_code(tagged: Path, edition: str) -> None:
    path = tagged / f"gen-{edition}.pdf"
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
    elements = _element_texts(path)
    checked = {"en": 0, "es": 0}
    for lang, text in elements:
        expected = _language_of(text)
        if expected is None:
            continue
        assert lang == expected, (lang, text)
        checked[expected] += 1
    if edition in ("parallel", "facing"):
        assert checked["en"] > 10 and checked["es"] > 10, checked
    else:
        assert checked[edition] > 10 and checked[{"en": "es", "es": "en"}[edition]] == 0


@pytest.mark.slow
def test_tagged_true_without_a_variant(tmp_path_factory: pytest.TempPathFactory) -> None:
    project = _book(tmp_path_factory, "tagged-true", "tagged = true")
    path = _build(project, 1) / "gen-parallel.pdf"
    langs = {lang for lang, text in _element_texts(path) if _language_of(text)}
    assert langs == {"en", "es"}


@pytest.mark.slow
def test_the_fingerprint_covers_the_settings_and_the_profile(tmp_path: Path) -> None:
    """A change of variant, or of the ICC profile's bytes, rebuilds the edition."""
    project = write_book(tmp_path, chapters=1, paragraphs=1, features=False)
    (project.root / "press.icc").write_bytes(CMYK_PROFILE.read_bytes())
    project = _with_pdf_settings(project.root, 'output_intent = "press.icc"')
    request = BuildRequest(formats=("pdf",), editions=("en",))
    assert build(project, request).written
    assert not build(Project.open(project.root), request).written
    profile = bytearray((project.root / "press.icc").read_bytes())
    profile[-1] ^= 1  # the same profile but for one byte of its tables
    (project.root / "press.icc").write_bytes(bytes(profile))
    assert build(Project.open(project.root), request).written
    project = _with_pdf_settings(project.root, 'variant = "pdf/x-3"')
    assert build(project, request).written
    with pikepdf.open(project.root / "build" / "gen-en.pdf") as pdf:
        assert pdf.docinfo.GTS_PDFXVersion == "PDF/X-3:2003"


@pytest.mark.slow
def test_a_pdfx_build_is_reproducible(tmp_path: Path) -> None:
    """WeasyPrint gives a PDF/X file a random XMP DocumentID; two builds of the same book
    (SOURCE_DATE_EPOCH is set for every test) are still the same files, covers included."""
    project = _with_pdf_settings(
        write_book(tmp_path, chapters=1, paragraphs=1, features=False).root,
        'variant = "pdf/x-4"',
    )
    outputs = []
    for run in (1, 2):
        output = tmp_path / f"run-{run}"
        build(project, BuildRequest(formats=("cover",), editions=("en",), output_dir=output))
        outputs.append(output)
    for name in ("gen-en.pdf", "gen-en-cover.pdf"):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name
    with pikepdf.open(outputs[0] / "gen-en.pdf") as pdf:
        assert b"xmp.did:" in pdf.Root.Metadata.read_bytes()


@pytest.mark.slow
def test_pdfa3b_joined_from_workers(tmp_path: Path) -> None:
    project = _with_pdf_settings(
        write_book(tmp_path, chapters=2, paragraphs=2, features=False).root,
        'variant = "pdf/a-3b"',
    )
    path = _build(project, 2, ("en",)) / "gen-en.pdf"
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version >= "1.7"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        metadata = pdf.Root.Metadata.read_bytes()
        assert b'pdfaid:part="3"' in metadata and b'pdfaid:conformance="B"' in metadata
        assert "/ID" in pdf.trailer


@pytest.mark.slow
def test_a_joined_pdfx_build_says_nothing_but_what_it_wrote(tmp_path: Path) -> None:
    """Joining a PDF/X frame with crop marks makes pypdf note that its trailer counts fewer objects than
    the clone holds; nothing a user can act on reaches the terminal."""
    project = write_book(tmp_path / "book", chapters=2, paragraphs=3, features=False)
    _with_pdf_settings(project.root, 'variant = "pdf/x-4"\ncrop_marks = true\nbleed = "3mm"')
    run = cli(project.root, "build", "--format", "pdf", "--edition", "parallel", real=True)
    assert run.returncode == 0, run
    assert [line for line in run.error_lines() if not line.startswith("wrote ")] == [], run

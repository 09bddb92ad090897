"""PDF/X-1a editions in printing inks: every colour and image CMYK or grey, nothing
transparent, converted through the output intent; ``preflight`` finds what is left."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image

from bilingual_pub.build import BuildRequest, build
from bilingual_pub.cli import main
from bilingual_pub.errors import BuildError
from bilingual_pub.project import Project
from bilingual_pub.render.pdf import finish
from bilingual_pub.render.pdf.finish import standard_problems
from bilingual_pub.render.pdf.inks import convert_to_print_inks
from bilingual_pub.render.pdf.standards import CMYK_PROFILE, print_standard
from tests.bookgen import write_book

PHOTO_SIZE = (640, 400)  # the PNG with an alpha channel
JPEG_SIZE = (500, 300)
STYLE = "h1 { color: #ff0000; border-bottom: 2pt solid rgb(0, 90, 200); }\n"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120">'
    '<rect x="10" y="10" width="280" height="100" fill="#ffee00" stroke="#0000ff"/>'
    '<circle cx="80" cy="60" r="20" fill="red"/>'
    '<circle cx="220" cy="60" r="20" fill="rgb(0,128,0)" fill-opacity="0.5"/></svg>'
)


def _png() -> bytes:
    """Opaque red on the left, transparent in the middle, half-transparent blue on the right."""
    image = Image.new("RGBA", PHOTO_SIZE, (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, 200, 400))
    image.paste((0, 0, 255, 128), (440, 0, 640, 400))
    data = io.BytesIO()
    image.save(data, "PNG")
    return data.getvalue()


def _jpeg() -> bytes:
    """Yellow on the left half, blue on the right."""
    image = Image.new("RGB", JPEG_SIZE, (30, 90, 200))
    image.paste((250, 200, 20), (0, 0, 250, 300))
    data = io.BytesIO()
    image.save(data, "JPEG", quality=95)
    return data.getvalue()


def _coloured_book(root: Path, settings: str = 'variant = "pdf/x-1a"') -> Project:
    project = write_book(root, chapters=2, paragraphs=3, features=False)
    files = {
        "images/photo.png": _png(),
        "images/photo.jpg": _jpeg(),
        "images/drawing.svg": SVG.encode(),
        "templates/pdf/extra.css": STYLE.encode(),
    }
    for name, content in files.items():
        (project.root / name).parent.mkdir(parents=True, exist_ok=True)
        (project.root / name).write_bytes(content)
    text = project.root / "texts" / "01-chapter.md"
    images = "\n![](../images/photo.png)\n\n![](../images/photo.jpg)\n\n![](../images/drawing.svg)\n"
    text.write_text(text.read_text(encoding="utf-8") + images, encoding="utf-8")
    config = project.root / "book.toml"
    toml = config.read_text(encoding="utf-8").replace("[pdf]\n", f"[pdf]\n{settings}\n")
    config.write_text(toml, encoding="utf-8")
    return Project.open(project.root)


# -- reading a PDF back, independently of the code under test -----------------------------


def _content_streams(pdf: pikepdf.Pdf) -> list[Any]:
    """Every page, form, tiling pattern and appearance stream of the file."""
    streams: list[Any] = [page for page in pdf.pages]
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and (
            obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1
        ):
            streams.append(obj)
    return streams


def _operators(pdf: pikepdf.Pdf) -> list[tuple[str, list[float]]]:
    found = []
    for stream in _content_streams(pdf):
        for instruction in pikepdf.parse_content_stream(stream):
            operands = [float(v) for v in instruction.operands if isinstance(v, (int, Decimal))]
            found.append((str(instruction.operator), operands))
    return found


def _is_rgb(space: Any) -> bool:
    if isinstance(space, pikepdf.Name):
        return space in ("/DeviceRGB", "/RGB")
    if isinstance(space, pikepdf.Array) and len(space) > 0:
        family = str(space[0])
        if family == "/ICCBased":
            return int(space[1].N) == 3
        if family in ("/Indexed", "/I"):
            return _is_rgb(space[1])
        return family == "/CalRGB"
    return False


def _not_allowed(pdf: pikepdf.Pdf) -> list[str]:
    """What PDF/X-1a does not allow, found anywhere in the file: RGB colour operators,
    RGB or ICC-based colour spaces, soft masks, opacities, transparency groups."""
    found = [op for op, _ in _operators(pdf) if op in ("rg", "RG")]
    profile = pdf.Root.OutputIntents[0].DestOutputProfile.objgen

    def visit(obj: Any, key: str) -> None:
        if isinstance(obj, pikepdf.Stream) and obj.objgen == profile:
            return
        if isinstance(obj, pikepdf.Array):
            if len(obj) and obj[0] == "/ICCBased":
                found.append(f"ICCBased colour space under {key}")
            for item in obj:
                if not (isinstance(item, pikepdf.Object) and item.is_indirect):
                    visit(item, key)
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for name, value in obj.items():
                if name == "/ColorSpace" and _is_rgb(value):
                    found.append(f"RGB colour space under {key}")
                if name == "/SMask" and value != pikepdf.Name.None_:
                    found.append(f"soft mask under {key}")
                if name in ("/ca", "/CA") and float(value) < 1:
                    found.append(f"opacity {name} under {key}")
                if name == "/S" and value == "/Transparency":
                    found.append(f"transparency group under {key}")
                if not (isinstance(value, pikepdf.Object) and value.is_indirect) and name not in (
                    "/Parent",
                    "/P",
                ):
                    visit(value, name)

    for obj in pdf.objects:
        visit(obj, str(obj.objgen) if isinstance(obj, pikepdf.Object) else "?")
    return found


def _images(pdf: pikepdf.Pdf) -> dict[tuple[int, int], Any]:
    return {
        (int(obj.Width), int(obj.Height)): obj
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
    }


def _close(values: list[float], expected: tuple[float, ...], tolerance: float = 0.1) -> bool:
    return len(values) == len(expected) and all(
        abs(v - e) <= tolerance for v, e in zip(values, expected, strict=True)
    )


def _pixel(image: Any, x: int, y: int) -> tuple[int, ...]:
    return tuple(image.getpixel((x, y)))


def _assert_printing_inks(path: Path) -> None:
    with pikepdf.open(path) as pdf:
        assert _not_allowed(pdf) == []
        operators = _operators(pdf)
        # a pure red heading in FOGRA39 inks: magenta and yellow, no cyan, no black
        assert any(op == "k" and _close(v, (0, 1, 1, 0)) for op, v in operators), operators
        # black text in black ink alone, never four-colour black
        assert not any(
            op in ("k", "K") and v[3] > 0.8 and max(v[:3]) > 0.2 for op, v in operators
        )
        assert any(
            (op == "g" and v == [0]) or (op in ("k", "scn") and v == [0, 0, 0, 1])
            for op, v in operators
        )
        images = _images(pdf)
        assert images[PHOTO_SIZE].ColorSpace == "/DeviceCMYK"
        assert images[JPEG_SIZE].ColorSpace == "/DeviceCMYK"
        photo = pikepdf.PdfImage(images[PHOTO_SIZE]).as_pil_image()
        jpeg = pikepdf.PdfImage(images[JPEG_SIZE]).as_pil_image()
    assert photo.mode == jpeg.mode == "CMYK"
    red, clear, blue = (_pixel(photo, x, 200) for x in (100, 320, 540))
    assert _close([v / 255 for v in red], (0, 1, 1, 0), 0.12), red  # not inverted, not black
    assert clear == (0, 0, 0, 0), clear  # transparent: white paper, no ink
    assert blue[0] > 40 and blue[1] > 30 and blue[2] < 30 and blue[3] < 30, blue  # pale blue
    yellow = _pixel(jpeg, 100, 150)
    assert yellow[2] > 200 and yellow[0] < 40 and yellow[3] < 40, yellow


# -- the conversion on a file WeasyPrint writes -------------------------------------------


def _weasyprint_x1a(root: Path, target: Path) -> None:
    """A one-page PDF/X-1a file as WeasyPrint writes it: RGB left in."""
    from weasyprint import CSS, HTML

    for name, content in (("photo.png", _png()), ("photo.jpg", _jpeg())):
        (root / name).write_bytes(content)
    (root / "drawing.svg").write_text(SVG, encoding="utf-8")
    html = (
        "<h1>Red</h1><p>Black text.</p>"
        '<img src="photo.png" style="width: 3in"><img src="photo.jpg" style="width: 3in">'
        '<img src="drawing.svg">'
    )
    profiles: dict[str, Any] = {}
    stylesheet = CSS(
        string=STYLE
        + f'@color-profile device-cmyk {{ src: url("{CMYK_PROFILE.as_uri()}"); components: c, m, y, k; }}',
        color_profiles=profiles,
    )
    HTML(string=html, base_url=root.as_uri() + "/").write_pdf(
        target,
        stylesheets=[stylesheet],
        color_profiles=profiles,
        pdf_variant="pdf/x-1a",
        output_intent="device-cmyk",
    )


def test_a_file_weasyprint_wrote_is_converted_to_printing_inks(tmp_path: Path) -> None:
    target = tmp_path / "x1a.pdf"
    _weasyprint_x1a(tmp_path, target)
    with pikepdf.open(target) as pdf:
        assert _not_allowed(pdf)  # WeasyPrint leaves RGB and transparency in
    convert_to_print_inks(target, CMYK_PROFILE)
    _assert_printing_inks(target)
    with pikepdf.open(target) as pdf:
        assert pdf.docinfo.GTS_PDFXVersion == "PDF/X-1a:2003"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.N == 4
        # the photograph stays a JPEG: Flate would make a book of photos many times larger
        assert _images(pdf)[JPEG_SIZE].Filter == "/DCTDecode"
    _assert_poppler_draws_the_photo_yellow(target, tmp_path)


def _assert_poppler_draws_the_photo_yellow(pdf: Path, folder: Path) -> None:
    """A PDF reader's own drawing of the converted JPEG, whose left half is yellow (a CMYK
    JPEG whose inks were read inverted shows near-black there)."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        (placed,) = [i for i in document.pages[0].images if tuple(i["srcsize"]) == JPEG_SIZE]
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(folder / "drawn")], check=True)
    page = Image.open(sorted(folder.glob("drawn*.png"))[0]).convert("RGB")
    middle = (placed["top"] + placed["bottom"]) / 2
    left_quarter = placed["x0"] + (placed["x1"] - placed["x0"]) / 4
    red, green, blue = page.getpixel((round(left_quarter), round(middle)))
    assert red > 200 and green > 160 and blue < 100, (red, green, blue)


# -- whole books, however the edition was laid out ----------------------------------------


@pytest.fixture(scope="module")
def coloured(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return _coloured_book(tmp_path_factory.mktemp("x1a"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("edition", "jobs", "cache"),
    [("en", 1, False), ("parallel", 2, False), ("facing", 2, False), ("es", 1, True)],
    ids=["one-process", "workers", "facing", "chapter-cache"],
)
def test_every_edition_is_in_printing_inks(
    coloured: Project, edition: str, jobs: int, cache: bool
) -> None:
    output = coloured.root / f"out-{edition}"
    request = BuildRequest(
        formats=("pdf",), editions=(edition,), output_dir=output, jobs=jobs, cache=cache
    )
    build(coloured, request)
    if cache:  # again, every chapter now drawn from the chapter cache
        build(coloured, replace(request, force=True))
    path = output / f"gen-{edition}.pdf"
    _assert_printing_inks(path)
    # what finish.py checks of the standard: output intent, XMP, boxes, no RGB
    assert standard_problems(path, print_standard(coloured.config.pdf, coloured.root)) == []
    with pikepdf.open(path) as pdf:
        assert b"PDF/X-1a" in pdf.Root.Metadata.read_bytes()
        assert all("/TrimBox" in page.obj and "/BleedBox" in page.obj for page in pdf.pages)


@pytest.mark.slow
def test_the_cover_is_in_printing_inks(tmp_path: Path) -> None:
    project = _coloured_book(tmp_path)
    config = project.root / "book.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[cover]\nimage = "images/photo.png"\n',
        encoding="utf-8",
    )
    project = Project.open(project.root)
    build(project, BuildRequest(formats=("cover",), editions=("en",)))
    with pikepdf.open(project.root / "build" / "gen-en-cover.pdf") as pdf:
        assert _not_allowed(pdf) == []
        assert _images(pdf)[PHOTO_SIZE].ColorSpace == "/DeviceCMYK"


@pytest.mark.slow
def test_the_build_stops_when_rgb_is_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """finish.py checks the written file: an X-1a edition with RGB left in is an error."""
    monkeypatch.setattr(finish, "convert_to_print_inks", lambda path, profile: None)
    project = _coloured_book(tmp_path)
    request = BuildRequest(formats=("pdf",), editions=("en",), jobs=1, cache=False)
    with pytest.raises(BuildError, match=r"not pdf/x-1a: page \d+: RGB colour"):
        build(project, request)


@pytest.mark.slow
def test_other_variants_keep_their_colours(tmp_path: Path) -> None:
    project = _coloured_book(tmp_path, 'variant = "pdf/x-4"')
    build(project, BuildRequest(formats=("pdf",), editions=("en",), jobs=1, cache=False))
    with pikepdf.open(project.root / "build" / "gen-en.pdf") as pdf:
        assert any(op == "rg" for op, _ in _operators(pdf))
        assert _images(pdf)[JPEG_SIZE].ColorSpace == "/DeviceRGB"


# -- preflight ----------------------------------------------------------------------------


def _preflight(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), "preflight"])
    return result.exit_code, result.output


@pytest.mark.slow
def test_preflight_finds_rgb_and_transparency_in_an_x1a_file(coloured: Project) -> None:
    """A PDF/X-1a file WeasyPrint wrote, RGB left in: each page's RGB colour and
    transparency is an error, the images named; the converted file has none."""
    build(coloured, BuildRequest(formats=("pdf",), editions=("en",), jobs=1, cache=False))
    code, output = _preflight(coloured.root)
    assert "X-1a" not in output, output
    target = coloured.root / "build" / "gen-en.pdf"
    _weasyprint_x1a(coloured.root / "images", target)
    code, output = _preflight(coloured.root)
    assert code == 1
    lines = [line for line in output.splitlines() if "PDF/X-1a does not allow" in line]
    assert lines and all(line.startswith("build/gen-en.pdf: page 1: error: ") for line in lines)
    said = "\n".join(lines)
    assert "RGB colour (rg)" in said
    assert "image images/photo.jpg is RGB" in said
    assert "image images/photo.png has a soft mask" in said
    assert "opacity 0.5 (ca)" in said


@pytest.mark.slow
def test_preflight_leaves_other_variants_alone(tmp_path: Path) -> None:
    project = write_book(tmp_path, chapters=1, paragraphs=1, features=False)
    build(project, BuildRequest(formats=("pdf",), editions=("en",), jobs=1, cache=False))
    _, output = _preflight(project.root)
    assert "PDF/X-1a" not in output

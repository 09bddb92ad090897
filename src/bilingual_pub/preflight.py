"""``bilingual-pub preflight``: the built PDFs and covers, checked as a printer checks them.

Each problem is one ``Finding`` (file, page, level, message), printed as
``build/<file>.pdf: page N: level: message``.  The files are read back (pikepdf), not
the settings that made them: fonts not embedded, images below 300 ppi at their placed
size (an error below 150), an inside margin below the minimum for the page count, an
odd page count, trim and bleed boxes missing or not nested, text in the bleed, a cover
whose spine does not match its interior's page count, a PDF/X edition without its
output intent, and RGB colour or transparency in a PDF/X-1a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual_pub.config import X1A
from bilingual_pub.editions import Edition, editions_for
from bilingual_pub.project import Project
from bilingual_pub.render.cover import (
    POINTS_PER_INCH,
    cover_name,
    interior_facts,
    parse_length_in,
    spine_width,
)
from bilingual_pub.render.pdf.content import TEXT_SHOWING, apply_matrix, walk
from bilingual_pub.render.pdf.finish import page_box_problems
from bilingual_pub.render.pdf.ink_check import describe_image, x1a_page_problems
from bilingual_pub.render.pdf.standards import PDFX_VARIANTS

GOOD_PPI = 300
LEAST_PPI = 150
# KDP's minimum inside margin (inches) by page count: up to so many pages, so much margin
INSIDE_MARGINS = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))
SPINE_TOLERANCE_IN = 0.01


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the book, e.g. build/alliance-parallel.pdf
    page: int | None  # one-based; None for the whole file
    level: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: page {self.page}" if self.page is not None else self.path
        return f"{where}: {self.level}: {self.message}"


@dataclass(frozen=True)
class Placed:
    """Something drawn on a page: a text's origin or an image's box (points)."""

    kind: str  # "text" or "image"
    left: float
    bottom: float
    right: float
    top: float
    image: Any = None  # the image XObject


def minimum_inside_margin(pages: int) -> float:
    for most, margin in INSIDE_MARGINS:
        if pages <= most:
            return margin
    return INSIDE_MARGINS[-1][1]


def preflight(project: Project, output_dir: Path | None = None) -> list[Finding]:
    """Every finding about the built PDF editions and covers of ``project``."""
    output = output_dir or project.root / "build"
    findings: list[Finding] = []
    found_any = False
    for edition in editions_for(project.config.languages):
        interior = output / edition.file_name(project.config.slug, "pdf")
        cover = output / cover_name(project.config.slug, edition)
        if interior.is_file():
            found_any = True
            findings += check_interior(project, interior)
        if cover.is_file():
            found_any = True
            findings += check_cover(project, cover, interior, edition)
    if not found_any:
        label = _label(project, output)
        findings.append(Finding(label, None, "error", "no PDF edition built: run 'build' first"))
    return findings


def _label(project: Project, path: Path) -> str:
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def check_interior(project: Project, path: Path) -> list[Finding]:
    import pikepdf

    label = _label(project, path)
    images = _image_files(project)
    findings: list[Finding] = []
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
        findings += _file_findings(project, pdf, label)
        findings += _ink_findings(project, pdf, label, images)
        if count % 2:
            findings.append(Finding(label, None, "error", f"odd page count ({count})"))
        least = minimum_inside_margin(count)
        expected = _trim_size(project.config.pdf.page_size)
        for number, page in enumerate(pdf.pages, start=1):
            placed = list(placements(page))
            findings += _page_findings(label, number, page, placed, images)
            findings += _trim_size_findings(label, number, page, expected)
            inside = _inside_margin(page, placed, right_hand=number % 2 == 1)
            if inside is not None and inside < least - 0.005:
                findings.append(
                    Finding(
                        label,
                        number,
                        "error",
                        f"inside margin {inside:.3f} in, below the {least} in "
                        f"a book of {count} pages needs",
                    )
                )
    return findings


def _trim_size(page_size: str) -> tuple[float, float] | None:
    """The trim size book.toml asks (inches), where it gives one as two lengths."""
    parts = page_size.split()
    if len(parts) != 2:
        return None  # a named size ("A5", "letter"): WeasyPrint's own table
    return parse_length_in(parts[0]), parse_length_in(parts[1])


def _trim_size_findings(
    label: str, number: int, page: Any, expected: tuple[float, float] | None
) -> list[Finding]:
    if expected is None or "/TrimBox" not in page.obj:
        return []
    trim = _trim(page)
    width, height = (trim[2] - trim[0]) / POINTS_PER_INCH, (trim[3] - trim[1]) / POINTS_PER_INCH
    if abs(width - expected[0]) > 0.01 or abs(height - expected[1]) > 0.01:
        return [
            Finding(
                label,
                number,
                "error",
                f"trim {width:.3f} × {height:.3f} in, not the page size of book.toml "
                f"({expected[0]:.3f} × {expected[1]:.3f} in)",
            )
        ]
    return []


def _file_findings(project: Project, pdf: Any, label: str) -> list[Finding]:
    variant = project.config.pdf.variant
    if variant in PDFX_VARIANTS and not any(
        intent.get("/S") == "/GTS_PDFX" and "/DestOutputProfile" in intent
        for intent in pdf.Root.get("/OutputIntents", [])
    ):
        return [Finding(label, None, "error", f"no output intent, which {variant} requires")]
    return []


def _ink_findings(
    project: Project, pdf: Any, label: str, images: dict[tuple[int, int], str]
) -> list[Finding]:
    """A file claiming PDF/X-1a (its GTS_PDFXVersion, or the book's variant): each page's
    RGB colour and transparency, which X-1a does not allow."""
    claimed = str(pdf.docinfo.get("/GTS_PDFXVersion", "")).startswith("PDF/X-1")
    if not claimed and project.config.pdf.variant != X1A:
        return []

    def name(image: Any) -> str:
        return images.get((int(image.Width), int(image.Height)), describe_image(image))

    return [
        Finding(label, number, "error", f"{problem}, which PDF/X-1a does not allow")
        for number, page in enumerate(pdf.pages, start=1)
        for problem in x1a_page_problems(page, name)
    ]


def _page_findings(
    label: str, number: int, page: Any, placed: list[Placed], images: dict[tuple[int, int], str]
) -> list[Finding]:
    findings = [Finding(label, number, "error", p) for p in page_box_problems(page)]
    findings += [
        Finding(label, number, "error", f"font {name} is not embedded")
        for name in _unembedded_fonts(page.obj.get("/Resources", {}))
    ]
    trim = _trim(page)
    if any(p.kind == "text" and not _within(p, trim) for p in placed):
        findings.append(Finding(label, number, "error", "text in the bleed, outside the trim"))
    for item in placed:
        if item.kind == "image":
            findings += _resolution(label, number, item, images)
    return findings


def _resolution(
    label: str, number: int, item: Placed, images: dict[tuple[int, int], str]
) -> list[Finding]:
    pixels = (int(item.image.Width), int(item.image.Height))
    width_in = (item.right - item.left) / POINTS_PER_INCH
    if width_in <= 0:
        return []
    ppi = pixels[0] / width_in
    if ppi >= GOOD_PPI:
        return []
    name = images.get(pixels, f"an image of {pixels[0]}×{pixels[1]} pixels")
    level = "error" if ppi < LEAST_PPI else "warning"
    return [
        Finding(label, number, level, f"image {name} is {ppi:.0f} ppi at its placed size")
    ]


def check_cover(project: Project, cover: Path, interior: Path, edition: Edition) -> list[Finding]:
    import pikepdf

    label = _label(project, cover)
    findings: list[Finding] = []
    with pikepdf.open(cover) as pdf:
        findings += _file_findings(project, pdf, label)
        findings += _ink_findings(project, pdf, label, _image_files(project))
        page = pdf.pages[0]
        findings += _page_findings(label, 1, page, list(placements(page)), _image_files(project))
        trim = _trim(page)
        width = (trim[2] - trim[0]) / POINTS_PER_INCH
        height = (trim[3] - trim[1]) / POINTS_PER_INCH
    if not interior.is_file():
        return findings
    pages, trim_width, trim_height = interior_facts(interior)
    if abs(height - trim_height) > SPINE_TOLERANCE_IN:
        findings.append(
            Finding(label, None, "error", f"height {height:.3f} in, not {interior.name}'s")
        )
    expected = 2 * trim_width + spine_width(pages, project.config)
    if abs(width - expected) > SPINE_TOLERANCE_IN:
        spine = width - 2 * trim_width
        findings.append(
            Finding(
                label,
                None,
                "error",
                f"spine {spine:.3f} in does not match {interior.name}: its {pages} pages "
                f"need {spine_width(pages, project.config):.3f} in",
            )
        )
    return findings


def _trim(page: Any) -> tuple[float, float, float, float]:
    box = page.obj.get("/TrimBox", page.obj.MediaBox)
    left, bottom, right, top = (float(v) for v in box)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def _within(item: Placed, trim: tuple[float, float, float, float]) -> bool:
    return trim[0] <= item.left <= trim[2] and trim[1] <= item.bottom <= trim[3]


def _inside_margin(page: Any, placed: list[Placed], *, right_hand: bool) -> float | None:
    """The inside margin of a right-hand page (inches): from the trim's left edge to the
    first text or image.  A text's end is not known without its glyphs' widths, so the
    left-hand pages, whose inside is on the right, are not measured."""
    if not right_hand or not placed:
        return None
    trim = _trim(page)
    return (min(item.left for item in placed) - trim[0]) / POINTS_PER_INCH


def _unembedded_fonts(resources: Any, seen: set[tuple[int, int]] | None = None) -> list[str]:
    seen = set() if seen is None else seen
    missing = []
    for font in resources.get("/Font", {}).values():
        if font.objgen in seen or font.get("/Subtype") == "/Type3":
            continue
        seen.add(font.objgen)
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = descendant.get("/FontDescriptor", {})
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.append(str(font.get("/BaseFont", "?"))[1:])
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            missing += _unembedded_fonts(xobject.Resources, seen)
    return missing


def placements(page: Any) -> Iterator[Placed]:
    """The texts and images drawn on ``page``, forms included, in page coordinates."""
    for step in walk(page, page.obj.get("/Resources", {}), into_forms=True):
        if step.operator in TEXT_SHOWING:
            x, y = step.text_origin
            yield Placed("text", x, y, x, y)
        elif step.operator == "Do":
            xobject = step.xobject()
            if xobject is not None and xobject.get("/Subtype") == "/Image":
                unit = ((0, 0), (1, 0), (0, 1), (1, 1))
                corners = [apply_matrix(step.ctm, x, y) for x, y in unit]
                xs, ys = [c[0] for c in corners], [c[1] for c in corners]
                yield Placed("image", min(xs), min(ys), max(xs), max(ys), xobject)


def _image_files(project: Project) -> dict[tuple[int, int], str]:
    """The book's raster images (those its texts show, and the covers') by pixel size, to
    name an image found in a PDF."""
    from PIL import Image

    from bilingual_pub.fingerprint import image_paths

    found: dict[tuple[int, int], str] = {}
    for path in image_paths(project):
        try:
            with Image.open(path) as image:
                found.setdefault(image.size, project.relative(path))
        except OSError:  # a vector image, or the output intent's profile
            continue
    return found

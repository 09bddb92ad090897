"""The wrap-around print cover of a PDF edition: back, spine and front on one page.

Its size comes from the built interior: the trim size from the interior's TrimBox and
the spine from its page count times the paper's thickness per page ([cover] paper or
spine_per_page), the commonest reason a printer rejects a cover being a spine made
for another page count.  The page is laid out by WeasyPrint from templates/cover/
(a book overrides them like the interior's), with bleed around the trim and the
interior's PDF standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilingual_pub.config import BookConfig
from bilingual_pub.editions import BuildContext, Edition
from bilingual_pub.errors import BuildError
from bilingual_pub.model import Document, SourceLocation

if TYPE_CHECKING:
    from bilingual_pub.render.pdf.standards import PrintStandard

POINTS_PER_INCH = 72.0
SPINE_TEXT_MIN_PAGES = 80  # thinner spines carry no text
SPINE_CLEARANCE_IN = 0.0625  # text keeps this far from each fold
SAFE_MARGIN_IN = 0.25  # text keeps this far inside the trim
BARCODE_ZONE_IN = (2.0, 1.2)  # width, height: kept clear on the back


@dataclass(frozen=True)
class CoverGeometry:
    """Sizes of a cover, in inches."""

    trim_width: float  # one panel (the interior's trim width)
    trim_height: float
    spine: float
    bleed: float
    pages: int

    @property
    def width(self) -> float:
        """The trimmed cover: back, spine and front."""
        return 2 * self.trim_width + self.spine

    @property
    def spine_text(self) -> bool:
        return self.pages >= SPINE_TEXT_MIN_PAGES


def spine_width(pages: int, config: BookConfig) -> float:
    """The spine, in inches: pages × the paper's thickness per page."""
    return pages * config.print_cover.inches_per_page


def parse_length_in(length: str) -> float:
    """A CSS length of book.toml ("0.125in", "3mm", "0") in inches."""
    units = {"in": 1.0, "mm": 1 / 25.4, "cm": 1 / 2.54, "pt": 1 / 72, "px": 1 / 96}
    value = length.strip()
    for unit, factor in units.items():
        if value.endswith(unit):
            return float(value[: -len(unit)]) * factor
    return float(value)


def interior_facts(interior: Path) -> tuple[int, float, float]:
    """The interior's page count and trim width and height (inches), read from the file."""
    import pikepdf

    with pikepdf.open(interior) as pdf:
        page = pdf.pages[0].obj
        left, bottom, right, top = (float(v) for v in page.get("/TrimBox", page.MediaBox))
        return (
            len(pdf.pages),
            abs(right - left) / POINTS_PER_INCH,
            abs(top - bottom) / POINTS_PER_INCH,
        )


def cover_geometry(config: BookConfig, interior: Path) -> CoverGeometry:
    pages, width, height = interior_facts(interior)
    bleed = parse_length_in(config.print_cover.bleed)
    return CoverGeometry(width, height, spine_width(pages, config), bleed, pages)


def cover_name(slug: str, edition: Edition) -> str:
    return f"{slug}-{edition.name}-cover.pdf"


def write_cover(
    document: Document, edition: Edition, target: Path, context: BuildContext, *, interior: Path
) -> None:
    """Lay out the edition's cover, sized to its built ``interior``, and write it."""
    from bilingual_pub.render.pdf.finish import settle_standard, standard_problems
    from bilingual_pub.render.pdf.standards import print_standard

    config = document.config
    if not interior.is_file():
        raise BuildError(f"no interior to size the cover by: build {interior.name} first")
    standard = print_standard(config.pdf, context.root)
    values = _template_values(config, edition, cover_geometry(config, interior), context)
    rendered = _render(values, standard, context)
    if len(rendered.pages) != 1:
        raise BuildError(
            f"the {edition.name} cover's text does not fit on one page "
            "(shorten the back blurb or the titles)"
        )
    rendered.write_pdf(target, **standard.options())
    settle_standard(target, standard)
    problems = standard_problems(target, standard)
    if problems:
        wanted = standard.variant or "tagged"
        raise BuildError(f"the {edition.name} cover is not {wanted}: {'; '.join(problems)}")


def _render(values: dict[str, Any], standard: PrintStandard, context: BuildContext) -> Any:
    """The cover laid out by WeasyPrint from templates/cover/."""
    from markupsafe import Markup
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from bilingual_pub.render.fonts import font_faces_css
    from bilingual_pub.render.pdf.fetcher import make_url_fetcher

    font_css, font_files = font_faces_css(values["pdf"].font, context.root)
    allowed = [context.root, *sorted({path.parent for path in font_files})]
    fetcher = make_url_fetcher(allowed + standard.profile_dirs)
    css = context.templates.get_template("cover/cover.css").render(
        **values, font_faces=Markup(font_css)
    )
    html = context.templates.get_template("cover/cover.html").render(**values)
    base = context.root.as_uri() + "/"
    profiles: dict[str, Any] = {}
    fonts = FontConfiguration()
    stylesheet = CSS(
        string=standard.inks(css) + standard.css(),
        base_url=base,
        url_fetcher=fetcher,
        font_config=fonts,
        color_profiles=profiles,
    )
    return HTML(string=html, base_url=base, url_fetcher=fetcher).render(
        stylesheets=[stylesheet], font_config=fonts, color_profiles=profiles, **standard.options()
    )


def _template_values(
    config: BookConfig, edition: Edition, geometry: CoverGeometry, context: BuildContext
) -> dict[str, Any]:
    languages = [edition.main_language, config.other_language(edition.main_language)]
    image = None
    if config.print_cover.image:
        location = SourceLocation("book.toml", 1)
        image = context.resolve_image(location, config.print_cover.image).as_uri()
    return {
        "config": config,
        "pdf": config.pdf,
        "edition": edition,
        "languages": languages,
        "cover": config.print_cover,
        "geometry": geometry,
        "image": image,
        "spine_clearance": SPINE_CLEARANCE_IN,
        "safe_margin": SAFE_MARGIN_IN,
        "barcode": BARCODE_ZONE_IN,
        "built_at": context.built_at,
    }

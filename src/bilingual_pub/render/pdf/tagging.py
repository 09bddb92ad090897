"""Languages in a tagged PDF: ``/Lang`` on every structure element of one language.

WeasyPrint tags a PDF's structure but gives only the document its language; in a
bilingual book a screen reader would then read the other language with the rules of
the first (PDF/UA-1 and WCAG 3.1.2 ask each passage's language).  This is a step after
layout, on any tagged PDF: where each piece of text lies on its page, and in which
language (``TextArea``, read from WeasyPrint's laid-out boxes and the HTML ``lang``
that holds them, so a cell of the right-hand column is in its language), is matched to
the marked content of the page (the position where each ``MCID`` draws its text), and
every structure element whose content is all in one language gets that ``/Lang``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual_pub.render.pdf.content import TEXT_SHOWING, walk

PX_TO_PT = 0.75  # CSS pixels (WeasyPrint's unit) to PDF points
TOLERANCE = 1.0  # points: a text's origin may sit on its box's edge


@dataclass(frozen=True)
class TextArea:
    """A text box of a page, in PDF points of the page's user space (y upward)."""

    left: float
    bottom: float
    right: float
    top: float
    lang: str

    def holds(self, x: float, y: float) -> bool:
        return (
            self.left - TOLERANCE <= x <= self.right + TOLERANCE
            and self.bottom - TOLERANCE <= y <= self.top + TOLERANCE
        )


def page_text_areas(pages: list[Any], default: str) -> list[list[TextArea]]:
    """Where each text of WeasyPrint's laid-out ``pages`` lies, and its HTML language."""
    found: list[list[TextArea]] = []
    for page in pages:
        areas: list[TextArea] = []
        _collect_text(page._page_box, default, page.height, areas)
        found.append(areas)
    return found


def _collect_text(box: Any, lang: str, page_height: float, areas: list[TextArea]) -> None:
    """The text boxes under ``box``, each with the language of its nearest ``lang``."""
    from weasyprint.formatting_structure import boxes

    element = getattr(box, "element", None)
    if element is not None and element.get("lang"):
        lang = element.get("lang")
    if isinstance(box, boxes.TextBox):
        areas.append(
            TextArea(
                left=box.position_x * PX_TO_PT,
                bottom=(page_height - box.position_y - box.height) * PX_TO_PT,
                right=(box.position_x + box.width) * PX_TO_PT,
                top=(page_height - box.position_y) * PX_TO_PT,
                lang=lang,
            )
        )
    for child in getattr(box, "children", ()):
        _collect_text(child, lang, page_height, areas)


def mark_languages(path: Path, areas: list[list[TextArea]], default: str) -> None:
    """Give every structure element of ``path`` whose text is in one language its ``/Lang``."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return
        if len(areas) != len(pdf.pages):
            raise ValueError("the text areas are not those of this PDF's pages")
        page_index = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        mcid_langs = [
            _mcid_languages(page, areas[index], default) for index, page in enumerate(pdf.pages)
        ]
        _mark(pdf.Root.StructTreeRoot, None, page_index, mcid_langs)
        pdf.save(path)


def _mark(
    node: Any, page: int | None, page_index: dict[tuple[int, int], int], langs: list[dict[int, str]]
) -> set[str]:
    """The languages of ``node``'s content; ``/Lang`` set where there is exactly one."""
    import pikepdf

    if isinstance(node, int):
        return {langs[page][node]} if page is not None and node in langs[page] else set()
    if isinstance(node, pikepdf.Array):
        found: set[str] = set()
        for kid in node:
            found |= _mark(kid, page, page_index, langs)
        return found
    if not isinstance(node, pikepdf.Dictionary):
        return set()
    if "/Pg" in node:
        page = page_index.get(node.Pg.objgen, page)
    if node.get("/Type") == "/MCR":
        return _mark(int(node.MCID), page, page_index, langs)
    if "/K" not in node:
        return set()
    found = _mark(node.K, page, page_index, langs)
    if len(found) == 1 and node.get("/Type") != "/StructTreeRoot":
        node.Lang = pikepdf.String(next(iter(found)))
    return found


def _mcid_languages(page: Any, areas: list[TextArea], default: str) -> dict[int, str]:
    """Each marked-content id of the page's text, and the language of the text it draws."""
    import pikepdf

    langs: dict[int, str] = {}
    mcid: int | None = None
    for step in walk(page, page.obj.get("/Resources", {})):
        operands = step.operands
        if step.operator == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
            mcid = int(operands[1].MCID) if "/MCID" in operands[1] else None
        elif step.operator == "EMC":
            mcid = None
        elif step.operator in TEXT_SHOWING and mcid is not None and mcid not in langs:
            x, y = step.text_origin
            langs[mcid] = next((a.lang for a in areas if a.holds(x, y)), default)
    return langs

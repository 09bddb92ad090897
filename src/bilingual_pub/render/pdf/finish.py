"""The last step of every PDF edition: languages in its tags, and what its standard requires.

Whichever way an edition was laid out (in one process, or in workers whose pages
render/pdf/join.py joined), its file is read back here: a tagged edition gets each
structure element's language (render/pdf/tagging.py), and an edition written to a
PDF standard must still hold what the standard requires (output intent with its
profile, version keys, XMP metadata, trim and bleed boxes on every page), or the
build stops rather than hand a printer a file it will reject.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path
from typing import Any

from bilingual_pub.config import X1A
from bilingual_pub.errors import BuildError
from bilingual_pub.render.pdf.ink_check import x1a_page_problems
from bilingual_pub.render.pdf.inks import convert_to_print_inks
from bilingual_pub.render.pdf.standards import CMYK_PROFILE, PDFX_VARIANTS, PrintStandard
from bilingual_pub.render.pdf.tagging import TextArea, mark_languages

# the lowest PDF version each standard's files declare
_VERSIONS = {"pdf/x-1a": "1.4", "pdf/x-3": "1.4", "pdf/x-4": "1.6", "pdf/a-3b": "1.7"}


def finish_pdf(
    target: Path,
    standard: PrintStandard,
    areas: list[list[TextArea]] | None,
    default_lang: str,
    label: str,
) -> None:
    """Tag the languages of a tagged edition, then check its standard is still met."""
    if standard.tagged and areas is not None:
        mark_languages(target, areas, default_lang)
    settle_standard(target, standard)
    problems = standard_problems(target, standard)
    if problems:
        wanted = standard.variant or "tagged"
        raise BuildError(f"the {label} edition is not {wanted}: {'; '.join(problems)}")


def settle_standard(target: Path, standard: PrintStandard) -> None:
    """What a file written to a standard needs after WeasyPrint (an edition's or a
    cover's): a PDF/X-1a file's colours in printing inks, and a settled document id."""
    if standard.variant == X1A:
        cmyk = standard.profile if standard.cmyk and standard.profile else CMYK_PROFILE
        convert_to_print_inks(target, cmyk)
    if standard.variant is not None:
        settle_document_id(target)


_RANDOM_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def settle_document_id(path: Path) -> None:
    """Replace the random XMP DocumentID WeasyPrint gives a PDF/X or PDF/A file by one
    derived from the file's content, so that two builds of the same book (with
    SOURCE_DATE_EPOCH) are the same file; the file identifier follows from the content."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if "/Metadata" not in pdf.Root:
            return
        xmp = pdf.Root.Metadata.read_bytes()
        if not _RANDOM_ID.search(xmp):
            return
        digest = hashlib.sha256(_RANDOM_ID.sub(b"", xmp))
        for page in pdf.pages:
            digest.update(page.obj.Contents.read_bytes() if "/Contents" in page.obj else b"")
        identifier = digest.digest()[:16]
        settled = f"xmp.did:{uuid.UUID(bytes=identifier, version=4)}".encode()
        pdf.Root.Metadata.write(_RANDOM_ID.sub(settled, xmp))
        # the identifier's first half is the document's, the second this file's
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(identifier), pikepdf.String(identifier)])
        pdf.save(path, deterministic_id=True)


def standard_problems(path: Path, standard: PrintStandard) -> list[str]:
    """What ``path`` lacks of what its standard requires (nothing when none is asked)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        problems = _catalog_problems(pdf, standard)
        if standard.variant in PDFX_VARIANTS:
            problems += [
                f"page {number}: {problem}"
                for number, page in enumerate(pdf.pages, start=1)
                for problem in page_box_problems(page)
            ]
        if standard.variant == X1A:
            problems += [
                f"page {number}: {problem}"
                for number, page in enumerate(pdf.pages, start=1)
                for problem in x1a_page_problems(page)
            ]
    return problems


def _catalog_problems(pdf: Any, standard: PrintStandard) -> list[str]:
    variant = standard.variant
    problems: list[str] = []
    if variant in _VERSIONS and pdf.pdf_version < _VERSIONS[variant]:
        problems.append(f"PDF version {pdf.pdf_version} (wants {_VERSIONS[variant]})")
    if standard.intent is not None:
        subtype = "/GTS_PDFA1" if variant == "pdf/a-3b" else "/GTS_PDFX"
        if not any(
            intent.get("/S") == subtype and "/DestOutputProfile" in intent
            for intent in pdf.Root.get("/OutputIntents", [])
        ):
            problems.append(f"no {subtype[1:]} output intent with its ICC profile")
    if variant is not None and "/Metadata" not in pdf.Root:
        problems.append("no XMP metadata")
    if variant in ("pdf/x-1a", "pdf/x-3") and "/GTS_PDFXVersion" not in pdf.docinfo:
        problems.append("no GTS_PDFXVersion in the document information")
    if variant in _VERSIONS and "/ID" not in pdf.trailer:  # PDF/X and PDF/A ask one
        problems.append("no file identifier")
    if standard.tagged and "/StructTreeRoot" not in pdf.Root:
        problems.append("no structure tree (not tagged)")
    return problems


def page_box_problems(page: Any) -> list[str]:
    """A page without trim and bleed boxes, or with boxes not nested in one another."""
    missing = [name for name in ("/TrimBox", "/BleedBox") if name not in page.obj]
    if missing:
        return [f"no {' or '.join(name[1:] for name in missing)}"]
    media = _box(page.obj.MediaBox)
    bleed = _box(page.obj.BleedBox)
    trim = _box(page.obj.TrimBox)
    if not (_inside(trim, bleed) and _inside(bleed, media)):
        return ["TrimBox, BleedBox and MediaBox are not nested"]
    return []


def _box(array: Any) -> tuple[float, float, float, float]:
    left, bottom, right, top = (float(value) for value in array)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    slack = 0.01
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )

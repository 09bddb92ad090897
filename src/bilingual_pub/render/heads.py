"""Running heads on one line: a title too wide for its margin box is shortened at a word
boundary, with an ellipsis.

WeasyPrint wraps a margin box's text and has no dependable ``text-overflow`` there, so the
head is measured before layout: the advance widths of the face's italic (the running
heads' style in book.css) at the heads' size, from the font file through fontTools.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from bilingual_pub.config import PdfConfig
from bilingual_pub.render.fonts import BUNDLED_FAMILY, bundled_faces, project_faces

HEAD_SIZE = 8.0  # points: the running heads' font size in book.css
ELLIPSIS = "\u2026"
# Advances leave out kerning and the box's own rounding: keep this much of the width free.
SAFETY = 0.94
# A face we cannot read is measured as if each character were this wide (in ems): wide
# enough for a serif italic's widest lower-case text.
FALLBACK_EM = 0.55

_UNITS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0, "px": 0.75}
_NAMED_WIDTHS = {"a3": 841.89, "a4": 595.28, "a5": 419.53, "b5": 498.9, "letter": 612.0}
_NAMED_WIDTHS["legal"] = 612.0
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(in|mm|cm|pt|px)$")

Fit = Callable[[str], str]


def points(length: str) -> float:
    """A CSS length of book.toml ("0.75in", "12mm", "0") in points."""
    match = _LENGTH.match(length.strip())
    return float(match.group(1)) * _UNITS[match.group(2)] if match else 0.0


def page_width(page_size: str) -> float:
    named = _NAMED_WIDTHS.get(page_size.strip().lower())
    return named if named is not None else points(page_size.split()[0])


def head_width(pdf: PdfConfig, *, parallel: bool) -> float:
    """The room a running head has: half the text block less a gap in the parallel edition
    (the two languages' heads side by side), the text block in the others."""
    block = page_width(pdf.page_size) - points(pdf.margin_inner) - points(pdf.margin_outer)
    return block / 2 - HEAD_SIZE if parallel else block


def running_head_fitter(pdf: PdfConfig, root: Path, *, parallel: bool) -> Fit:
    """A function shortening a running head to fit its margin box on one line."""
    measure = _measure(_italic_face(pdf.font, root))
    room = head_width(pdf, parallel=parallel) * SAFETY

    def fit(text: str) -> str:
        return shorten(text, room, measure)

    return fit


def shorten(text: str, room: float, measure: Callable[[str], float]) -> str:
    """``text`` if it is no wider than ``room``; else its longest run of whole words that fits
    with an ellipsis after it (the first word cut, if even that one does not fit)."""
    text = " ".join(text.split())
    if measure(text) <= room:
        return text
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        head = " ".join(words[:count]).rstrip(",;:.\u2014\u2013-") + ELLIPSIS
        if measure(head) <= room:
            return head
    word = words[0]
    while len(word) > 1 and measure(word + ELLIPSIS) > room:
        word = word[:-1]
    return word + ELLIPSIS


def _italic_face(family: str, root: Path) -> Path | None:
    faces = bundled_faces() if family == BUNDLED_FAMILY else project_faces(root, family)
    for face in faces:
        if face.style == "italic" and face.weight == "normal":
            return face.path
    if faces:
        return faces[0].path
    return _system_face(family)


def _system_face(family: str) -> Path | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    found = subprocess.run(
        [fc_match, "-f", "%{file}", f"{family}:italic"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return Path(found) if found and Path(found).is_file() else None


@lru_cache(maxsize=8)
def _measure(face: Path | None) -> Callable[[str], float]:
    """The width in points of a text at the heads' size, set in ``face``."""
    if face is None:
        return lambda text: len(text) * FALLBACK_EM * HEAD_SIZE
    from fontTools.ttLib import TTFont

    font = TTFont(str(face), lazy=True)
    cmap = font.getBestCmap() or {}
    advances = font["hmtx"].metrics
    units = float(font["head"].unitsPerEm)
    scale, fallback = HEAD_SIZE / units, FALLBACK_EM * units
    widths = {code: float(advances[name][0]) for code, name in cmap.items() if name in advances}

    def measure(text: str) -> float:
        return sum(widths.get(ord(ch), fallback) for ch in text) * scale

    return measure

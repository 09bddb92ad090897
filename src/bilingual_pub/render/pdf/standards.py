"""The PDF standard an edition is written to: WeasyPrint's options and the output intent.

``[pdf] variant`` names a standard WeasyPrint writes (PDF/X-1a, X-3, X-4, PDF/A-3b,
PDF/UA-1).  A PDF/X or PDF/A file needs an output intent with an ICC profile, and
WeasyPrint writes ``/GTS_PDFX`` only when given one: the book's own profile
(``[pdf] output_intent``), else an sRGB profile for X-4 and PDF/A (the ICC's
sRGB2014.icc, installed with WeasyPrint) and a CMYK one for X-1a and X-3 (the
toolkit's own, in ``bilingual_pub/profiles``; its licence is beside it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual_pub.config import PdfConfig

PROFILES_DIR = Path(__file__).resolve().parent.parent.parent / "profiles"
CMYK_PROFILE = PROFILES_DIR / "bilingual-pub-cmyk-fogra39.icc"

# WeasyPrint's name for its own sRGB profile, and ours for a book's RGB profile
BUILT_IN_SRGB = "srgb"
BOOK_RGB = "--book-output-intent"
DEVICE_CMYK = "device-cmyk"

# the variants whose files need an output intent, and the colour of their default one
_INTENT_COLOUR = {
    "pdf/x-4": "rgb",
    "pdf/x-3": "cmyk",
    "pdf/x-1a": "cmyk",
    "pdf/a-3b": "rgb",
}
PDFX_VARIANTS = ("pdf/x-4", "pdf/x-3", "pdf/x-1a")


@dataclass(frozen=True)
class PrintStandard:
    """What an edition's PDF must be: its variant, output intent and tagging."""

    variant: str | None
    profile: Path | None  # the output intent's ICC file; None: WeasyPrint's sRGB or none
    cmyk: bool  # the output intent is a CMYK profile
    tagged: bool

    @property
    def intent(self) -> str | None:
        """The output intent's name as WeasyPrint knows it; None: the file has none."""
        if self.profile is None:
            return BUILT_IN_SRGB if self.variant in _INTENT_COLOUR else None
        return DEVICE_CMYK if self.cmyk else BOOK_RGB

    @property
    def profile_dirs(self) -> list[Path]:
        """Folders WeasyPrint must be let read the profile from."""
        return [self.profile.parent] if self.profile is not None else []

    def css(self) -> str:
        """The stylesheet that declares the output intent's profile to WeasyPrint."""
        if self.profile is None:
            return ""
        components = "c, m, y, k" if self.cmyk else "r, g, b"
        rule = (
            f"@color-profile {self.intent} "
            f'{{ src: url("{self.profile.as_uri()}"); components: {components}; }}\n'
        )
        if self.cmyk:
            # text in the ink it is printed in: black only, not four-colour black
            rule += "html { color: device-cmyk(0 0 0 1); }\n"
        return rule

    def inks(self, css: str) -> str:
        """The stylesheet with its greys as black ink when the output intent is CMYK
        (PDF/X-1a takes no RGB colour); other colours are left as they are."""
        return _HEX_COLOUR.sub(_grey_as_black_ink, css) if self.cmyk else css

    def options(self) -> dict[str, Any]:
        """WeasyPrint's options, for rendering and for writing alike."""
        return {
            "pdf_variant": self.variant,
            "output_intent": self.intent,
            "pdf_tags": self.tagged,
        }


_HEX_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _grey_as_black_ink(match: re.Match[str]) -> str:
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    if not red == green == blue:
        return match.group(0)
    return f"device-cmyk(0 0 0 {1 - red / 255:.3f})"


def icc_colour(path: Path) -> str:
    """"rgb" or "cmyk": the data colour space of an ICC profile, from its header."""
    with open(path, "rb") as profile:
        space = profile.read(20)[16:20]
    return "cmyk" if space == b"CMYK" else "rgb"


def print_standard(config: PdfConfig, root: Path) -> PrintStandard:
    """The standard ``[pdf]`` asks for, with the profile its output intent uses."""
    profile: Path | None = None
    if config.output_intent is not None:
        profile = (root / config.output_intent).resolve()
    elif _INTENT_COLOUR.get(config.variant or "") == "cmyk":
        profile = CMYK_PROFILE
    cmyk = profile is not None and icc_colour(profile) == "cmyk"
    return PrintStandard(config.variant, profile, cmyk, config.is_tagged)

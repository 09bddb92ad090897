"""The book face: found before layout, because WeasyPrint silently falls back."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bilingual_pub.errors import BuildError

BUNDLED_FAMILY = "Source Serif Pro"
_STYLES = {  # (weight, style) -> file name stem in the font package
    ("normal", "normal"): "SourceSerifPro-Regular",
    ("normal", "italic"): "SourceSerifPro-It",
    ("bold", "normal"): "SourceSerifPro-Bold",
    ("bold", "italic"): "SourceSerifPro-BoldIt",
}


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: str
    style: str
    path: Path


def bundled_faces() -> list[FontFace]:
    """Source Serif Pro (SIL Open Font License) from the font-source-serif-pro package."""
    try:
        import font_source_serif_pro
    except ImportError:
        raise BuildError(
            "the font package font-source-serif-pro is not installed "
            "(pip install font-source-serif-pro)"
        ) from None
    directory = Path(font_source_serif_pro.font_directory)
    faces = []
    for (weight, style), stem in _STYLES.items():
        path = directory / f"{stem}.ttf"
        if not path.is_file():
            raise BuildError(
                f"font file missing from the font package: {path.name}", str(directory)
            )
        faces.append(FontFace(BUNDLED_FAMILY, weight, style, path))
    return faces


def project_faces(root: Path, family: str) -> list[FontFace]:
    """Faces of ``family`` shipped in the book's fonts/ folder."""
    directory = root / "fonts"
    if not directory.is_dir():
        return []
    from fontTools.ttLib import TTFont

    faces = []
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in (".ttf", ".otf", ".woff", ".woff2"):
            continue
        names = TTFont(str(path), lazy=True)["name"]
        if (names.getDebugName(16) or names.getDebugName(1)) != family:
            continue
        subfamily = (names.getDebugName(17) or names.getDebugName(2) or "").lower()
        weight = "bold" if "bold" in subfamily else "normal"
        style = "italic" if ("italic" in subfamily or "oblique" in subfamily) else "normal"
        faces.append(FontFace(family, weight, style, path))
    return faces


def system_has_family(family: str) -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listing = subprocess.run(
        [fc_list, ":", "family"], capture_output=True, text=True, check=False
    ).stdout
    families = {name.strip() for line in listing.splitlines() for name in line.split(",")}
    return family in families


def _config_line(root: Path, key: str) -> int | None:
    from bilingual_pub.config import CONFIG_NAME
    from bilingual_pub.config_keys import find_key_line

    try:
        return find_key_line((root / CONFIG_NAME).read_text(encoding="utf-8-sig"), key)
    except OSError:
        return None


def font_faces_css(family: str, root: Path) -> tuple[str, list[Path]]:
    """@font-face rules for the book face, and the files they use (for the URL fetcher)."""
    faces = bundled_faces() if family == BUNDLED_FAMILY else project_faces(root, family)
    if not faces:
        if system_has_family(family):
            return "", []
        raise BuildError(
            f"pdf.font: {family!r} not found: not bundled, not in fonts/, "
            "not installed on this system",
            "book.toml",
            _config_line(root, "pdf.font"),
        )
    rules = [
        f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
        f'font-style: {face.style}; src: url("{face.path.as_uri()}"); }}'
        for face in faces
    ]
    return "\n".join(rules), [face.path for face in faces]

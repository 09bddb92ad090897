"""Colours and pixels into the CMYK of an output intent's profile, with littleCMS.

Solid colours and images come in as sRGB (what CSS and SVG colours are, and what an
image without a profile of its own is taken to be), as an image's own ICC profile, or
as CIE Lab, and go out in the printing condition of the edition's output intent,
relative colorimetric with black point compensation (paper white stays unprinted, the
darkest colour maps onto the darkest the press prints).  Transparent pixels are laid on
white paper first: PDF/X-1a has no transparency.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from bilingual_pub.render.pdf.colour_spaces import DEVICE_CMYK, ICC_CMYK, LAB, RGB

log = logging.getLogger(__name__)

Colour = tuple[float, ...]  # components from 0 to 1 (Lab: L 0-100, a and b -128-127)


class InkConverter:
    """Converts into the CMYK of one output-intent profile."""

    def __init__(self, profile: Path) -> None:
        from PIL import ImageCms

        self.profile = profile
        self._target = ImageCms.getOpenProfile(str(profile))
        self._srgb = _transform(ImageCms.createProfile("sRGB"), self._target, "RGB")
        self._lab = _transform(ImageCms.createProfile("LAB", 5000), self._target, "LAB")

    def cmyk(self, kind: str, values: Colour) -> Colour:
        """A solid colour of ``kind`` (RGB or Lab; CMYK passes) in the target's CMYK."""
        if kind in (DEVICE_CMYK, ICC_CMYK):
            return values
        return self._solid(kind, tuple(round(v, 4) for v in values))

    @lru_cache(maxsize=4096)  # noqa: B019 (one converter per written file)
    def _solid(self, kind: str, values: Colour) -> Colour:
        from PIL import Image, ImageCms

        if kind == LAB:
            lightness, a, b = values
            pixel = (round(lightness * 2.55), round(a) + 128, round(b) + 128)
            image = Image.new("LAB", (1, 1), tuple(min(max(v, 0), 255) for v in pixel))
            transform = self._lab
        else:
            image = Image.new("RGB", (1, 1), tuple(round(_clamp(v) * 255) for v in values))
            transform = self._srgb
        converted = ImageCms.applyTransform(image, transform)
        assert converted is not None
        return tuple(round(ink / 255, 4) for ink in converted.getpixel((0, 0)))  # type: ignore[union-attr]

    def image(self, image: Any, own_profile: bytes | None = None) -> Any:
        """An RGB Pillow image in the target's CMYK, from its own profile if it has one."""
        from PIL import ImageCms

        transform = self._srgb
        if own_profile:
            try:
                source = ImageCms.ImageCmsProfile(io.BytesIO(own_profile))
                transform = _transform(source, self._target, "RGB")
            except (OSError, ImageCms.PyCMSError):
                log.warning("an image's own ICC profile is unreadable; converted as sRGB")
        return ImageCms.applyTransform(image, transform)


def _transform(source: Any, target: Any, mode: str) -> Any:
    from PIL import ImageCms

    return ImageCms.buildTransform(
        source,
        target,
        mode,
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def on_white(image: Any, alpha: Any) -> Any:
    """``image`` (grey, RGB or CMYK) laid on white paper through ``alpha`` (an "L" mask)."""
    from PIL import Image

    papers: dict[str, int | tuple[int, ...]] = {"L": 255, "RGB": (255,) * 3, "CMYK": (0,) * 4}
    paper = papers[image.mode]
    if alpha.size != image.size:
        alpha = alpha.resize(image.size)
    return Image.composite(image, Image.new(image.mode, image.size, paper), alpha)


def gray_of(kind: str, values: Colour) -> float | None:
    """The grey level of a neutral RGB colour (None for any other colour): black text
    stays in black ink alone rather than four."""
    if kind == RGB and len(values) == 3 and max(values) - min(values) < 0.002:
        return round(sum(values) / 3, 4)
    return None

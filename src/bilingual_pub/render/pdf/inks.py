"""A PDF/X-1a edition in printing inks: every colour and image in CMYK or grey, nothing
transparent, converted through the edition's output intent profile.

Why on the written file rather than in the stylesheet: WeasyPrint's own colours come
from far more than the stylesheet (SVG drawings, images, borders and rules it draws by
itself, RGB images it embeds as they are, gradients, opacity), and a joined edition's
chapters may come from workers or from the chapter cache, laid out by an earlier build.
Converting the finished file (pikepdf) catches all of them in one place, whichever way
the edition or its cover was laid out, and ``standard_problems`` (render/pdf/finish.py)
then checks that nothing RGB or transparent is left.

Every content stream (pages, forms, tiling patterns, Type 3 glyphs, annotations'
appearances) has its colour operators rewritten (render/pdf/ink_content.py); RGB
images become CMYK ones (from their own ICC profile if they carry one, else sRGB),
laid on white where they had an alpha channel; shadings, annotation colours and the
colour-space resources follow; soft masks, opacities and transparency groups go.
"""

from __future__ import annotations

import logging
import zlib
from pathlib import Path
from typing import Any

from bilingual_pub.render.pdf.colour_spaces import (
    CONVERTED,
    DEVICE_CMYK,
    DEVICE_GRAY,
    ICC_CMYK,
    ICC_GRAY,
    RGB,
    colour_kind,
    indexed_base,
    is_transparency_group,
)
from bilingual_pub.render.pdf.ink_colours import InkConverter, on_white
from bilingual_pub.render.pdf.ink_content import StreamInks

log = logging.getLogger(__name__)

_DEVICE_EQUIVALENT = {ICC_GRAY: "/DeviceGray", ICC_CMYK: "/DeviceCMYK"}


def convert_to_print_inks(path: Path, profile: Path) -> None:
    """Rewrite ``path`` (a PDF/X-1a file) with its colours in the CMYK of ``profile``."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        converter = _Document(pdf, InkConverter(profile))
        for page in pdf.pages:
            converter.page(page)
        converter.finish()
        pdf.save(path)


class _Document:
    """One PDF's conversion: each object once, the colour-space resources last (the
    content streams that name them must be read first)."""

    def __init__(self, pdf: Any, inks: InkConverter) -> None:
        self.pdf = pdf
        self.inks = inks
        self.streams = StreamInks(inks)
        self.seen: set[tuple[int, int]] = set()
        self.space_dicts: list[Any] = []
        self.graphics_states: list[Any] = []

    def _first_time(self, obj: Any) -> bool:
        if obj.is_indirect:
            if obj.objgen in self.seen:
                return False
            self.seen.add(obj.objgen)
        return True

    def page(self, page: Any) -> None:
        import pikepdf

        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        data = self.streams.rewrite(page, resources)
        if data is not None:
            page.obj.Contents = self.pdf.make_stream(data)
        self.resources(resources)
        if is_transparency_group(page.obj):
            del page.obj["/Group"]
        for annotation in page.obj.get("/Annots", []):
            self.annotation(annotation, resources)

    def form(self, stream: Any, outer: Any) -> None:
        """A form, tiling pattern or glyph procedure: its content and its resources."""
        if not self._first_time(stream):
            return
        resources = stream.get("/Resources", outer)
        data = self.streams.rewrite(stream, resources)
        if data is not None:
            stream.write(data)
        if is_transparency_group(stream):
            del stream["/Group"]
        self.resources(resources)

    def resources(self, resources: Any) -> None:
        if not self._first_time(resources):
            return
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Image":
                self.image(xobject)
            elif xobject.get("/Subtype") == "/Form":
                self.form(xobject, resources)
        for pattern in resources.get("/Pattern", {}).values():
            if pattern.get("/PatternType") == 1:
                self.form(pattern, resources)
            else:
                self.shading(pattern.get("/Shading"), resources)
                self.graphics_states.append(pattern.get("/ExtGState", {}))
        for shading in resources.get("/Shading", {}).values():
            self.shading(shading, resources)
        self.graphics_states += resources.get("/ExtGState", {}).values()
        for font in resources.get("/Font", {}).values():
            if font.get("/Subtype") == "/Type3":
                for glyph in font.get("/CharProcs", {}).values():
                    self.form(glyph, font.get("/Resources", resources))
        if "/ColorSpace" in resources:
            self.space_dicts.append(resources.ColorSpace)

    def annotation(self, annotation: Any, page_resources: Any) -> None:
        import pikepdf

        for key in ("/C", "/IC"):
            colour = annotation.get(key)
            if colour is not None and len(colour) == 3:
                cmyk = self.inks.cmyk(RGB, tuple(float(v) for v in colour))
                annotation[key] = pikepdf.Array([round(v, 4) for v in cmyk])
        for appearance in annotation.get("/AP", {}).values():
            states = [appearance] if isinstance(appearance, pikepdf.Stream) else appearance.values()
            for stream in states:
                if isinstance(stream, pikepdf.Stream):
                    self.form(stream, page_resources)

    def graphics_state(self, state: Any) -> None:
        """No opacity, soft mask or blend mode: the colours drawn with an opacity were
        laid on white where they are set (render/pdf/ink_content.py)."""
        import pikepdf

        for key in ("/ca", "/CA"):
            if key in state and float(state[key]) < 1:
                state[key] = 1
        if "/SMask" in state:
            state.SMask = pikepdf.Name.None_
        if "/BM" in state:
            state.BM = pikepdf.Name.Normal

    def finish(self) -> None:
        """The graphics states and colour-space resources, now that no content stream
        still reads them."""
        import pikepdf

        for state in self.graphics_states:
            self.graphics_state(state)
        for spaces in self.space_dicts:
            for name in list(spaces.keys()):
                kind = colour_kind(spaces[name])
                if kind in _DEVICE_EQUIVALENT:
                    spaces[name] = pikepdf.Name(_DEVICE_EQUIVALENT[kind])
                elif kind in CONVERTED:  # no operator names it any more (rewritten as k)
                    del spaces[name]
                elif indexed_base(spaces[name]) in CONVERTED:
                    self.indexed(spaces[name])

    def indexed(self, space: Any) -> None:
        """An Indexed space over RGB (its palette in CMYK) or over an ICC space."""
        import pikepdf

        base = colour_kind(space[1])
        if base in _DEVICE_EQUIVALENT:
            space[1] = pikepdf.Name(_DEVICE_EQUIVALENT[base])
            return
        if base != RGB:
            return
        lookup = space[3]
        table = lookup.read_bytes() if isinstance(lookup, pikepdf.Stream) else bytes(lookup)
        palette = bytearray()
        for start in range(0, len(table) - 2, 3):
            rgb = tuple(value / 255 for value in table[start : start + 3])
            palette += bytes(round(ink * 255) for ink in self.inks.cmyk(RGB, rgb))
        space[1] = pikepdf.Name.DeviceCMYK
        space[3] = pikepdf.String(bytes(palette))

    def shading(self, shading: Any, resources: Any) -> None:
        import pikepdf

        if shading is None or not self._first_time(shading):
            return
        kind = colour_kind(shading.get("/ColorSpace"), resources)
        if kind not in CONVERTED:
            return
        function = shading.get("/Function")
        if isinstance(function, pikepdf.Dictionary) and self.function(function):
            if "/Background" in shading:
                background = tuple(float(v) for v in shading.Background)
                shading.Background = pikepdf.Array(list(self.by_count(background)))
            shading.ColorSpace = pikepdf.Name.DeviceCMYK
        else:
            log.warning("a shading of a kind not converted to CMYK is left in %s", kind)

    def function(self, function: Any) -> bool:
        """A type 2 (or type 3 of type 2) function's colours in CMYK; False for others.
        A colour is read by its number of components, whatever the shading's space says
        (WeasyPrint gives RGB gradients the CMYK output intent's space)."""
        import pikepdf

        function_type = int(function.get("/FunctionType", -1))
        if function_type == 3:
            return all(self.function(part) for part in function.Functions)
        if function_type != 2 or not self._first_time(function):
            return function_type == 2
        for key in ("/C0", "/C1"):
            colour = tuple(float(v) for v in function.get(key, [(0.0 if key == "/C0" else 1.0)]))
            function[key] = pikepdf.Array([round(v, 4) for v in self.by_count(colour)])
        if "/Range" in function:
            function.Range = pikepdf.Array([0, 1] * 4)
        return True

    def by_count(self, colour: tuple[float, ...]) -> tuple[float, ...]:
        """A grey, RGB or CMYK colour, told apart by its number of components, in CMYK."""
        if len(colour) == 1:
            return (0.0, 0.0, 0.0, 1 - colour[0])
        return self.inks.cmyk(RGB if len(colour) == 3 else DEVICE_CMYK, colour)

    def image(self, image: Any) -> None:
        if not self._first_time(image) or image.get("/ImageMask", False):
            return
        kind = colour_kind(image.get("/ColorSpace"))
        soft_mask = image.get("/SMask")
        if kind in (DEVICE_GRAY, DEVICE_CMYK) and soft_mask is None:
            return
        if kind in _DEVICE_EQUIVALENT and soft_mask is None:
            import pikepdf

            image.ColorSpace = pikepdf.Name(_DEVICE_EQUIVALENT[kind])
            return
        self.repaint(image, soft_mask)

    def repaint(self, image: Any, soft_mask: Any) -> None:
        """An image decoded, laid on white through its soft mask, in CMYK (or grey), and
        written back: a photograph stored as JPEG again (Flate would make it many times
        larger), anything else with Flate."""
        import pikepdf

        was_jpeg = _filters(image) == ["/DCTDecode"]

        try:
            pixels = pikepdf.PdfImage(image).as_pil_image()
            alpha = pikepdf.PdfImage(soft_mask).as_pil_image() if soft_mask is not None else None
        except (NotImplementedError, pikepdf.PdfError, ValueError) as error:
            log.warning("an image could not be converted to CMYK: %s", error)
            return
        own_profile = pixels.info.get("icc_profile") or _icc_of(image.get("/ColorSpace"))
        if pixels.mode not in ("L", "CMYK"):
            grey = pixels.mode in ("1", "LA", "I", "I;16", "F")
            pixels = pixels.convert("L" if grey else "RGB")
        if alpha is not None:
            pixels = on_white(pixels, alpha.convert("L"))
        if pixels.mode == "RGB":
            pixels = self.inks.image(pixels, own_profile)
        for key in ("/SMask", "/DecodeParms", "/Decode", "/SMaskInData"):
            if key in image:
                del image[key]
        if was_jpeg:
            _write_jpeg(image, pixels)
        else:
            image.write(zlib.compress(pixels.tobytes()), filter=pikepdf.Name.FlateDecode)
        image.ColorSpace = pikepdf.Name("/DeviceGray" if pixels.mode == "L" else "/DeviceCMYK")
        image.BitsPerComponent = 8


def _filters(image: Any) -> list[str]:
    import pikepdf

    found = image.get("/Filter")
    if found is None:
        return []
    return [str(name) for name in found] if isinstance(found, pikepdf.Array) else [str(found)]


def _write_jpeg(image: Any, pixels: Any) -> None:
    """A JPEG at high quality; a CMYK one as Pillow writes it, with Adobe's marker and its
    inks inverted, which a PDF reader draws right only with an inverting /Decode."""
    import io

    import pikepdf

    data = io.BytesIO()
    pixels.save(data, "JPEG", quality=95, subsampling=0)
    image.write(data.getvalue(), filter=pikepdf.Name.DCTDecode)
    if pixels.mode == "CMYK":
        image.Decode = pikepdf.Array([1, 0] * 4)


def _icc_of(space: Any) -> bytes | None:
    import pikepdf

    if isinstance(space, pikepdf.Array) and str(space[0]) == "/ICCBased":
        return bytes(space[1].read_bytes())
    return None

"""The colour operators of one content stream in CMYK or grey, for PDF/X-1a.

Every operator that sets a colour in RGB, Lab or an ICC space (``rg``/``RG``, ``cs``/
``CS`` with ``sc``/``scn``/``SC``/``SCN``) is replaced by ``k``/``K`` in the output
intent's CMYK, or ``g``/``G`` for a neutral grey (black text in black ink alone).  A
colour drawn with an opacity below one (``gs`` with ``ca``/``CA``) is laid on white
paper instead, since X-1a has no transparency: the opacity itself is taken out of the
ExtGState afterwards (render/pdf/inks.py).  Other operators are kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bilingual_pub.render.pdf.colour_spaces import (
    CONVERTED,
    DEVICE_CMYK,
    DEVICE_GRAY,
    ICC_CMYK,
    ICC_GRAY,
    LAB,
    RGB,
    colour_kind,
)
from bilingual_pub.render.pdf.content import walk
from bilingual_pub.render.pdf.ink_colours import Colour, InkConverter, gray_of

# the colour a ``cs`` starts with, by kind (black in each)
_INITIAL: dict[str, Colour] = {
    RGB: (0, 0, 0),
    LAB: (0, 0, 0),
    ICC_CMYK: (0, 0, 0, 1),
    DEVICE_CMYK: (0, 0, 0, 1),
}
_DEVICE_OPERATORS = {"rg": RGB, "g": DEVICE_GRAY, "k": DEVICE_CMYK}


@dataclass(frozen=True)
class _Paint:
    kind: str | None = None  # None: not known (a form inherits it) or kept (pattern, spot)
    values: Colour = (0.0,)
    alpha: float = 1.0


@dataclass(frozen=True)
class _Colours:
    """The colour part of the graphics state, saved by ``q`` and restored by ``Q``."""

    fill: _Paint = _Paint()
    stroke: _Paint = _Paint()

    def paint(self, stroking: bool) -> _Paint:
        return self.stroke if stroking else self.fill

    def with_paint(self, stroking: bool, paint: _Paint) -> _Colours:
        return replace(self, stroke=paint) if stroking else replace(self, fill=paint)


class StreamInks:
    """Rewrites the colour operators of the content streams of one PDF."""

    def __init__(self, inks: InkConverter) -> None:
        self.inks = inks

    def rewrite(self, content: Any, resources: Any) -> bytes | None:
        """``content``'s operators with its colours converted; None if none needed it."""
        import pikepdf

        out: list[Any] = []
        colours, stack, changed = _Colours(), [], False
        for step in walk(content, resources):
            name = step.operator
            if name == "q":
                stack.append(colours)
            elif name == "Q" and stack:
                colours = stack.pop()
            new, colours = self._colour(name, step.operands, resources, colours)
            if new is None:
                out.append(step.instruction)
            else:
                out += new
                changed = True
        return pikepdf.unparse_content_stream(out) if changed else None

    def _colour(
        self, name: str, operands: list[Any], resources: Any, colours: _Colours
    ) -> tuple[list[Any] | None, _Colours]:
        """The instructions that replace one operator (None: keep it), and the new state."""
        stroking = name.isupper()
        lower = name.lower()
        old = colours.paint(stroking)
        if lower in _DEVICE_OPERATORS:
            paint = replace(old, kind=_DEVICE_OPERATORS[lower], values=_numbers(operands))
        elif lower == "cs":
            kind = colour_kind(operands[0], resources)
            kept = kind not in CONVERTED and kind not in (DEVICE_GRAY, DEVICE_CMYK)
            paint = replace(old, kind=None if kept else kind, values=_INITIAL.get(kind, (0.0,)))
            if kept:
                return None, colours.with_paint(stroking, paint)
        elif lower in ("sc", "scn") and old.kind is not None:
            paint = replace(old, values=_numbers(operands))
        elif name == "gs":
            return self._opacity(operands, resources, colours)
        else:
            return None, colours
        new = colours.with_paint(stroking, paint)
        if paint.kind in CONVERTED or paint.alpha < 1:
            return [self._set(paint, stroking)], new
        return None, new

    def _opacity(
        self, operands: list[Any], resources: Any, colours: _Colours
    ) -> tuple[list[Any] | None, _Colours]:
        """A ``gs``, and the current colours again on white if it changes an opacity."""
        import pikepdf

        state = resources.get("/ExtGState", {}).get(str(operands[0]), {})
        extra: list[Any] = []
        for key, stroking in (("/ca", False), ("/CA", True)):
            paint = colours.paint(stroking)
            alpha = float(state[key]) if key in state else paint.alpha
            if alpha != paint.alpha:
                paint = replace(paint, alpha=alpha)
                colours = colours.with_paint(stroking, paint)
                if paint.kind is not None:
                    extra.append(self._set(paint, stroking))
        if not extra:
            return None, colours
        gs = pikepdf.ContentStreamInstruction(operands, pikepdf.Operator("gs"))
        return [gs, *extra], colours

    def _set(self, paint: _Paint, stroking: bool) -> Any:
        """The ``g``/``k`` (``G``/``K``) that sets ``paint``, laid on white by its alpha."""
        import pikepdf

        assert paint.kind is not None
        grey = paint.values[0] if paint.kind in (DEVICE_GRAY, ICC_GRAY) else None
        grey = grey if grey is not None else gray_of(paint.kind, paint.values)
        values: Colour
        if grey is not None:
            operator, values = "g", (1 - (1 - grey) * paint.alpha,)
        else:
            cmyk = self.inks.cmyk(paint.kind, paint.values)
            operator, values = "k", tuple(ink * paint.alpha for ink in cmyk)
        operator = operator.upper() if stroking else operator
        operands = [round(value, 4) for value in values]
        return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator))


def _numbers(operands: list[Any]) -> Colour:
    import pikepdf

    return tuple(float(value) for value in operands if not isinstance(value, pikepdf.Name))

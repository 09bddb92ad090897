"""Walking a PDF content stream: each operator with where it draws.

One walker for every step that reads what a page draws: the language tagging
(render/pdf/tagging.py: where each marked text starts), the colour conversion of
PDF/X-1a (render/pdf/inks.py: what colour each operator sets) and ``preflight``
(texts and images in page coordinates, RGB colour).  It follows the current
transformation matrix through ``q``/``Q``/``cm`` and the text matrix through
``BT``/``Tm``/``Td``, and, when asked, descends into the forms a stream draws
(a joined edition draws each chapter's pages as forms).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Matrix = tuple[float, ...]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
TEXT_SHOWING = ("Tj", "TJ", "'", '"')


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """The PDF matrix product m × n (m applied first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def apply_matrix(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


@dataclass(frozen=True)
class Step:
    """One operator of a content stream, in the state it runs in."""

    operator: str
    operands: list[Any]
    ctm: Matrix  # the current transformation matrix (to page space)
    text: Matrix  # the text matrix × the CTM: where a text-showing operator starts
    resources: Any  # the resources of the stream the operator is in
    instruction: Any  # pikepdf's instruction, to write the operator back unchanged

    @property
    def text_origin(self) -> tuple[float, float]:
        return apply_matrix(self.text, 0, 0)

    def xobject(self) -> Any:
        """The XObject a ``Do`` draws (None if the resources lack it)."""
        return self.resources.get("/XObject", {}).get(str(self.operands[0]))


def walk(
    content: Any, resources: Any, base: Matrix = IDENTITY, *, into_forms: bool = False
) -> Iterator[Step]:
    """Every operator of ``content`` (a page or a stream), with the CTM and text matrix;
    with ``into_forms``, the operators of the forms it draws follow their ``Do``."""
    yield from _walk(content, resources, base, into_forms, set())


def _walk(
    content: Any, resources: Any, base: Matrix, into_forms: bool, path: set[tuple[int, int]]
) -> Iterator[Step]:
    import pikepdf

    ctm, stack = base, []
    text = line = IDENTITY
    for instruction in pikepdf.parse_content_stream(content):
        operands, name = list(instruction.operands), str(instruction.operator)
        if name == "q":
            stack.append(ctm)
        elif name == "Q" and stack:
            ctm = stack.pop()
        elif name == "cm":
            ctm = multiply(tuple(float(v) for v in operands), ctm)
        elif name == "BT":
            text = line = IDENTITY
        elif name == "Tm":
            text = line = tuple(float(v) for v in operands)
        elif name in ("Td", "TD"):
            text = line = multiply((1, 0, 0, 1, float(operands[0]), float(operands[1])), line)
        step = Step(name, operands, ctm, multiply(text, ctm), resources, instruction)
        yield step
        if name == "Do" and into_forms:
            form = step.xobject()
            if form is not None and form.get("/Subtype") == "/Form" and form.objgen not in path:
                matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))
                inner = form.get("/Resources", resources)
                yield from _walk(form, inner, multiply(matrix, ctm), True, path | {form.objgen})

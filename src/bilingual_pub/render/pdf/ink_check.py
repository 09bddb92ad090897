"""What on a page PDF/X-1a does not allow: RGB colour and transparency.

Read from what the page draws (its content and the forms, images, patterns and
shadings it uses), as a printer's preflight reads it: ``rg``/``RG``, a colour space
that is RGB (DeviceRGB, CalRGB, ICCBased with three components, Indexed over one),
RGB images, soft masks, opacities and blend modes, transparency groups.  Each kind of
problem is said once a page; images are named by the caller (``preflight`` knows the
book's files).  Used by the build (render/pdf/finish.py) and by ``preflight``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from bilingual_pub.render.pdf.colour_spaces import (
    CONVERTED,
    colour_kind,
    is_rgb,
    is_transparency_group,
    transparency_of,
)
from bilingual_pub.render.pdf.content import walk

ImageNamer = Callable[[Any], str]


def describe_image(image: Any) -> str:
    return f"an image of {int(image.Width)}×{int(image.Height)} pixels"


def x1a_page_problems(page: Any, name_image: ImageNamer = describe_image) -> list[str]:
    """Each RGB colour and transparency ``page`` draws, once each, in the order found."""
    found: dict[str, None] = {}
    if is_transparency_group(page.obj):
        found["a transparency group (the page's /Group)"] = None
    for problem in _content_problems(page, page.obj.get("/Resources", {}), name_image, set()):
        found.setdefault(problem, None)
    return list(found)


def _content_problems(
    content: Any, resources: Any, name_image: ImageNamer, patterns: set[tuple[int, int]]
) -> Iterator[str]:
    """The problems of a content stream and of the forms and tiling patterns it draws."""
    import pikepdf

    for step in walk(content, resources, into_forms=True):
        yield from _step_problems(step, name_image)
        if step.operator in ("scn", "SCN") and isinstance(step.operands[-1], pikepdf.Name):
            pattern = step.resources.get("/Pattern", {}).get(str(step.operands[-1]))
            if pattern is None or pattern.objgen in patterns:
                continue
            patterns.add(pattern.objgen)
            if pattern.get("/PatternType") == 1:  # a tiling pattern draws as a form does
                inner = pattern.get("/Resources", resources)
                yield from _content_problems(pattern, inner, name_image, patterns)
            else:
                yield from _shading_problems(pattern.get("/Shading"))


def _step_problems(step: Any, name_image: ImageNamer) -> list[str]:
    name, operands, resources = step.operator, step.operands, step.resources
    if name in ("rg", "RG"):
        return [f"RGB colour ({name})"]
    if name in ("cs", "CS") and is_rgb(operands[0], resources):
        return [f"RGB colour space {operands[0]}"]
    if name in ("cs", "CS") and colour_kind(operands[0], resources) in CONVERTED:
        return [f"colour space {operands[0]} (ICC-based or Lab, not device CMYK or grey)"]
    if name == "gs":
        state = resources.get("/ExtGState", {}).get(str(operands[0]))
        what = transparency_of(state) if state is not None else None
        return [f"transparency: {what}"] if what else []
    if name == "sh":
        return _shading_problems(resources.get("/Shading", {}).get(str(operands[0])))
    if name == "Do":
        return _xobject_problems(step.xobject(), name_image)
    return []


def _xobject_problems(xobject: Any, name_image: ImageNamer) -> list[str]:
    if xobject is None:
        return []
    if xobject.get("/Subtype") == "/Form":
        group = is_transparency_group(xobject)
        return ["transparency: a transparency group (form)"] if group else []
    if xobject.get("/Subtype") != "/Image":
        return []
    problems = []
    if is_rgb(xobject.get("/ColorSpace")):
        problems.append(f"image {name_image(xobject)} is RGB")
    if xobject.get("/SMask") is not None or int(xobject.get("/SMaskInData", 0)):
        problems.append(f"transparency: image {name_image(xobject)} has a soft mask (alpha)")
    return problems


def _shading_problems(shading: Any) -> list[str]:
    if shading is None:
        return []
    if is_rgb(shading.get("/ColorSpace")):
        return ["a gradient (shading) in RGB"]
    if colour_kind(shading.get("/ColorSpace")) in CONVERTED:
        return ["a gradient (shading) in an ICC-based or Lab colour space"]
    return []

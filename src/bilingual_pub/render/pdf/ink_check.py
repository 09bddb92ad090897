"""What on a page PDF/X-1a does not allow: RGB colour and transparency.

Read from what the page draws (its content and the forms, images, patterns and
shadings it uses), as a printer's preflight reads it: ``rg``/``RG``, a colour space
that is RGB (DeviceRGB, CalRGB, ICCBased with three components, Indexed over one),
RGB images, soft masks, opacities and blend modes, transparency groups.  Each kind of
problem is said once a page; images are named by the caller (``preflight`` knows the
book's files).  Used by the build (render/pdf/finish.py) and by ``preflight``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bilingual_pub.render.pdf.colour_spaces import is_rgb, is_transparency_group, transparency_of
from bilingual_pub.render.pdf.content import walk

ImageNamer = Callable[[Any], str]


def describe_image(image: Any) -> str:
    return f"an image of {int(image.Width)}×{int(image.Height)} pixels"


def x1a_page_problems(page: Any, name_image: ImageNamer = describe_image) -> list[str]:
    """Each RGB colour and transparency ``page`` draws, once each, in the order found."""
    found: dict[str, None] = {}
    if is_transparency_group(page.obj):
        found["a transparency group (the page's /Group)"] = None
    for step in walk(page, page.obj.get("/Resources", {}), into_forms=True):
        for problem in _step_problems(step, name_image):
            found.setdefault(problem, None)
    return list(found)


def _step_problems(step: Any, name_image: ImageNamer) -> list[str]:
    name, operands, resources = step.operator, step.operands, step.resources
    if name in ("rg", "RG"):
        return [f"RGB colour ({name})"]
    if name in ("cs", "CS") and is_rgb(operands[0], resources):
        return [f"RGB colour space {operands[0]}"]
    if name == "gs":
        state = resources.get("/ExtGState", {}).get(str(operands[0]))
        what = transparency_of(state) if state is not None else None
        return [f"transparency: {what}"] if what else []
    if name == "sh":
        shading = resources.get("/Shading", {}).get(str(operands[0]))
        rgb = shading is not None and is_rgb(shading.get("/ColorSpace"), resources)
        return ["an RGB shading (gradient)"] if rgb else []
    if name in ("scn", "SCN") and operands and hasattr(operands[-1], "startswith"):
        return _pattern_problems(resources.get("/Pattern", {}).get(str(operands[-1])))
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


def _pattern_problems(pattern: Any) -> list[str]:
    if pattern is None or pattern.get("/PatternType") != 2:
        return []  # a tiling pattern's content is its own stream: not walked here
    shading = pattern.get("/Shading")
    rgb = shading is not None and is_rgb(shading.get("/ColorSpace"))
    return ["an RGB shading (gradient)"] if rgb else []

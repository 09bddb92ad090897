"""What a PDF colour space is, in the terms PDF/X-1a judges it by.

PDF/X-1a allows DeviceCMYK and DeviceGray (and spot colours: Separation, DeviceN,
Indexed over those), nothing RGB, no CIE-based (ICC, Lab) space and no transparency.
Shared by the conversion of an X-1a edition (render/pdf/inks.py) and the checks of a
written one (render/pdf/ink_check.py, ``preflight``).
"""

from __future__ import annotations

from typing import Any

# the kinds of colour space a content stream or an image may use
DEVICE_GRAY = "DeviceGray"
DEVICE_CMYK = "DeviceCMYK"
ICC_GRAY = "gray"  # ICCBased with one component, or CalGray: DeviceGray's values
ICC_CMYK = "cmyk"  # ICCBased with four components: DeviceCMYK's values
RGB = "rgb"  # DeviceRGB, CalRGB, ICCBased with three components
LAB = "lab"
PATTERN = "pattern"
OTHER = "other"  # Separation, DeviceN, Indexed: judged by what they are made of

# the kinds X-1a does not allow, which the conversion turns into device colour
CONVERTED = (ICC_GRAY, ICC_CMYK, RGB, LAB)
_DEVICE = {"/DeviceGray": DEVICE_GRAY, "/DeviceCMYK": DEVICE_CMYK, "/DeviceRGB": RGB}
_FAMILIES = {"/CalRGB": RGB, "/CalGray": ICC_GRAY, "/Lab": LAB, "/Pattern": PATTERN}
_ABBREVIATIONS = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK"}


def colour_kind(space: Any, resources: Any = None) -> str:
    """The kind of ``space``: a name (of a device space or of a resource) or an array."""
    import pikepdf

    if isinstance(space, pikepdf.Name):
        name = _ABBREVIATIONS.get(str(space), str(space))
        if name in _DEVICE:
            return _DEVICE[name]
        if name == "/Pattern":
            return PATTERN
        named = (resources or {}).get("/ColorSpace", {}).get(name)
        return colour_kind(named) if named is not None else OTHER
    if isinstance(space, pikepdf.Array) and len(space) > 0:
        family = str(space[0])
        if family == "/ICCBased":
            components = int(space[1].get("/N", 0))
            return {1: ICC_GRAY, 3: RGB, 4: ICC_CMYK}.get(components, OTHER)
        if family in _DEVICE:  # [/DeviceRGB] and the like
            return _DEVICE[family]
        return _FAMILIES.get(family, OTHER)
    return OTHER


def indexed_base(space: Any, resources: Any = None) -> str | None:
    """The kind of an Indexed space's base (None when ``space`` is not Indexed)."""
    import pikepdf

    if isinstance(space, pikepdf.Name):
        space = (resources or {}).get("/ColorSpace", {}).get(str(space))
    if isinstance(space, pikepdf.Array) and len(space) == 4 and str(space[0]) in ("/Indexed", "/I"):
        return colour_kind(space[1], resources)
    return None


def is_rgb(space: Any, resources: Any = None) -> bool:
    """Whether ``space`` holds RGB colour, itself or as an Indexed space's base."""
    return RGB in (colour_kind(space, resources), indexed_base(space, resources))


def transparency_of(graphics_state: Any) -> str | None:
    """What an ExtGState makes transparent (None: nothing)."""
    import pikepdf

    for key in ("/ca", "/CA"):
        if key in graphics_state and float(graphics_state[key]) < 1:
            return f"opacity {float(graphics_state[key]):g} ({key[1:]})"
    soft_mask = graphics_state.get("/SMask")
    if soft_mask is not None and not (isinstance(soft_mask, pikepdf.Name) and soft_mask == "/None"):
        return "a soft mask"
    blend = graphics_state.get("/BM")
    if blend is not None and str(blend) not in ("/Normal", "/Compatible"):
        return f"blend mode {str(blend)[1:]}"
    return None


def is_transparency_group(xobject: Any) -> bool:
    group = xobject.get("/Group")
    return group is not None and group.get("/S") == "/Transparency"

"""Images and other files the texts refer to: resolved inside the project, never fetched."""

from __future__ import annotations

import mimetypes
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bilingual_pub.errors import BuildError
from bilingual_pub.model import SourceLocation

IMAGE_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def resolve_image(root: Path, location: SourceLocation, src: str) -> Path:
    """The file an image reference names, relative to its text; inside the project only."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        raise BuildError(
            f"image {src!r} is remote: books are built offline, put the file in images/",
            location.path,
            location.line,
        )
    relative = unquote(parts.path)
    if not relative:
        raise BuildError("image without a path", location.path, location.line)
    if relative.startswith("/"):
        raise BuildError(
            f"image {src!r}: use a path relative to the text", location.path, location.line
        )
    text_dir = (root / location.path).parent
    candidate = (text_dir / relative).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise BuildError(f"image {src!r} is outside the project", location.path, location.line)
    if not candidate.is_file():
        raise BuildError(_not_found(root, text_dir, candidate, src), location.path, location.line)
    if candidate.suffix.lower() not in IMAGE_TYPES:
        raise BuildError(
            f"image {src!r}: use SVG, PNG, JPEG, GIF or WebP", location.path, location.line
        )
    if candidate.suffix.lower() == ".svg":
        _check_svg(candidate, src, location)
    return candidate


# Folders never searched for a lost image: editions, environments, hidden folders.
_NOT_SEARCHED = {"build", "node_modules", "__pycache__"}


def _not_found(root: Path, text_dir: Path, candidate: Path, src: str) -> str:
    """Where a missing image was looked for, and the path that would find the file."""
    root = root.resolve()
    message = f"image {src!r} not found (looked for {candidate.relative_to(root).as_posix()})"
    found = _find_elsewhere(root, Path(unquote(urlsplit(src).path)))
    if found is None:
        return message
    suggestion = Path(os.path.relpath(found, text_dir.resolve())).as_posix()
    return f"{message}; did you mean {suggestion!r}?"


def _find_elsewhere(root: Path, relative: Path) -> Path | None:
    """The file at ``relative`` from the project root, else the first file of the same name
    in the project (by path), outside build/, environments and hidden folders."""
    from_root = (root / relative).resolve()
    if from_root.is_relative_to(root) and from_root.is_file():
        return from_root
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            name for name in subfolders
            if not name.startswith(".") and not (name in _NOT_SEARCHED or name.endswith("venv"))
        )
        if relative.name in files:
            found = (Path(folder) / relative.name).resolve()
            if found.is_relative_to(root):  # not a symlink leading out of the project
                return found
    return None


# An SVG is a document: it may itself name other files, scripts or remote resources.
_SVG_REFERENCE = re.compile(
    r"""(?:href|src)\s*=\s*["']\s*([^"'#][^"']*)["']|url\(\s*["']?([^)"'#][^)"']*)"""
)


def _check_svg(path: Path, src: str, location: SourceLocation) -> None:
    """Refuse an SVG that scripts or that loads anything outside itself."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise BuildError(f"image {src!r}: {error.strerror}", location.path, location.line) from None
    if re.search(r"<script\b|\bon[a-z]+\s*=", text, re.IGNORECASE):
        raise BuildError(
            f"image {src!r}: the SVG holds a script or an event handler",
            location.path,
            location.line,
        )
    for match in _SVG_REFERENCE.finditer(text):
        target = (match.group(1) or match.group(2) or "").strip()
        if target and not target.startswith("data:"):
            raise BuildError(
                f"image {src!r}: the SVG refers to {target[:60]!r}; embed what it needs",
                location.path,
                location.line,
            )


def media_type(path: Path) -> str:
    return (
        IMAGE_TYPES.get(path.suffix.lower())
        or mimetypes.guess_type(path.name)[0]
        or "application/octet-stream"
    )

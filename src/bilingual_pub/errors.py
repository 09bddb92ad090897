"""One exception family for everything a user can cause.

Each error carries the file (relative to the project when possible) and, where
there is one, the line.  The CLI prints ``error: path:line: message`` and exits 1.
"""

from __future__ import annotations

from pathlib import Path


class BookError(Exception):
    """An error in the user's book project: bad input, not a bug in the toolkit."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class ConfigError(BookError):
    """book.toml is missing, malformed or inconsistent."""


class SourceError(BookError):
    """A Markdown text cannot be read or parsed."""


class CatalogError(BookError):
    """A PO/POT file cannot be read."""


class BuildError(BookError):
    """An edition cannot be built (missing image, missing font, strict-mode warning...)."""


class LockError(BookError):
    """Another bilingual-pub process is working on the same project."""

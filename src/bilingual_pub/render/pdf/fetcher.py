"""The URL fetcher WeasyPrint reads through: local files of the book project, nothing else.

Books are built offline: a stylesheet, image or font outside the project (or on the
network) is refused, and WeasyPrint reports it and goes on without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


def make_url_fetcher(allowed_roots: list[Path]) -> Any:
    """A fetcher that serves local files under ``allowed_roots`` and refuses everything else."""
    from weasyprint.urls import URLFetcher

    roots = [root.resolve() for root in allowed_roots]

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"refusing to fetch {url!r}: books are built offline")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise ValueError(f"refusing to read {path}: outside the book project")
            return super().fetch(url, headers)

    return OfflineFetcher(allowed_protocols=["file"], fail_on_errors=False)

"""Debian's Chromium, driven by Playwright, for the tests of what a reader sees in a browser.

``needs_chromium`` skips a test where the browser is missing, except in CI (where
``make test`` installs it, so a missing browser is a failure); ``chromium()`` launches it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# as root, in a container, with no network to talk to
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="needs Debian's chromium (make test installs it); in CI this test always runs",
)


@contextmanager
def chromium() -> Iterator[Any]:
    """The headless browser, closed when the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        engine = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield engine
        finally:
            engine.close()

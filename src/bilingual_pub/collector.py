"""Python's cycle collector, set for a command's short run: the one place that tunes it.

A command imports some two hundred modules and then makes objects that mostly live
until it ends, hardly any of them in cycles; with Python's default threshold the
collector walks them all again and again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


def tune_collector() -> None:
    """Let the cycle collector run once per 50,000 new objects instead of once per 700.

    With the default threshold the collector took a tenth of a small book's EPUB
    build.  Cycles are still collected (peak memory of EPUB and PDF builds measured
    unchanged); mypy sets its threshold higher still for the same reason.
    """
    gc.set_threshold(50_000, 20, 20)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the catalogs are built.

    An update makes millions of small objects that live until it ends (tokens,
    segments, messages), hardly any of them in cycles (a few dozen on a
    20,000-paragraph book); the collector would walk them again and again, a
    third of the run.  Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

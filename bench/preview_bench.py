"""The live preview: from a catalog saved to the open page showing the change.

    python bench/preview_bench.py              # the sample book, 12 saves, two pages open
    python bench/preview_bench.py --saves 30

``bilingual-pub serve --port 0`` runs on a copy of the sample book in its own process;
headless Chromium (Debian's ``chromium``, driven by Playwright as the tests drive it)
opens the preview in two pages.  Each save changes one translation, in a different
text's catalog each time (as a translator's editor writes it: the whole file), and is
timed from just before the file is written to the moment both pages show the new
translation; the pages must not reload (a flag set in each page is checked after every
save).  Printed: each save's time, then the median, the fastest and the slowest.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))


def _change_one_translation(catalog: Path, marker: str) -> None:
    """Give the catalog's first translated paragraph a new sentence ending in ``marker``."""
    from bilingual_pub.catalogs.po_read import read_po
    from bilingual_pub.catalogs.po_write import render_po

    po = read_po(catalog)
    message = next(m for m in po.messages() if len(str(m.string)) > 80)
    message.string = f"{str(message.string).split(' Revisión')[0]} {marker}"
    text = render_po(po)
    catalog.write_text(text, encoding="utf-8")


def _start_server(root: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "bilingual_pub", "serve", "--port", "0"]
    server = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    line = server.stdout.readline()  # "serving http://127.0.0.1:PORT/ (Ctrl-C to stop)"
    if not line.startswith("serving "):
        server.kill()
        raise SystemExit(f"serve did not start: {line!r}")
    return server, line.split()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=12)
    args = parser.parse_args()
    from tests.bookgen import copy_sample_book
    from tests.browser import chromium

    with tempfile.TemporaryDirectory() as folder:
        root = copy_sample_book(Path(folder) / "sample")
        catalogs = _catalogs(root)
        server, url = _start_server(root)
        try:
            with chromium() as browser:
                pages = [browser.new_page() for _ in range(2)]
                for page in pages:
                    page.goto(url)
                    page.wait_for_function("document.body.dataset.version !== undefined")
                    page.evaluate("window.notReloaded = true")
                times = []
                for number in range(args.saves):
                    marker = f"Revisión {number + 1} del banco de pruebas."
                    catalog = catalogs[number % len(catalogs)]
                    start = time.perf_counter()
                    _change_one_translation(catalog, marker)
                    for page in pages:
                        page.wait_for_function(
                            "m => document.body.innerText.includes(m)", arg=marker, timeout=30_000
                        )
                    times.append(time.perf_counter() - start)
                    if not all(page.evaluate("window.notReloaded === true") for page in pages):
                        raise SystemExit("a page reloaded")
                    print(f"save {number + 1:>2} ({catalog.name}): {times[-1]:.3f} s", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(
        f"{len(times)} saves, both pages updated: median {statistics.median(times):.3f} s, "
        f"fastest {min(times):.3f} s, slowest {max(times):.3f} s"
    )


if __name__ == "__main__":
    main()

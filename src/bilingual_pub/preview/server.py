"""The preview server: the book's page, kept up to date while the translator works.

Routes: ``/`` the whole page; ``/state`` what changes on it (JSON: version, content);
``/events`` a stream of server-sent events, one per change, carrying the new version,
on which the page fetches ``/state`` and replaces its content in place (no reload: the
reader keeps their place).  A watcher thread reads the book again whenever a text, a
catalog, book.toml, a template or an image is saved; a book that cannot be read
(a broken catalog, say) shows its one-line error above the last good state.

The server listens on the loopback interface unless told otherwise, fetches nothing
from anywhere, and serves nothing but these three routes.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from bilingual_pub.errors import BookError
from bilingual_pub.preview.page import BookPreview, read_preview, render_content, render_page

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
WATCHED_FOLDERS = ("texts", "locales", "templates", "images", "fonts")
KEEP_ALIVE_SECONDS = 15.0  # a comment line on an idle event stream: a closed page is noticed


class LiveBook:
    """The book's last good preview, the error of the last reading if it failed, and a
    version number that grows with every reading."""

    def __init__(self, root: Path):
        self.root = root
        self.changed = threading.Condition()
        self.version = 0
        self.book: BookPreview | None = None
        self.error: str | None = None
        self.content = ""
        self.closed = False
        self.reload()

    def reload(self) -> None:
        book: BookPreview | None
        error: str | None
        try:
            book, error = read_preview(self.root), None
        except BookError as problem:  # the last good state stays, under the error
            book, error = self.book, str(problem)
            log.warning("error: %s", error)
        content = render_content(book, error)
        with self.changed:
            self.book, self.error, self.content = book, error, content
            self.version += 1
            self.changed.notify_all()

    def state(self) -> dict[str, object]:
        with self.changed:
            return {"version": self.version, "content": self.content, "error": self.error}

    def page(self) -> str:
        with self.changed:
            return render_page(self.book, self.error, self.version)

    def wait(self, seen: int, timeout: float) -> int:
        """The version once it differs from ``seen`` (or ``timeout`` passed, or closing)."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen or self.closed, timeout)
            return self.version

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()


class PreviewHandler(BaseHTTPRequestHandler):
    live: ClassVar[LiveBook]
    server_version = "bilingual-pub-preview"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/":
            self._send(200, "text/html; charset=utf-8", self.live.page().encode())
        elif path == "/state":
            body = json.dumps(self.live.state(), ensure_ascii=False).encode()
            self._send(200, "application/json", body)
        elif path == "/events":
            self._events()
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while not self.live.closed:
                version = self.live.wait(seen, KEEP_ALIVE_SECONDS)
                line = f"data: {version}\n\n" if version != seen else ": idle\n\n"
                self.wfile.write(line.encode())
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError):  # the page was closed
            return

    def log_message(self, format: str, *args: object) -> None:
        log.debug("preview: " + format, *args)


def watched(root: Path) -> Callable[[object, str], bool]:
    """Which changed files concern the preview: texts, catalogs, book.toml, templates,
    images and fonts (not the build folder)."""

    def wanted(_change: object, path: str) -> bool:
        try:
            parts = Path(path).resolve().relative_to(root).parts
        except ValueError:
            return False
        return parts == ("book.toml",) or (len(parts) > 1 and parts[0] in WATCHED_FOLDERS)

    return wanted


class PreviewServer:
    """The preview of the book at ``root`` on ``host:port`` (port 0: any free port).

    ``on_change`` runs after each change has been read (in the watcher's thread).
    """

    def __init__(
        self,
        root: Path,
        host: str = LOOPBACK,
        port: int = 8000,
        on_change: Callable[[], None] | None = None,
    ):
        self.root = root.resolve()
        self.live = LiveBook(self.root)
        handler = type("BookPreviewHandler", (PreviewHandler,), {"live": self.live})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.on_change = on_change
        self.stop = threading.Event()
        self.watcher = threading.Thread(target=self._watch, name="preview-watcher", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> None:
        """Watch and serve in background threads."""
        self.watcher.start()
        threading.Thread(target=self.httpd.serve_forever, name="preview-http", daemon=True).start()

    def serve_forever(self) -> None:
        self.watcher.start()
        try:
            self.httpd.serve_forever()
        finally:
            self.close()

    def close(self) -> None:
        self.stop.set()
        self.live.close()
        self.httpd.shutdown()
        self.httpd.server_close()

    def _watch(self) -> None:
        from watchfiles import watch

        changes = watch(
            self.root,
            watch_filter=watched(self.root),
            stop_event=self.stop,
            step=20,  # ms without a further change before one is reported
            raise_interrupt=False,
        )
        for changed in changes:
            log.info("preview: %d files changed; reading the book again", len(changed))
            self.live.reload()
            if self.on_change is not None:
                self.on_change()


class Rebuilder:
    """Runs ``build`` in its own thread after each change, one build at a time: changes
    saved while a build runs make one more build after it, not one each."""

    def __init__(self, build: Callable[[], None]):
        self.build = build
        self.wanted = threading.Event()
        threading.Thread(target=self._run, name="preview-rebuild", daemon=True).start()

    def __call__(self) -> None:
        self.wanted.set()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            try:
                self.build()
            except BookError as problem:  # shown on the page too; the next save tries again
                log.error("error: %s", problem)

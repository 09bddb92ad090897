"""Lay out a PDF edition's chapters in several processes and join them into one PDF.

A chapter opens on a right-hand page and is laid out as its own document
(render/pdf/layout.py), so its layout does not depend on the chapters before
it: only its page numbers do.  Worker processes therefore lay out the chapters (with the
repair passes) and write each one's pages without their page furniture (running
heads, page numbers).  As each chapter's page count arrives, in book order, this
process lays out that chapter's furniture alone on as many empty pages, with the
real page numbers; then the front matter with the real table of contents.  The
front matter and the furniture pages make one "frame" PDF, which WeasyPrint
writes with the book's metadata and links, and render/pdf/join.py draws each
chapter's pages under its furniture pages.

The furniture is checked, not assumed: a worker reports what each page's margin
boxes say, and a chapter whose separately laid-out furniture says something else
(a book template that sets running heads from inside the text, say) is laid out
again here, whole, with its real page numbers.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import bilingual_pub
from bilingual_pub.editions import BuildContext, Edition, build_context
from bilingual_pub.errors import BuildError
from bilingual_pub.model import Document
from bilingual_pub.render.pdf.bodies import ChapterBodies, ChapterBody, lay_out_body
from bilingual_pub.render.pdf.finish import finish_pdf
from bilingual_pub.render.pdf.furniture import furniture_of, strip_page_background
from bilingual_pub.render.pdf.join import Underlay, join_under_frame
from bilingual_pub.render.pdf.layout import EditionLayout, final_front

log = logging.getLogger(__name__)


class WorkerFailed(RuntimeError):
    """A worker process died or answered nonsense (not a problem of the book's)."""


@dataclass(frozen=True)
class WorkerSetup:
    document: Document
    edition: Edition
    root: Path
    built_at: datetime
    folder: Path
    log_level: int


@dataclass(frozen=True)
class WorkerReply:
    body: ChapterBody | None
    error: str | None  # a user error (BuildError) raised while laying the chapter out
    records: list[tuple[str, int, str]]  # logged in the worker: logger, level, message


def write_pdf_joined(
    document: Document, edition: Edition, target: Path, context: BuildContext, jobs: int
) -> None:
    """Lay out the chapters apart (taken from the chapter cache where it holds them, else
    in ``jobs`` worker processes, or here when ``jobs`` is 1), their furniture and the
    front matter here, and join them into ``target`` (or patch the previous build's
    edition with the changed chapters, render/pdf/reuse.py)."""
    with tempfile.TemporaryDirectory(prefix=".chapters-", dir=target.parent) as folder:
        work = Path(folder)
        layout = EditionLayout(document, edition, context)
        bodies = ChapterBodies(layout, context.cache_dir, work)
        workers = min(jobs, len(bodies.missing))
        with contextlib.ExitStack() as stack:
            futures: dict[int, Future[ChapterBody]] = {}
            if workers > 1:
                setup = WorkerSetup(
                    document,
                    edition,
                    context.root,
                    context.built_at,
                    work,
                    logging.getLogger("bilingual_pub").getEffectiveLevel(),
                )
                pool = stack.enter_context(_WorkerPool(setup, workers))
                futures = {index: pool.submit(index) for index in bodies.missing}
            in_order: Iterable[ChapterBody] = bodies.in_order(futures)
            patched = False
            if bodies.previous is not None:  # every chapter first: it may serve, patched
                in_order = list(in_order)
                patched = bodies.patch(in_order, target)
            if not patched:
                frame = _FrameBuilder(layout, len(layout.front(layout.placeholder_toc()).pages))
                for body in in_order:  # in book order, as each one is ready
                    frame.add(body)
        if not patched:
            _join(layout, frame, work, target, bodies)
    # tagged editions are laid out in one process (render/pdf/dispatch.py): nothing to tag
    finish_pdf(target, layout.standard, None, edition.main_language, edition.name)
    bodies.prune(document.config.languages)


def _join(
    layout: EditionLayout, frame: _FrameBuilder, work: Path, target: Path, bodies: ChapterBodies
) -> None:
    """The front matter with its contents, and the frame's pages joined with the chapters'."""
    front = final_front(layout, frame.book.toc_pages, frame.front_pages)
    pages = frame.book.with_front(front, layout.blank_page())
    _stand_in_anchors(pages)
    frame_pdf = work / "frame.pdf"
    layout.write(front.copy(pages), frame_pdf)
    report = join_under_frame(frame_pdf, frame.underlays, target)
    joined = list(zip(frame.joined, frame.underlays, strict=True))
    bodies.keep_edition(frame.front_pages, joined, report, target)


def _stand_in_anchors(pages: list[Any]) -> None:
    """Give the frame's links into chapters laid out elsewhere (the table of contents)
    a stand-in target, so that WeasyPrint keeps them; the join points them at the
    chapter's own destination."""
    anchors = {name for page in pages for name in page.anchors}
    wanted = {
        target
        for page in pages
        for kind, target, _, _ in page.links
        if kind == "internal" and target not in anchors
    }
    for name in wanted:
        pages[0].anchors[name] = (0, 0, 0, 0)


class _WorkerPool:
    """Worker processes (running ``serve``), each fed one
    chapter at a time by a thread of this process.

    Plain subprocesses rather than multiprocessing: nothing of this process (its
    Pango and fontconfig state, or a caller's unguarded ``__main__``) is forked or
    re-imported, and a worker that dies is an error here, not a hang.
    """

    def __init__(self, setup: WorkerSetup, jobs: int):
        self.setup = setup
        self.jobs = jobs
        self.tasks: queue.Queue[tuple[int, Future[ChapterBody]] | None] = queue.Queue()
        self.processes: list[subprocess.Popen[bytes]] = []
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> _WorkerPool:
        package_parent = str(Path(bilingual_pub.__file__).resolve().parent.parent)
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(
            [package_parent, *filter(None, [environment.get("PYTHONPATH")])]
        )
        for number in range(self.jobs):
            errors = open(self.setup.folder / f"worker-{number}.log", "w+b")
            process = subprocess.Popen(
                # -c, not -m: the worker's classes must pickle under this module's name
                [sys.executable, "-c", f"from {__name__} import serve; serve()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=environment,
            )
            self.processes.append(process)
            thread = threading.Thread(target=self._feed, args=(process, errors), daemon=True)
            self.threads.append(thread)
            thread.start()
        return self

    def submit(self, index: int) -> Future[ChapterBody]:
        future: Future[ChapterBody] = Future()
        self.tasks.put((index, future))
        return future

    def __exit__(self, *exc_info: object) -> None:
        for _ in self.threads:
            self.tasks.put(None)
        for process in self.processes:
            if exc_info[0] is not None:
                process.kill()
        for thread in self.threads:
            thread.join()
        for process in self.processes:
            process.wait()

    def _feed(self, process: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        with contextlib.suppress(OSError):  # a worker that died at start: its task says so
            send_frame(process.stdin, self.setup)
        with errors:
            while (task := self.tasks.get()) is not None:
                index, future = task
                try:
                    send_frame(process.stdin, index)
                    reply: WorkerReply = receive_frame(process.stdout)
                except Exception:  # whatever broke, the build waiting on it must hear of it
                    errors.seek(0)
                    message = errors.read().decode(errors="replace").strip()
                    future.set_exception(
                        WorkerFailed(f"a PDF layout worker stopped:\n{message[-4000:]}")
                    )
                    continue
                for name, level, text in reply.records:
                    logging.getLogger(name).log(level, "%s", text)
                if reply.error is not None:
                    future.set_exception(BuildError(reply.error))
                else:
                    assert reply.body is not None
                    future.set_result(reply.body)
            with contextlib.suppress(OSError):
                process.stdin.close()


def send_frame(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "big") + data)
    stream.flush()


def receive_frame(stream: IO[bytes]) -> Any:
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("the other side closed the pipe")
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other side closed the pipe")
    return pickle.loads(data)  # our own worker, over its own pipe


class _Records(logging.Handler):
    """Keeps a worker's log records, to be logged again by the building process."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def serve() -> None:
    """A worker: read the setup, then lay out chapters until the input ends."""
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt replies
    setup: WorkerSetup = receive_frame(requests)
    handler = _Records()
    logging.getLogger().addHandler(handler)
    logging.getLogger("bilingual_pub").setLevel(setup.log_level)
    layout = EditionLayout(setup.document, setup.edition, build_context(setup.root, setup.built_at))
    while True:
        try:
            index = receive_frame(requests)
        except EOFError:
            return
        handler.records = []
        try:
            reply = WorkerReply(lay_out_body(layout, index, setup.folder), None, handler.records)
        except BuildError as error:
            reply = WorkerReply(None, str(error), handler.records)
        send_frame(replies, reply)


class _FrameBuilder:
    """Collects, chapter by chapter in book order, the pages of the frame document."""

    def __init__(self, layout: EditionLayout, front_pages: int):
        self.layout = layout
        self.front_pages = front_pages
        self.book = layout.book_pages(front_pages)
        self.underlays: list[Underlay] = []
        self.joined: list[ChapterBody] = []  # the chapters of the underlays

    def add(self, body: ChapterBody) -> None:
        view = self.layout.views[body.index]
        start = self.book.next_page
        furniture = self.layout.furniture(view, start, body.pages)
        if furniture_of(furniture) == body.furniture:
            strip_page_background(furniture)  # the chapter's pages below paint it
            self.underlays.append(Underlay(body.pdf, first_page=start - 1))
            self.joined.append(body)
            pages = list(furniture.pages)
        else:
            log.info(
                "%s %s: running heads or page numbers differ when laid out apart; "
                "laying the chapter out here",
                self.layout.edition.name,
                view.id,
            )
            again = self.layout.chapter(view, start, keep=body.keep, push=body.push)
            pages = list(again.document.pages)
        self.book.add(view.id, pages)

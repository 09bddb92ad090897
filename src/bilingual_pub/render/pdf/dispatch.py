"""Writing a PDF edition: how many processes lay it out, and sending it to them.

One process lays the edition out (render/pdf/layout.py) unless the book has text
enough to repay starting workers (render/pdf/workers.py); a worker that fails is
reported and the edition laid out in this process.  With a chapter cache (a build's
default: render/pdf/cache.py), one process too lays the chapters out apart and joins
them, so that the next build lays out only the texts whose inputs changed.  A tagged
edition is always laid out in one process (joined pages fall outside its structure
tree).  The facing edition goes the same way: its chapters open on a new spread, so
each one's spreads are laid out, cut into pages and kept apart like a parallel chapter.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from bilingual_pub.editions import BuildContext, Edition
from bilingual_pub.model import Document
from bilingual_pub.render.pdf.layout import write_in_one_process
from bilingual_pub.render.pdf.workers import WorkerFailed, write_pdf_joined

log = logging.getLogger(__name__)

# Workers cost CPU time one process does not spend: about 1.5 s each to start (Python,
# WeasyPrint and its C declarations) and to subset fonts per chapter, and the running
# heads of every page laid out a second time.  Measured on the sample book (110,000
# characters, 53 pages): 9.6 s of CPU in one process, 14.5 s with two workers, and on a
# quiet machine 0.76-0.90x the time of one process (slower on a loaded one); on a
# 476-page book, 0.60x (see docs/benchmarks.md).  Below about this much text
# (characters, all languages of the edition) per worker, one process is about as fast.
TEXT_PER_WORKER = 100_000


def available_cpus() -> int:
    """The CPUs this process may run on (fewer than the machine's under a CPU limit)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(document: Document, edition: Edition, requested: int | None) -> int:
    """How many processes lay the edition's chapters out: as asked (at most one per
    chapter), or one per CPU when the book has enough text to repay starting them."""
    chapters = len(document.chapters)
    if requested is not None:
        return max(1, min(requested, chapters))
    text = sum(
        len(pair.text(lang))
        for chapter in document.chapters
        for pair in chapter.pairs.values()
        for lang in edition.languages
        if lang in pair.texts
    )
    return max(1, min(available_cpus(), chapters, text // TEXT_PER_WORKER))


def write_pdf(document: Document, edition: Edition, target: Path, context: BuildContext) -> None:
    """Lay the edition out and write it to ``target``, in worker processes where it pays."""
    jobs = worker_count(document, edition, context.jobs)
    if document.config.pdf.is_tagged:
        # a chapter laid out elsewhere (by a worker, or taken from the chapter cache) is
        # drawn as a form, outside the structure tree
        if jobs > 1 or context.cache_dir is not None:
            log.info("%s: a tagged edition is laid out in one process", edition.name)
        return write_in_one_process(document, edition, target, context)
    # with a chapter cache, even one process lays chapters out apart and joins them, so
    # that the next build lays out only the chapters whose inputs changed
    if jobs > 1 or context.cache_dir is not None:
        try:
            write_pdf_joined(document, edition, target, context, jobs)
            return
        except WorkerFailed as failure:
            log.warning("%s; laying the edition out in this process", failure)
    write_in_one_process(document, edition, target, context)

"""bilingual-pub: publish bilingual books from Markdown texts and gettext catalogs.

The pipeline, one module per stage::

    texts/*.md --sources--> SourceText --segments--> [Segment]
        --catalogs--> .pot/.po --document--> Document --render--> HTML/PDF, EPUB

The modules, in the order of the pipeline:

- ``errors``, ``model``: the exceptions a user can cause, with ``path:line``; every
  value that crosses a stage (segments, blocks, texts, pairs, chapters, the
  document, findings).
- ``config_keys``, ``config``: book.toml -> ``BookConfig``.
- ``markdown``, ``sources``: texts -> ``SourceText`` (block tree and segments).
- ``project``: the book on disk: its texts, catalogs and folders.
- ``catalogs/``: templates and catalogs: extract, merge, read and write PO, check, stats,
  and the ``update`` command.
- ``importing/``: an existing translation aligned into a catalog (``align``).
- ``document``: texts + catalogs -> ``Document``; the missing-translation policy.
- ``typography``: quotes, dashes and spaces per language, applied as writers render.
- ``editions``, ``assets``, ``fingerprint``: what an edition is and reads, the images it
  resolves, the hash that lets a rebuild skip it.
- ``render/``: the writers: the PDF's HTML, the PDF (WeasyPrint), the EPUB, the cover.
- ``build``: the ``build`` command: every requested edition, written atomically.
- ``preflight``: the built PDFs and covers checked as a printer checks them.
- ``files``, ``collector``: atomic writes and the project lock; the garbage collector's
  one setting place.
- ``scaffold``: ``init``'s new book.
- ``cli``: the command line, mapping options onto the library.
"""

from bilingual_pub.errors import BookError

__version__ = "0.1.0"

__all__ = ["BookError", "__version__"]

"""The local preview of a book: its parallel text, chapter by chapter, kept up to date.

The modules, each importing only those after it:

- ``server``: the HTTP server (loopback by default): the page, its state as JSON, and a
  stream of server-sent events telling each open page that the book changed; the
  watcher that reads the book again when a text, a catalog or book.toml is saved.
- ``page``: the book read for the preview (each segment's state, its catalog line and
  its ``check`` findings) and rendered to HTML.
"""

from bilingual_pub.preview.server import PreviewServer

__all__ = ["PreviewServer"]

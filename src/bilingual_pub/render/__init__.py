"""Writers: Document -> the PDF's HTML -> PDF (WeasyPrint), Document -> EPUB.

The modules and packages, each importing only those after it:

- ``cover``: the wrap-around print cover (back, spine, front), sized by the built interior.
- ``pdf/``: HTML -> PDF with WeasyPrint: the layout, the repair pass, worker processes.
- ``pdf_html``: Document -> the PDF's HTML documents (front matter, chapter, page
  furniture, blank page) from the templates; the chapters' rows and flow.
- ``pdf_blocks``: one language's blocks as the PDF's HTML: a table cell or the column.
- ``epub/``: Document -> EPUB 3: a list of small named steps, then the zip.
- ``fonts``: the book face, found before layout.
- ``front``: what the front matter says (title page, colophon, contents), per language.
- ``inline``: one segment's inline Markdown -> safe (X)HTML, for both writers.
- ``labels``: the few words an edition writes itself, per language.
"""

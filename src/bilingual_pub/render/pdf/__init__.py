"""HTML -> PDF with WeasyPrint: a PDF edition, laid out and written.

The modules, each importing only those after it:

- ``dispatch``: ``write_pdf``; how many processes lay the edition out (the worker-count
  policy), and the choice between one process and chapters laid out apart and joined
  (workers, or the chapter cache).
- ``workers``: the chapters laid out apart (from the chapter cache, in worker processes
  (the pool, the worker's entry point ``serve``) or here), their page furniture laid out
  here, and the pages joined.
- ``bodies``: the chapters laid out apart, from the chapter cache or laid out and kept
  there, and the previous build's edition patched when no page moved.
- ``cache``: the chapter cache: each text's laid-out pages kept between builds under the
  output folder's ``.cache``, keyed by what its layout reads, checked by checksum; the
  frame's key.
- ``reuse``: the previous build's edition, kept beside the chapter cache, with the changed
  chapters' pages, links, destinations and bookmarks replaced (pikepdf).
- ``join``: chapter PDFs drawn under their frame's pages into one PDF (pypdf).
- ``layout``: the edition's layout in one process: front matter, chapters, the book's
  pages in order (an even count).
- ``facing``: the facing edition's spreads (a chapter laid out two pages wide, as the
  parallel edition is) cut into left-hand and right-hand pages; its stylesheet.
- ``spread``: the facing edition synchronised at spreads: runs of pairs, one spread
  each, measured, placed and checked in the laid-out boxes.
- ``spread_plan``: where spread mode's spreads break: the plan (runs, each side's own
  page breaks, the white a side leaves so that both cross a page inside the same pair)
  and the placer that makes it from the measured pairs.
- ``finish``: the written edition read back: languages tagged, a PDF/X-1a file's
  colours in printing inks, what its standard requires checked.
- ``inks``: a PDF/X-1a file in CMYK and grey through its output intent, nothing
  transparent: its images, shadings, graphics states and colour spaces.
- ``ink_content``: the colour operators of a content stream in CMYK or grey.
- ``ink_check``: what on a page PDF/X-1a does not allow (RGB colour, transparency).
- ``ink_colours``: colours and pixels into an ICC profile's CMYK (littleCMS).
- ``tagging``: ``/Lang`` on the structure elements of a tagged PDF, after layout.
- ``content``: walking a content stream, each operator with its CTM and text matrix.
- ``colour_spaces``: what a PDF colour space is (device, ICC, RGB, Lab), and
  transparency, in the terms PDF/X-1a judges them by.
- ``standards``: the PDF standard (``[pdf] variant``) as WeasyPrint's options, and the
  output intent's ICC profile.
- ``furniture``: running heads and page numbers in laid-out pages: read, stripped.
- ``repair``: the repair pass, laying a chapter out until its parallel layout is clean,
  and the in-place repair of a side stranded at a page foot.
- ``spacing``: the pairs whose justified lines stretch their word spaces too far, and
  predicting them from an earlier layout of the chapter.
- ``faults``: the parallel layout's faults, read from the laid-out boxes.
- ``boxes``: walking WeasyPrint's laid-out boxes (pair rows and their cells).
- ``fetcher``: the URL fetcher: local files of the book project, nothing else.
"""

from bilingual_pub.render.pdf.dispatch import write_pdf

__all__ = ["write_pdf"]

"""bilingual-pub: publish bilingual books from Markdown texts and gettext catalogs.

The pipeline, one module per stage::

    texts/*.md --sources--> SourceText --segments--> [Segment]
        --catalogs--> .pot/.po --document--> Document --render--> HTML/PDF, EPUB
"""

from bilingual_pub.errors import BookError

__version__ = "0.1.0"

__all__ = ["BookError", "__version__"]

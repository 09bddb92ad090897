"""Writers: Document -> HTML (and PDF through WeasyPrint), Document -> EPUB."""

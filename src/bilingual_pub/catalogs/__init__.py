"""Gettext catalogs: extraction to POT, merging into PO, checks and statistics.

Babel's ``Catalog``/``Message`` model underneath; the PO reader and writer and the
merge are ours: Babel's reader loses the previous msgid and the verbatim header and
only warns on defects, its fuzzy matching is quadratic, and its writer wraps ``#|``
lines in a form ``msgfmt -c`` rejects.
"""

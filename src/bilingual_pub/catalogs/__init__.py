"""Gettext catalogs: extraction to POT, merging into PO, checks and statistics.

Babel's ``Catalog``/``Message`` model and PO reader underneath; the merge and the
PO writer are ours, because Babel's fuzzy matching is quadratic and its writer
wraps ``#|`` lines in a form ``msgfmt -c`` rejects.
"""

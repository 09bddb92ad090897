"""Gettext catalogs: extraction to POT, merging into PO, checks and statistics.

The ``Catalog``/``Message`` model (messages.py, in Babel's shapes), the PO reader and
writer and the merge are ours: Babel's reader loses the previous msgid and the verbatim
header and only warns on defects, its fuzzy matching is quadratic, its writer wraps ``#|``
lines in a form ``msgfmt -c`` rejects, and importing it was a tenth of a small build.
"""

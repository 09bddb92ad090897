"""Gettext catalogs: extraction to POT, merging into PO, checks and statistics.

The modules in pipeline order, each importing only those before it:

- ``messages``: the model: ``Message``, ``Catalog`` (in Babel's shapes) and ``PoFile``,
  a catalog with its header.
- ``headers``: every rule of the PO header: the template's and a new catalog's, reading
  and setting a field, the charset written, the date fields whose change is no change.
- ``po_strings``: gettext's string literals: escaped, checked, unescaped.
- ``po_read``: PO/POT text -> ``PoFile``, strict, every defect with its line.
- ``po_write``: ``PoFile`` -> PO/POT text in gettext's layout, ``msgfmt -c``-clean.
- ``extract``: a text -> its template (POT), one entry per distinct segment.
- ``fuzzy``: the index that finds an old msgid close to a new one.
- ``merge``: a template merged into a catalog: translations kept, fuzzy, obsolete.
- ``orphans``: a renamed text found by the catalog it left behind.
- ``update``: the ``update`` command over a project: extract, merge, write what changed.
- ``checks``: the findings of one catalog (placeholders, markup, fuzzy, untranslated).
- ``stats``: one catalog's progress against its template.
- ``review``: the stats and checks of the whole book, over the texts and their catalogs.

The model, the PO reader and writer and the merge are ours: Babel's reader loses the
previous msgid and the verbatim header and only warns on defects, its fuzzy matching is
quadratic, its writer wraps ``#|`` lines in a form ``msgfmt -c`` rejects, and importing it
was a tenth of a small build.
"""

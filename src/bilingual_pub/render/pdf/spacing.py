"""Word spaces in a laid-out chapter: the pairs whose justified lines stretch them too far.

Justified narrow columns stretch a line's spaces around a token that will not fit, or
a line of few long words.  WeasyPrint records, on each text box of a justified line, the
space it added to each word space; a pair with a line stretched beyond STRETCH_LIMIT is
set ragged-right in the chapter's next layout (render/pdf/layout.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bilingual_pub.render.pdf.boxes import cells, descendants, pair_rows
from bilingual_pub.render.pdf_html import ChapterView

# Space added to a word space, in ems of the text: with the face's own space of about a
# quarter em, a gap of over 0.95 em, about three times a justified column's median space
# (0.33 em on the sample book).  Measured (docs/benchmarks.md): at 0.6 em 37 of the sample
# book's 163 pairs went ragged, at 0.7 em 15, at 0.8 em 10 but the A5 worst-case book kept
# 0.45 % of its lines over four times its median space (none at 0.7 em).
STRETCH_LIMIT = 0.7


def stretched_rows(rendered: Any) -> frozenset[str]:
    """The ids of the pair rows with a line whose word spaces stretch beyond the limit."""
    from weasyprint.formatting_structure import boxes

    stretched = set()
    for page in rendered.pages:
        for row in pair_rows(page._page_box):
            for cell in cells(row):
                if any(
                    isinstance(box, boxes.TextBox)
                    and getattr(box, "justification_spacing", 0)
                    > STRETCH_LIMIT * box.style["font_size"]
                    for box in descendants(cell)
                ):
                    stretched.add(str(row.element.get("id")))
    return frozenset(stretched)


@dataclass(frozen=True)
class RaggedHint:
    """An earlier layout of a chapter: the rows it set ragged-right, and a digest of each
    row as it was then."""

    ragged: frozenset[str]
    rows: dict[str, str]


def row_digests(view: ChapterView) -> dict[str, str]:
    """A digest of each row of the chapter (its cells, classes and content), by id."""
    return {row.id: hashlib.sha256(repr(row).encode()).hexdigest() for row in view.rows if row.id}


def predicted_stretched(
    view: ChapterView,
    hint: RaggedHint,
    stretched_in: Callable[[ChapterView], frozenset[str]],
) -> frozenset[str]:
    """The rows whose justified lines stretch, without laying the whole chapter out: a
    row's lines depend on its own content and the columns' fixed widths only, not on
    where the pages break, so the rows unchanged since the ``hint``'s layout stretch as
    they did then, and only the changed ones are laid out (``stretched_in``, a document
    of those rows alone).  The caller checks the guess on the chapter's layout."""
    digests = row_digests(view)
    changed = [row for row in view.rows if row.id and hint.rows.get(row.id) != digests[row.id]]
    changed_ids = {row.id for row in changed}
    kept = frozenset(row for row in hint.ragged if row in digests and row not in changed_ids)
    return kept | (stretched_in(replace(view, rows=changed)) if changed else frozenset())

"""A chapter never ends on a page holding a line or two of its last paragraph (in the
facing edition: a spread holding two lines on one page and nothing on the other).

book.css gives a chapter's last paragraph ``widows: 5`` in every PDF layout: the flowing
column of a language's edition, the last row of the parallel and pair-mode tables, the
last side of the spread mode's last run.  Checked in WeasyPrint's laid-out boxes, and
on the sample book's English edition, whose second text ended on a page of two lines
before the rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from bilingual_pub.build import BuildRequest, build, load_document, make_context
from bilingual_pub.editions import Edition
from bilingual_pub.project import Project
from bilingual_pub.render.pdf.boxes import descendants
from bilingual_pub.render.pdf.layout import EditionLayout
from bilingual_pub.render.pdf.spread_plan import Plan, run_view
from tests.bookgen import copy_sample_book
from tests.test_facing import in_spread_mode

LAST_LINES = 5  # book.css: a chapter's last paragraph's widows


def _widows_by_language(rendered: Any) -> list[list[int]]:
    """The widows of each paragraph of a laid-out chapter, in order, in each language (a
    paragraph set on two pages counted once)."""
    from weasyprint.formatting_structure.boxes import BlockBox

    found: dict[str, dict[Any, int]] = {}
    for page in rendered.pages:
        for box in descendants(page._page_box):
            if isinstance(box, BlockBox) and box.element_tag == "p":
                side = found.setdefault(box.style["lang"], {})
                side.setdefault(box.element, box.style["widows"])
    return [list(side.values()) for side in found.values()]


def _chapter_layouts(project: Project, edition: Edition) -> Iterator[Any]:
    """Each chapter of the edition laid out alone, as the writer lays it out (in spread
    mode: as one run, each side flowing)."""
    layout = EditionLayout(load_document(project), edition, make_context(project))
    spread = project.config.pdf.facing_sync == "spread" and edition.facing
    for view in layout.views:
        yield layout.render_chapter(run_view(view, Plan()) if spread else view, 1)


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["en", "parallel", "facing", "facing-spread"])
def test_only_a_chapters_last_paragraph_keeps_five_lines_together(
    tmp_path: Path, edition: str
) -> None:
    project = Project.open(copy_sample_book(tmp_path))
    if edition == "facing-spread":
        project, edition = in_spread_mode(project), "facing"
    languages = project.config.languages
    chosen = Edition(edition, (edition,) if edition in languages else languages)
    for rendered in _chapter_layouts(project, chosen):
        sides = _widows_by_language(rendered)
        assert len(sides) == len(chosen.languages)
        for widows in sides:
            assert widows[-1] == LAST_LINES
            assert set(widows[:-1]) == {2}


def _text_lines(page: Any) -> int:
    """Lines of text on a page, its running head and folio left out (0: a blank page)."""
    tops = {round(word["top"]) for word in page.extract_words()}
    return max(0, len(tops) - 2)


def _chapter_starts(path: Path) -> list[int]:
    """The index of each text's first page, from the outline (after the contents)."""
    reader = PdfReader(path)
    top = [item for item in reader.outline if not isinstance(item, list)]
    return [reader.get_destination_page_number(item) for item in top[1:]] + [len(reader.pages)]


@pytest.mark.slow
def test_no_text_of_the_sample_book_ends_on_a_page_of_a_line_or_two(tmp_path: Path) -> None:
    """Before the rule the English edition's second text ended on two lines."""
    project = Project.open(copy_sample_book(tmp_path))
    build(project, BuildRequest(formats=("pdf",), editions=("en", "es"), jobs=1))
    for language in ("en", "es"):
        path = project.root / "build" / f"alliance-{language}.pdf"
        starts = _chapter_starts(path)
        assert len(starts) == len(project.texts()) + 1
        with pdfplumber.open(path) as pdf:
            last_pages = []
            for start, end in pairwise(starts):
                lines = [_text_lines(pdf.pages[index]) for index in range(start, end)]
                last_pages.append(next(count for count in reversed(lines) if count))
        assert min(last_pages) >= 3, (language, last_pages)

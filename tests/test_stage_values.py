"""The values that cross the pipeline's stages and the edges they meet: every block kind
through every walker of the block tree, the one atomic write, the one collector setting."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from bilingual_pub.build import load_document, make_context
from bilingual_pub.collector import collector_paused, tune_collector
from bilingual_pub.editions import editions_for
from bilingual_pub.files import write_via_temporary
from bilingual_pub.model import Block, iter_figures, iter_segments, text_segments
from bilingual_pub.project import Project
from bilingual_pub.render.epub.chapters import ChapterWriter
from bilingual_pub.render.epub.images import ImageStore
from bilingual_pub.render.epub.links import LinkResolver
from bilingual_pub.render.pdf_html import chapter_views
from tests.harness import make_book
from tests.po_support import run_update

SAMPLE_IMAGE = Path(__file__).parent.parent / "images" / "alliance-map.svg"

EVERY_KIND = """\
# The title

A paragraph.[^n]

![The map](../images/map.svg)

1. an item
   - a nested item

> quoted words

| left | right |
|------|------:|
| one  | two   |

```python
print("code")
```

<div class="aside">raw</div>

---

[^n]: The note.

    - a list in the note
"""


def _kinds(blocks: tuple[Block, ...]) -> set[str]:
    return {type(block).__name__ for block in blocks}


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory) -> Project:
    book = make_book(tmp_path_factory.mktemp("kinds") / "book", {"01-a.md": EVERY_KIND})
    (book / "images").mkdir()
    shutil.copy(SAMPLE_IMAGE, book / "images" / "map.svg")
    run_update(book)
    return Project.open(book)


def test_every_block_kind_passes_every_walker(every_kind: Project) -> None:
    document = load_document(every_kind)
    [chapter] = document.chapters
    blocks = chapter.text.blocks
    assert _kinds(blocks) == {
        "Heading", "Paragraph", "Figure", "ListBlock", "Quote", "Table", "Code", "RawHtml", "Rule"
    }
    assert [segment.text for segment in iter_segments(blocks)] == [
        "The title", "A paragraph.[^n]", "The map", "an item", "a nested item", "quoted words",
        "left", "right", "one", "two",
    ]
    assert [figure.src for figure in iter_figures(blocks)] == ["../images/map.svg"]
    assert [s.text for s in text_segments(chapter.text)][-2:] == ["The note.", "a list in the note"]

    context = make_context(every_kind)
    parallel, _facing, english, _ = editions_for(document.languages)
    [view] = chapter_views(document, parallel, context)
    assert [row.kind for row in view.rows] == [
        "heading", "paragraph", "figure", "caption", "item", "item", "quote", "table", "code",
        "html", "rule",
    ]
    [view] = chapter_views(document, english, context)
    for html in ("<h1", "<ol", "<blockquote>", "<table", "<pre><code>", "<hr/>", "<figure"):
        assert html in view.flow, html

    writer = ChapterWriter(
        chapter,
        languages=document.languages,
        raw_html=False,
        images=ImageStore(lambda location, src: context.resolve_image(location, src)),
        links=LinkResolver({}, {}),
    )
    rendered = writer.render("t01.xhtml")
    for html in ("<h1", "<ol", "<blockquote>", "<table", '<pre class="code">', "<hr/>", "<figure"):
        assert html in rendered.body, html
    assert "a list in the note" in rendered.notes


def test_the_pdf_footnote_shows_its_paragraphs_only(every_kind: Project) -> None:
    """Unchanged behaviour, now said in the walker: a list in a note is left out of the PDF."""
    document = load_document(every_kind)
    parallel = editions_for(document.languages)[0]
    [view] = chapter_views(document, parallel, make_context(every_kind))
    [paragraph] = [row for row in view.rows if row.kind == "paragraph"]
    html = "".join(cell.html for cell in paragraph.cells)
    assert "The note." in html
    assert "a list in the note" not in html


# -- the one atomic write --------------------------------------------------------------


def test_a_writer_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "book.pdf"
    target.write_bytes(b"old edition")

    def fail_halfway(path: Path) -> None:
        path.write_bytes(b"half")
        raise RuntimeError("layout failed")

    with pytest.raises(RuntimeError, match="layout failed"):
        write_via_temporary(target, fail_halfway)
    assert target.read_bytes() == b"old edition"
    assert [p.name for p in tmp_path.iterdir()] == ["book.pdf"]


def test_a_written_edition_is_readable_by_all_and_replaces_the_old(tmp_path: Path) -> None:
    target = tmp_path / "out" / "book.epub"
    write_via_temporary(target, lambda path: path.write_bytes(b"first"))
    assert target.stat().st_mode & 0o777 == 0o644  # the temporary file was private (0600)
    write_via_temporary(target, lambda path: path.write_bytes(b"second"))
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["book.epub"]


# -- the one collector setting ---------------------------------------------------------


def test_the_collector_is_tuned_and_paused_in_one_place() -> None:
    threshold = gc.get_threshold()
    try:
        tune_collector()
        assert gc.get_threshold() == (50_000, 20, 20)
    finally:
        gc.set_threshold(*threshold)
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()

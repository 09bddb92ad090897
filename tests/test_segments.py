"""Markdown -> segments: one fixture per block type, compared with its expected JSON.

Each ``tests/fixtures/segments/<case>.md`` has ``<case>.json`` listing the text's
language and every segment as ``{"line", "kind", "msgid"}``.  Regenerate with
``pytest tests/test_segments.py --update-goldens`` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilingual_pub.errors import SourceError
from bilingual_pub.model import Code, Figure, ListBlock, RawHtml, text_segments
from bilingual_pub.sources import parse_text, read_text

FIXTURES = Path(__file__).parent / "fixtures" / "segments"
CASES = sorted(path.stem for path in FIXTURES.glob("*.md"))


def segments_of(name: str, *, raw_html: bool = False) -> dict[str, object]:
    source = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    text = parse_text(
        source, path=f"texts/{name}.md", default_lang="en", languages=("en", "es"), raw_html=raw_html
    )
    return {
        "lang": text.lang,
        "segments": [
            {"line": s.location.line, "kind": s.kind.value, "msgid": s.text}
            for s in text_segments(text)
        ],
    }


def test_there_is_a_case_per_block_type() -> None:
    assert set(CASES) >= {
        "heading", "paragraph", "list", "blockquote", "table", "figure", "footnote", "code",
        "html", "front_matter",
    }


@pytest.mark.parametrize("name", CASES)
def test_segments_match_expected(name: str, update_goldens: bool) -> None:
    found = segments_of(name)
    expected_path = FIXTURES / f"{name}.json"
    if update_goldens:
        expected_path.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert found == expected


@pytest.mark.parametrize("name", CASES)
def test_every_line_points_at_its_segment(name: str) -> None:
    """The reference line holds the segment's first word (a table row holds its cells)."""
    lines = (FIXTURES / f"{name}.md").read_text(encoding="utf-8").splitlines()
    for segment in segments_of(name)["segments"]:  # type: ignore[attr-defined]
        if not segment["msgid"]:
            continue  # an image without alt text: no caption, nothing to translate
        first_word = segment["msgid"].split()[0].strip("*_`[]!()<>#")
        assert first_word in lines[segment["line"] - 1], segment


def test_wrapped_paragraph_is_one_normalised_msgid() -> None:
    [first, *_] = segments_of("paragraph")["segments"]  # type: ignore[misc]
    assert first["msgid"].startswith("A paragraph wrapped over three lines, with *emphasis*")
    assert "  " not in first["msgid"] and "\n" not in first["msgid"]


def test_inline_markup_stays_markdown() -> None:
    msgid = segments_of("paragraph")["segments"][0]["msgid"]  # type: ignore[index]
    for markup in ("*emphasis*", "**strong**", "`code spans`",
                   '[link](https://example.org/b "Title")', "[^1]"):
        assert markup in msgid


def test_code_and_html_blocks_are_kept_but_not_translated() -> None:
    code = parse_text(
        (FIXTURES / "code.md").read_text(), path="texts/code.md", default_lang="en",
        languages=("en", "es"),
    )
    assert [b.info for b in code.blocks if isinstance(b, Code)] == ["python", ""]
    assert all("not translated" not in s.text for s in text_segments(code))


@pytest.mark.parametrize("raw_html", [False, True])
def test_html_blocks_are_not_segments_whatever_raw_html_says(raw_html: bool) -> None:
    # raw_html decides how an HTML block is rendered, never whether it is translated
    text = parse_text(
        (FIXTURES / "html.md").read_text(), path="texts/html.md", default_lang="en",
        languages=("en", "es"), raw_html=raw_html,
    )
    assert sum(isinstance(b, RawHtml) for b in text.blocks) == 2
    assert [s.text for s in text_segments(text)] == [
        "A paragraph with <span>inline HTML</span> kept in the msgid."
    ]


def test_figure_caption_is_the_alt_text() -> None:
    text = parse_text(
        (FIXTURES / "figure.md").read_text(), path="texts/figure.md", default_lang="en",
        languages=("en", "es"),
    )
    figures = [b for b in text.blocks if isinstance(b, Figure)]
    assert [(f.src, f.title, f.segment.text) for f in figures] == [
        ("images/map.svg", "Map", "A map of the *border* region"),
        ("images/no-caption.png", "", ""),
    ]


def test_front_matter_language() -> None:
    assert segments_of("front_matter")["lang"] == "es"
    assert segments_of("paragraph")["lang"] == "en"


def _parse(source: str) -> object:
    return parse_text(source, path="texts/t.md", default_lang="en", languages=("en", "es"))


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("---\nlang: es\n\n# Never closed\n", 1, "front matter is not closed"),
        ("---\nlang: es\ntitle: x\n---\n\nText.\n", 3, "unknown key 'title'"),
        ("---\njust words\n---\n\nText.\n", 2, "expected 'key: value'"),
    ],
)
def test_front_matter_errors(source: str, line: int, message: str) -> None:
    """(a language the book does not have: tests/test_bad_input.py, through the command)"""
    with pytest.raises(SourceError) as caught:
        _parse(source)
    assert caught.value.line == line
    assert message in caught.value.message
    assert caught.value.path == "texts/t.md"


def test_text_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    path = tmp_path / "texts" / "bad.md"
    path.write_bytes(b"# Title\n\nFine.\n\nNot fine: " + "año".encode("latin-1") + b"\n")
    with pytest.raises(SourceError) as caught:
        read_text(path, root=tmp_path, default_lang="en", languages=("en", "es"))
    assert (caught.value.path, caught.value.line) == ("texts/bad.md", 5)


def test_binary_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    path = tmp_path / "texts" / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SourceError, match="not a text file"):
        read_text(path, root=tmp_path, default_lang="en", languages=("en", "es"))


def test_crlf_and_bom_texts_give_the_same_segments(tmp_path: Path) -> None:
    source = (FIXTURES / "list.md").read_text(encoding="utf-8")
    (tmp_path / "texts").mkdir()
    path = tmp_path / "texts" / "list.md"
    path.write_bytes(b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode())
    text = read_text(path, root=tmp_path, default_lang="en", languages=("en", "es"))
    found = [(s.location.line, s.kind.value, s.text) for s in text_segments(text)]
    expected = [(s["line"], s["kind"], s["msgid"]) for s in segments_of("list")["segments"]]  # type: ignore[attr-defined]
    assert found == expected


@pytest.mark.parametrize(
    ("source", "label", "line"),
    [
        ("A note.[^a]\n\n[^a]: Used.\n\n[^b]: Never referenced.\n", "b", 5),
        ("A note.[^A]\n\n[^a]: Labels are case-sensitive.\n", "a", 3),
    ],
)
def test_unreferenced_footnote_is_an_error_not_a_silent_loss(
    source: str, label: str, line: int
) -> None:
    # markdown-it drops a footnote definition nothing refers to, text and all
    with pytest.raises(SourceError) as caught:
        _parse(source)
    assert caught.value.line == line
    assert caught.value.message.startswith(f"footnote [^{label}] is never referenced")


def test_footnotes_referenced_from_headings_cells_and_notes_count() -> None:
    """Inline Markdown is parsed only where an image or a note reference may be: all are seen."""
    text = parse_text(
        "# A title[^t]\n\n| a | b |\n|---|---|\n| cell[^c] | ![x](x.png) |\n\n"
        "- ![only an image](i.png)\n\n"
        "[^t]: The title's note, which cites another.[^n]\n\n[^c]: The cell's note.\n\n"
        "[^n]: Cited by a note.\n",
        path="texts/t.md", default_lang="en", languages=("en", "es"),
    )
    assert [note.label for note in text.footnotes] == ["t", "c", "n"]
    [item] = next(b for b in text.blocks if isinstance(b, ListBlock)).items
    assert isinstance(item.blocks[0], Figure) and item.blocks[0].segment.text == "only an image"
    assert "cell[^c]" in [s.text for s in text_segments(text)]

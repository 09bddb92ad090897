"""Columns that hold any text: long code, URLs and words never leave their column, word
spaces do not blow out, running heads stay on one line.

The slow tests build the worst-case book (tests/bookgen.py) at 6 x 9 in and A5, and the
sample book, and read every PDF edition back (tests/pdf_layout.py).
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from bilingual_pub.build import BuildRequest, build, load_document
from bilingual_pub.config import PdfConfig, load_config
from bilingual_pub.errors import ConfigError
from bilingual_pub.project import Project
from bilingual_pub.render.heads import ELLIPSIS, head_width, running_head_fitter, shorten
from bilingual_pub.render.inline import BREAK, code_breaks, plain_text, render_inline, url_breaks
from tests.bookgen import (
    WORST_TITLE_EN,
    WORST_TITLE_ES,
    WORST_URL,
    copy_sample_book,
    write_book,
    write_worst_case_book,
)
from tests.browser import chromium, needs_chromium
from tests.harness import book_toml, make_book
from tests.pdf_layout import check_parallel_pdf, column_overflows, word_spaces
from tests.test_pdf import parallel_views

# ---- break opportunities ----


def shown(html: str) -> str:
    return html.replace(BREAK, "|")


def test_long_code_spans_break_after_dots_slashes_underscores_parens_commas_and_before_colons() -> (
    None
):
    assert shown(code_breaks("itertools.combinations_with_replacement(iterable, r)")) == (
        "itertools.|combinations_|with_|replacement(|iterable, r)"
    )
    assert shown(code_breaks("std::collections::hash_map::DefaultHasher")) == (
        "std|::collections|::hash_|map|::DefaultHasher"
    )
    assert code_breaks("os.path.join") == "os.path.join"  # short: as typed


def test_long_urls_break_after_slashes_dots_and_query_marks_without_a_hyphen() -> None:
    assert shown(url_breaks("https://example.org/a-long/path?x=1&y=2")) == (
        "https://|example.|org/|a-|long/|path?|x=|1&|y=|2"
    )
    assert shown(url_breaks("https://example.org/?version=3.12")) == (
        "https://|example.|org/?|version=|3.12"  # a version number stays whole
    )


def test_rendered_text_carries_the_breaks_and_marks_urls_while_plain_text_does_not() -> None:
    text = f"See `concurrent.futures.ProcessPoolExecutor` and {WORST_URL}."
    html = render_inline(text)
    assert "<code>concurrent.\u200bfutures.\u200bProcessPoolExecutor</code>" in html
    assert '<span class="url">https://\u200bdocs.' in html
    assert html.endswith("</span>.")  # the sentence's full stop is not the URL's
    assert render_inline("Plain words only.") == "Plain words only."
    assert BREAK not in plain_text(text)
    link = render_inline(f"[{WORST_URL}]({WORST_URL})")
    assert f'href="{WORST_URL.replace("&", "&amp;")}"' in link  # the target as written


def test_weasyprint_breaks_at_the_marks_and_the_pdf_text_holds_none(tmp_path: Path) -> None:
    from weasyprint import HTML

    code = render_inline("`collections.abc.MutableMapping.setdefault_when_missing_value`")
    html = (
        "<style>@page { margin: 0 } body { margin: 0 }</style>"
        f'<p style="width: 90pt; font: 9pt serif">The {code} call.</p>'
    )
    HTML(string=html).write_pdf(tmp_path / "narrow.pdf")
    with pdfplumber.open(tmp_path / "narrow.pdf") as pdf:
        page = pdf.pages[0]
        assert page.chars and all(char["x1"] <= 90.5 for char in page.chars)
        lines = page.extract_text().splitlines()
    assert BREAK not in "".join(lines)
    # broken only at a space or a mark, after one of . _ (never a hyphen added)
    assert len(lines) > 3
    assert " ".join(lines).replace(". ", ".").replace("_ ", "_") == (
        "The collections.abc.MutableMapping.setdefault_when_missing_value call."
    )


# ---- running heads ----


def widths(text: str) -> float:
    return 5.0 * len(text)


def test_a_head_that_fits_is_kept_and_a_long_one_is_cut_at_a_word_with_an_ellipsis() -> None:
    assert shorten("Short title", 100, widths) == "Short title"
    cut = shorten(WORST_TITLE_EN, 200, widths)
    assert cut.endswith(ELLIPSIS) and widths(cut) <= 200
    assert WORST_TITLE_EN.startswith(cut[:-1]) and WORST_TITLE_EN[len(cut) - 1] == " "
    assert shorten("Electroencefalografista", 40, widths) == "Electro" + ELLIPSIS


def test_heads_are_measured_in_the_book_face_against_their_room(tmp_path: Path) -> None:
    pdf = PdfConfig(page_size="A5")
    assert head_width(pdf, parallel=True) < head_width(pdf, parallel=False) / 2
    fit = running_head_fitter(pdf, tmp_path, parallel=True)
    assert fit("Equals") == "Equals"
    assert fit(WORST_TITLE_EN) != WORST_TITLE_EN and fit(WORST_TITLE_EN).endswith(ELLIPSIS)


# ---- [pdf] justify ----


def test_justify_is_a_book_setting_and_a_bad_value_names_its_line(tmp_path: Path) -> None:
    toml = book_toml(tables={"pdf": {"page_size": "6in 9in", "justify": False}})
    (tmp_path / "book.toml").write_text(toml, encoding="utf-8")
    assert load_config(tmp_path).pdf.justify is False
    bad = toml.replace("justify = false", 'justify = "no"')
    (tmp_path / "book.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.line == bad.splitlines().index('justify = "no"') + 1
    assert "pdf.justify" in caught.value.message


# ---- the built books ----


def pdf_editions(project: Project) -> list[Path]:
    return sorted((project.root / "build").glob("*.pdf"))


def assert_columns_hold(project: Project) -> None:
    """No character outside its column or off the page, running heads on one line, in every
    PDF edition; and in the parallel one all text found in order, pairs aligned."""
    views = parallel_views(project)
    pdf = project.config.pdf
    parallel = project.root / "build" / f"{project.config.slug}-parallel.pdf"
    editions = pdf_editions(project)
    assert parallel in editions and len(editions) >= 3
    for path in editions:
        assert column_overflows(path, pdf, views if path == parallel else None) == [], path.name
    report = check_parallel_pdf(parallel, views, pdf)
    assert report.pairs and report.problems == []
    assert [pair.row_id for pair in report.misaligned(tolerance=1.0)] == []


@pytest.fixture(scope="module", params=["6in 9in", "A5"])
def worst_book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("worst-case-book")
    project = write_worst_case_book(root, page_size=request.param)
    build(project, BuildRequest(formats=("pdf",)))
    return project


@pytest.mark.slow
def test_the_worst_cases_stay_in_their_columns_in_every_pdf_edition(worst_book: Project) -> None:
    assert_columns_hold(worst_book)


@pytest.mark.slow
def test_the_worst_cases_do_not_blow_out_word_spaces(worst_book: Project) -> None:
    build_dir = worst_book.root / "build"
    slug, pdf = worst_book.config.slug, worst_book.config.pdf
    parallel = word_spaces([build_dir / f"{slug}-parallel.pdf"], pdf, parallel=True)
    single = word_spaces(
        [build_dir / f"{slug}-{lang}.pdf" for lang in worst_book.config.languages],
        pdf,
        parallel=False,
    )
    assert parallel.lines > 300 and single.lines > 200
    assert parallel.share < 0.005, parallel.wide
    assert single.share < 0.005, single.wide


@pytest.mark.slow
def test_the_sample_book_stays_in_its_columns_in_every_pdf_edition(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    project = Project.open(copy_sample_book(tmp_path_factory.mktemp("sample-book")))
    build(project, BuildRequest(formats=("pdf",)))
    assert_columns_hold(project)


@pytest.mark.slow
def test_ragged_right_columns_when_the_book_asks(tmp_path: Path) -> None:
    project = write_book(tmp_path, chapters=1, paragraphs=12, features=False)
    toml = project.root / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "justify = false\n", encoding="utf-8")
    project = Project.open(tmp_path)
    build(project, BuildRequest(formats=("pdf",), editions=("parallel",)))
    path = tmp_path / "build" / f"{project.config.slug}-parallel.pdf"
    spaces = word_spaces([path], project.config.pdf, parallel=True, limit=1.5)
    assert spaces.lines > 100 and spaces.wide == []  # every word space its natural width


# ---- a short title for the running heads ----


def head_text(path: Path, pdf: PdfConfig) -> list[str]:
    """What the running heads of each page say (the text above the text block)."""
    from tests.pdf_layout import points

    with pdfplumber.open(path) as document:
        return [
            "".join(c["text"] for c in page.chars if c["top"] < points(pdf.margin_top) - 1)
            for page in document.pages
        ]


def write_running_head_book(root: Path) -> Project:
    body = "\n\n".join(
        f"Paragraph {number} about the probes, long enough to fill the page with words. " * 6
        for number in range(12)
    )
    text = f"---\nrunning_head: DTrace and SystemTap\n---\n\n# {WORST_TITLE_EN}\n\n{body}\n"
    translations = {"DTrace and SystemTap": "DTrace y SystemTap", WORST_TITLE_EN: WORST_TITLE_ES}
    make_book(
        root,
        {"01-probes.md": text},
        toml=book_toml(tables={"pdf": {"page_size": "A5"}}),
        translations=lambda source: translations.get(source, f"ES {source}"),
    )
    return Project.open(root)


def test_a_texts_running_head_is_extracted_for_translation_with_its_type(tmp_path: Path) -> None:
    project = write_running_head_book(tmp_path)
    po = next((tmp_path / "locales").rglob("01-probes.po")).read_text(encoding="utf-8")
    entry = po[po.index("#. type: running head") :]
    assert "#: texts/01-probes.md:2" in entry
    assert 'msgid "DTrace and SystemTap"\nmsgstr "DTrace y SystemTap"' in entry
    chapter = load_document(project).chapters[0]
    assert chapter.running_head is not None and chapter.title is not None
    assert chapter.running_head.text("es") == "DTrace y SystemTap"


@pytest.mark.slow
def test_running_heads_say_the_texts_short_title_in_both_languages(tmp_path: Path) -> None:
    project = write_running_head_book(tmp_path)
    build(project, BuildRequest(formats=("pdf",), editions=("parallel", "es")))
    parallel = head_text(tmp_path / "build" / "testbook-parallel.pdf", project.config.pdf)
    single = head_text(tmp_path / "build" / "testbook-es.pdf", project.config.pdf)
    assert "DTrace and SystemTapDTrace y SystemTap" in parallel
    assert "DTrace y SystemTap" in single
    assert not any("Instrument" in head for head in parallel + single)


# ---- the EPUBs, laid out by a real browser engine ----

# every line of text inside the block that holds it, and nothing wider than the screen
OVERFLOWS = """() => {
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    const block = node.parentElement.closest("p, td, th, h1, h2, h3, h4, li, figcaption, div");
    if (!block) continue;
    const box = block.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.width && (rect.left < box.left - 1 || rect.right > box.right + 1)) {
        bad.push(node.data.slice(0, 60));
        break;
      }
    }
  }
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth + 1) bad.push(`page ${page.scrollWidth} px wide`);
  return bad;
}"""


@pytest.mark.slow
@needs_chromium
def test_the_worst_cases_stay_in_their_columns_in_the_epubs(tmp_path: Path) -> None:
    import zipfile

    project = write_worst_case_book(tmp_path / "book")
    written = build(project, BuildRequest(formats=("epub",))).written
    assert len(written) == 3  # the parallel EPUB and one per language
    chapters = []
    for epub in written:
        unpacked = tmp_path / epub.stem
        with zipfile.ZipFile(epub) as archive:
            archive.extractall(unpacked)
        chapters += sorted((unpacked / "EPUB").glob("t0*.xhtml"))
    assert len(chapters) == 6
    for chapter in chapters:  # marks a reader's copy or search never meets
        xhtml = chapter.read_text(encoding="utf-8")
        assert "<wbr/>" in xhtml and BREAK not in xhtml
    with chromium() as engine:
        for width in (360, 1000):  # a phone (the languages stacked), side by side
            page = engine.new_page(viewport={"width": width, "height": 1200})
            for chapter in chapters:
                page.goto(chapter.as_uri())
                assert page.evaluate(OVERFLOWS) == [], (chapter.name, width)
            page.close()

"""bilingual-pub align: an existing translation brought into a text's catalog."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bilingual_pub.catalogs.messages import translation_text
from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.catalogs.update import update
from bilingual_pub.cli import main
from bilingual_pub.errors import CatalogError
from bilingual_pub.importing.reading import read_translation
from bilingual_pub.importing.run import AlignOptions, align_translation
from bilingual_pub.model import text_segments
from bilingual_pub.project import Project
from tests.align_corpus import (
    catalog_translations,
    generated_book,
    perturb,
    score,
    translated_corpus,
)
from tests.bookgen import copy_sample_book
from tests.harness import make_book
from tests.po_support import assert_msgfmt_ok

FIXTURES = Path(__file__).parent / "fixtures" / "align"
ROOT = Path(__file__).resolve().parents[1]
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def kinds_book(root: Path) -> Project:
    """A book of one text with every Markdown block kind, its catalog made by update."""
    make_book(
        root,
        {"01-kinds.md": (FIXTURES / "kinds.md").read_bytes()},
        files={"images/diagram.svg": SVG, "kinds.es.md": (FIXTURES / "kinds.es.md").read_bytes()},
    )
    project = Project.open(root)
    update(project)
    return Project.open(root)


def catalog(project: Project) -> dict[str, tuple[str, bool]]:
    po = read_po(project.po_path(project.texts()[0]))
    return {str(m.id): (translation_text(m), m.fuzzy) for m in po.messages()}


def run_align(project: Project, translation: Path, **options: bool) -> object:
    text = project.root / project.texts()[0].path
    return align_translation(project, text, translation, AlignOptions(**options))


# --- a translated book with every block kind ------------------------------------------


def test_every_block_kind_gets_exactly_its_translation(tmp_path: Path) -> None:
    project = kinds_book(tmp_path / "book")
    run_align(project, tmp_path / "book" / "kinds.es.md")
    text = project.texts()[0]
    sources = [s for s in text_segments(text) if s.text]
    wanted = read_translation(tmp_path / "book" / "kinds.es.md", display="t", languages=["en", "es"])
    assert len(sources) == len(wanted.blocks) == 24
    got = catalog(project)
    for source, block in zip(sources, wanted.blocks, strict=True):
        assert got[source.text] == (block.text, True), source.location
    assert_msgfmt_ok(project.po_path(text))


def test_docx_and_odt_of_the_same_translation_give_the_same_catalog(tmp_path: Path) -> None:
    pypandoc = pytest.importorskip("pypandoc")
    markdown_book = kinds_book(tmp_path / "md")
    run_align(markdown_book, tmp_path / "md" / "kinds.es.md")
    expected = markdown_book.po_path(markdown_book.texts()[0]).read_text(encoding="utf-8")
    for suffix in ("docx", "odt"):
        book = kinds_book(tmp_path / suffix)
        document = tmp_path / suffix / f"kinds.es.{suffix}"
        pypandoc.convert_file(
            str(tmp_path / suffix / "kinds.es.md"),
            suffix,
            format="commonmark_x",
            outputfile=str(document),
            extra_args=[f"--resource-path={tmp_path / suffix / 'texts'}"],
        )
        report = run_align(book, document)
        got = book.po_path(book.texts()[0]).read_text(encoding="utf-8")
        if suffix == "odt":
            # pandoc's .odt reader loses an image's description: the caption stays empty
            caption = "Delegates at the Zacatecas meeting, October 1991"
            assert catalog(book)[caption] == ("", False)
            assert any(caption in line and "no translation" in line for line in report.lines())  # type: ignore[attr-defined]
            got_entries = {k: v for k, v in catalog(book).items() if k != caption}
            want_entries = {k: v for k, v in catalog(markdown_book).items() if k != caption}
            assert got_entries == want_entries
            continue
        assert got.split("\n\n", 1)[1] == expected.split("\n\n", 1)[1], suffix


def test_plain_text_translation(tmp_path: Path) -> None:
    root = make_book(
        tmp_path / "book",
        {"a.md": "# The plant\n\nThe plant closed in 1994.\n\nWorkers met at the union hall.\n"},
        files={
            "a.es.txt": "La planta\n\nLa planta cerró\nen 1994.\n\n\n"
            "Los *trabajadores* se reunieron en el local.\n"
        },
    )
    update(Project.open(root))
    project = Project.open(root)
    report = run_align(project, root / "a.es.txt")
    assert catalog(project) == {
        "The plant": ("La planta", True),
        "The plant closed in 1994.": ("La planta cerró en 1994.", True),
        "Workers met at the union hall.": ("Los \\*trabajadores\\* se reunieron en el local.", True),
    }
    assert "a.es.txt:7" in "\n".join(report.lines())  # type: ignore[attr-defined]


# --- generated translations: merged, split, dropped paragraphs, translator's notes ----


def blank_catalog(path: Path) -> None:
    po = read_po(path)
    for message in po.messages():
        message.string = ""
        message.flags.discard("fuzzy")
    path.write_text(render_po(po), encoding="utf-8")


def perturbed_accuracy(root: Path, seeds: range) -> dict[str, float]:
    """Align perturbed translations of every text of the book at ``root``; pooled scores."""
    project = Project.open(root)
    totals = {"segments": 0.0, "exact": 0.0, "wrong": 0.0, "lost": 0.0}
    for text in project.texts():
        po_path = project.po_path(text)
        base = translated_corpus(text, catalog_translations(po_path))
        original = po_path.read_text(encoding="utf-8")
        for seed in seeds:
            corpus = perturb(base, random.Random(seed))
            blank_catalog(po_path)
            translation = root / "translation.md"
            translation.write_text(corpus.markdown(), encoding="utf-8")
            align_translation(Project.open(root), root / text.path, translation, AlignOptions())
            got = catalog_translations(po_path)
            scores = score(corpus, [got[source] for source in corpus.sources])
            totals["segments"] += scores["segments"]
            totals["exact"] += scores["exact"] * scores["segments"]
            totals["wrong"] += scores["wrong"] * scores["segments"]
        po_path.write_text(original, encoding="utf-8")
    return {
        "segments": totals["segments"],
        "exact": totals["exact"] / totals["segments"],
        "wrong": totals["wrong"] / totals["segments"],
    }


def test_perturbed_translations_of_the_sample_book(tmp_path: Path) -> None:
    # 6 texts (4 English, 2 Spanish) x 20 seeds: 3,260 segments, some 70 merges and splits
    root = copy_sample_book(tmp_path / "book")
    scores = perturbed_accuracy(root, range(1, 21))
    print("sample book:", scores)
    assert scores["exact"] >= 0.98
    assert scores["wrong"] <= 0.005


def test_perturbed_translations_of_a_generated_book(tmp_path: Path) -> None:
    generated_book(tmp_path / "gen", chapters=2, paragraphs=400, seed=11)
    scores = perturbed_accuracy(tmp_path / "gen", range(1, 4))
    print("generated book:", scores)
    assert scores["exact"] >= 0.98
    assert scores["wrong"] <= 0.005


# --- the catalog's rules ---------------------------------------------------------------


def test_a_translators_msgstr_is_kept_unless_overwrite(tmp_path: Path) -> None:
    project = kinds_book(tmp_path / "book")
    po_path = project.po_path(project.texts()[0])
    po = read_po(po_path)
    mine = po.catalog.get("Who came")
    assert mine is not None
    mine.string = "Quiénes asistieron"
    po_path.write_text(render_po(po), encoding="utf-8")
    report = run_align(project, tmp_path / "book" / "kinds.es.md")
    assert catalog(project)["Who came"] == ("Quiénes asistieron", False)
    assert report.outcomes["kept"] == 1  # type: ignore[attr-defined]
    assert any("kept" in line and "01-kinds.md:6" in line for line in report.lines())  # type: ignore[attr-defined]
    run_align(project, tmp_path / "book" / "kinds.es.md", overwrite=True)
    assert catalog(project)["Who came"] == ("Quiénes vinieron", True)


def test_fuzzy_then_confirm_and_running_twice_changes_nothing(tmp_path: Path) -> None:
    project = kinds_book(tmp_path / "book")
    translation = tmp_path / "book" / "kinds.es.md"
    po_path = project.po_path(project.texts()[0])
    run_align(project, translation)
    first = po_path.read_bytes()
    assert all(fuzzy for _, fuzzy in catalog(project).values())
    report = run_align(project, translation)
    assert po_path.read_bytes() == first
    assert not report.written  # type: ignore[attr-defined]
    report = run_align(project, translation, confirm=True)
    assert report.outcomes["confirmed"] == 24  # type: ignore[attr-defined]
    assert not any(fuzzy for _, fuzzy in catalog(project).values())
    confirmed = po_path.read_bytes()
    run_align(project, translation, confirm=True)
    run_align(project, translation, confirm=True, overwrite=True)
    assert po_path.read_bytes() == confirmed
    assert_msgfmt_ok(po_path)


def test_merged_split_and_unmatched_are_reported_with_both_places(tmp_path: Path) -> None:
    paragraphs = [
        "The alliance began in 1992 in Pittsburgh, after a meeting in Zacatecas.",
        "UE sent organizers to Juárez, where General Electric ran two plants.",
        "The FAT answered with its own delegation to Erie, Pennsylvania.",
        "Both unions agreed that each decides in its own country.",
        "They met every year, alternating between the two countries.",
    ]
    translated = [
        "La alianza nació en 1992 en Pittsburgh, tras una reunión en Zacatecas. "
        "El UE envió organizadores a Juárez, donde General Electric tenía dos plantas.",
        "N. del T.: conservamos las siglas de los sindicatos tal como aparecen en el original.",
        "El FAT respondió con su propia delegación a Erie, Pensilvania.",
        "Ambos sindicatos acordaron que cada uno decide en su propio país.",
        "Se reunían todos los años.",
        "Una vez en cada uno de los dos países.",
    ]
    root = make_book(
        tmp_path / "book",
        {"a.md": "\n\n".join(paragraphs) + "\n"},
        files={"a.es.md": "\n\n".join(translated) + "\n"},
    )
    update(Project.open(root))
    project = Project.open(root)
    result = CliRunner().invoke(
        main, ["-C", str(root), "align", str(root / "texts" / "a.md"), str(root / "a.es.md")]
    )
    assert result.exit_code == 0, result.output
    assert "1 aligned" not in result.output
    assert "2 aligned, 1 merged, 1 split" in result.output
    assert "texts/a.md:1, texts/a.md:3 <- a.es.md:1: merged" in result.output
    assert "- <- a.es.md:3: no source" in result.output
    assert "texts/a.md:9 <- a.es.md:9, a.es.md:11: split" in result.output
    got = catalog(project)
    assert got[paragraphs[0]][0] == translated[0]
    assert got[paragraphs[1]][0] == ""
    assert got[paragraphs[4]][0] == "Se reunían todos los años. Una vez en cada uno de los dos países."
    as_json = CliRunner().invoke(
        main,
        ["-C", str(root), "align", "--json", str(root / "texts" / "a.md"), str(root / "a.es.md")],
    )
    report = json.loads(as_json.output)
    assert report["matches"] == {
        "aligned": 2, "merged": 1, "split": 1, "no translation": 0, "no source": 1
    }
    assert report["catalog_entries"]["unchanged"] == 4 and not report["catalog_changed"]


def test_footnote_labels_follow_the_text(tmp_path: Path) -> None:
    project = kinds_book(tmp_path / "book")
    renumbered = (FIXTURES / "kinds.es.md").read_text(encoding="utf-8")
    renumbered = renumbered.replace("[^delegates]", "[^1]").replace("[^signed]", "[^2]")
    (tmp_path / "t.md").write_text(renumbered, encoding="utf-8")
    run_align(project, tmp_path / "t.md")
    got = catalog(project)
    assert got["The statement was signed on **27 October**, after two days of debate.[^signed]"][
        0
    ].endswith("debate.[^signed]")


def test_a_text_without_catalog_asks_for_update(tmp_path: Path) -> None:
    root = make_book(
        tmp_path / "book", {"a.md": "One paragraph.\n"}, files={"a.es.md": "Un párrafo.\n"}
    )
    with pytest.raises(CatalogError, match="run 'bilingual-pub update' first"):
        align_translation(Project.open(root), root / "texts" / "a.md", root / "a.es.md", AlignOptions())
    result = CliRunner().invoke(
        main, ["-C", str(root), "align", str(root / "a.es.md"), str(root / "a.es.md")]
    )
    assert result.exit_code == 1
    assert "not one of the book's texts" in result.output


def test_an_unreadable_translation_is_an_error_at_its_line(tmp_path: Path) -> None:
    project = kinds_book(tmp_path / "book")
    bad = tmp_path / "book" / "bad.md"
    bad.write_bytes(b"# Reuni\xc3\xb3n\n\nUn p\xe1rrafo.\n")  # Latin-1 in a UTF-8 file
    result = CliRunner().invoke(
        main, ["-C", str(project.root), "align", "texts/01-kinds.md", str(bad)]
    )
    assert result.exit_code == 1
    assert result.output.strip() == "error: bad.md:3: not valid UTF-8 text"


# --- the benchmark, small --------------------------------------------------------------


@pytest.mark.slow
def test_align_bench_small() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "align_bench.py"), "--paragraphs", "1000", "--seeds", "3", "--json"],
        capture_output=True, text=True, check=True, timeout=600,
    )
    rows = json.loads(done.stdout.splitlines()[-1])
    assert "| bilingual-pub align |" in done.stdout
    for row in rows:
        if row["aligner"].startswith("bilingual-pub align"):
            assert row["exact"] >= 0.98 and row["wrong"] <= 0.005, row
    assert {row["aligner"] for row in rows} >= {"same DP, length cost only", "galechurch package"}


def test_the_band_follows_an_alignment_that_drifts_past_its_width() -> None:
    """The banded table finds what the whole table finds, far off the table's diagonal."""
    from bilingual_pub.importing.aligner import BAND, MatchKind, align
    from bilingual_pub.importing.scoring import Scorer, estimate_model, features, pair_model
    from bilingual_pub.model import SegmentKind
    from tests.bookgen import pair_paragraph

    rng = random.Random(3)
    pairs = [pair_paragraph(rng, rng.choice([1, 2, 3, 4])) for _ in range(400)]
    # 40 left out in the first 160: the path runs 24 columns off the table's diagonal
    dropped = set(range(2, 160, 4))
    assert BAND < 160 * 360 // 400 - (160 - 40)
    source = [features(en, SegmentKind.PARAGRAPH) for en, _ in pairs]
    kept = [i for i in range(400) if i not in dropped]
    target = [features(pairs[i][1], SegmentKind.PARAGRAPH) for i in kept]
    scorer = Scorer(estimate_model(pairs, pair_model("en", "es")), kinds=True)
    banded = align(source, target, scorer)
    assert banded == align(source, target, scorer, band=len(target))
    found = {a.sources[0] for a in banded if a.kind == MatchKind.NO_TRANSLATION}
    assert len(found & dropped) >= 30  # pseudo-prose, one paragraph in ten left out

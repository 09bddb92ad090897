"""The chapter cache: a rebuild lays out only the texts whose inputs changed, and the
joined PDF is the one a full build makes; a damaged or half-written entry is laid out
again, never trusted."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pikepdf
import pytest

from bilingual_pub.build import BuildRequest, _read_texts, build, make_context
from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.document import make_document
from bilingual_pub.editions import Edition, editions_for
from bilingual_pub.project import Project
from bilingual_pub.render.pdf import cache as chapter_cache
from bilingual_pub.render.pdf.cache import CachedChapter, ChapterCache, EditionKeys
from bilingual_pub.render.pdf.furniture import Furniture, MarginText
from bilingual_pub.render.pdf.layout import EditionLayout
from tests.bookgen import write_book
from tests.pdf_layout import painted
from tests.test_pdf_jobs import pdf_summary

PARALLEL = editions_for(("en", "es"))[0]

FURNITURE = Furniture(((MarginText("@top-left", "Head #"),), ()))


def _edition(languages: tuple[str, str], name: str) -> Edition:
    return next(edition for edition in editions_for(languages) if edition.name == name)


def _entry(tmp_path: Path, data: bytes = b"%PDF-1.7 two pages") -> CachedChapter:
    pdf = tmp_path / "body.pdf"
    pdf.write_bytes(data)
    return CachedChapter(pdf, 2, FURNITURE, frozenset({"p1"}), frozenset())


def test_an_entry_comes_back_as_it_was_stored(tmp_path: Path) -> None:
    store = ChapterCache(tmp_path / "cache", PARALLEL)
    store.put("k1", _entry(tmp_path))
    found = store.get("k1", tmp_path)
    assert found is not None
    assert (found.pages, found.furniture, found.keep, found.push) == (
        2,
        FURNITURE,
        frozenset({"p1"}),
        frozenset(),
    )
    store.prune(set(), ("en", "es"))  # another build, say, drops it: the copy stays
    assert found.pdf.read_bytes() == b"%PDF-1.7 two pages"
    assert not found.pdf.is_relative_to(store.folder)
    assert store.get("k2", tmp_path) is None


@pytest.mark.parametrize("damage", ["truncated", "changed", "no record", "bad record", "no pdf"])
def test_a_damaged_entry_is_dropped_not_trusted(tmp_path: Path, damage: str) -> None:
    store = ChapterCache(tmp_path / "cache", PARALLEL)
    store.put("k1", _entry(tmp_path))
    pdf, record = store.folder / "k1.pdf", store.folder / "k1.json"
    if damage == "truncated":
        pdf.write_bytes(pdf.read_bytes()[:5])
    elif damage == "changed":
        pdf.write_bytes(pdf.read_bytes().replace(b"two", b"six"))
    elif damage == "no record":  # killed between writing the PDF and its record
        record.unlink()
    elif damage == "bad record":
        record.write_text('{"format": 1, "sha2', encoding="utf-8")
    else:
        pdf.unlink()
    assert store.get("k1", tmp_path) is None
    assert not record.exists()


def test_pruning_keeps_the_current_chapters_and_editions_only(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    store = ChapterCache(cache_dir, PARALLEL)
    for key in ("old", "current"):
        store.put(key, _entry(tmp_path))
    (store.folder / ".current.pdf.x1y2.tmp").write_bytes(b"left by a killed build")
    ChapterCache(cache_dir, _edition(("en", "es"), "en")).put("en1", _entry(tmp_path))
    ChapterCache(cache_dir, _edition(("en", "fr"), "fr")).put("fr1", _entry(tmp_path))
    store.prune({"current"}, ("en", "es"))
    assert sorted(p.name for p in store.folder.iterdir()) == ["current.json", "current.pdf"]
    assert sorted(p.name for p in cache_dir.iterdir()) == ["pdf-en", "pdf-parallel"]


@pytest.fixture
def small_book(tmp_path: Path) -> Project:
    return write_book(tmp_path / "book", chapters=3, paragraphs=4, seed=11)


def _keys(project: Project, minutes_later: int = 0) -> list[str]:
    project = Project.open(project.root)
    document = make_document(project.config, _read_texts(project))
    context = make_context(project)
    context = replace(context, built_at=context.built_at + timedelta(minutes=minutes_later))
    layout = EditionLayout(document, PARALLEL, context)
    keys = EditionKeys(layout)
    return [keys.of(view, 1) for view in layout.views]


def _change_one_translation(project: Project, text_index: int, new: str | None = None) -> None:
    """Change the first translated paragraph of one text's catalog, as a translator would."""
    text = project.texts()[text_index]
    path = project.po_path(text)
    po = read_po(path)
    message = next(m for m in po.messages() if len(str(m.string)) > 80)
    message.string = new if new is not None else str(message.string) + " Otra frase."
    path.write_text(render_po(po), encoding="utf-8")


def test_a_changed_translation_changes_its_text_key_only(small_book: Project) -> None:
    before = _keys(small_book)
    _change_one_translation(small_book, 1)
    after = _keys(small_book)
    assert len(set(before)) == 3
    assert [a == b for a, b in zip(before, after, strict=True)] == [True, False, True]


def test_the_build_time_does_not_change_a_key(small_book: Project) -> None:
    """The build time is in the PDF's metadata (the frame's), not on a chapter's pages."""
    assert _keys(small_book, minutes_later=3) == _keys(small_book)


@pytest.mark.parametrize("change", ["page size", "template", "toolkit", "image"])
def test_what_every_page_reads_changes_every_key(
    small_book: Project, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _keys(small_book)
    root = small_book.root
    if change == "page size":
        config = root / "book.toml"
        text = config.read_text(encoding="utf-8")
        assert "6in 9in" in text
        config.write_text(text.replace("6in 9in", "A5"), encoding="utf-8")
    elif change == "template":
        extra = root / "templates" / "pdf" / "extra.css"
        extra.parent.mkdir(parents=True, exist_ok=True)
        extra.write_text("p { letter-spacing: 0.01em; }\n", encoding="utf-8")
    elif change == "toolkit":
        files = chapter_cache.toolkit_files()
        monkeypatch.setattr(chapter_cache, "toolkit_files", lambda: [*files, ("package:x", b"1")])
        chapter_cache._toolkit_digest.cache_clear()
    else:  # the first text shows the image: only its key may change
        image = root / "images" / "diagram.svg"
        image.write_text(image.read_text(encoding="utf-8").replace("</svg>", "<g/></svg>"))
    after = _keys(small_book)
    chapter_cache._toolkit_digest.cache_clear()
    changed = [a != b for a, b in zip(before, after, strict=True)]
    assert changed == ([True, False, False] if change == "image" else [True, True, True])


def _build(
    project: Project, output: Path, *, cache: bool = True, edition: str = "parallel"
) -> Path:
    request = BuildRequest(
        formats=("pdf",), editions=(edition,), output_dir=output, jobs=1, cache=cache
    )
    build(project, request)
    return output / f"{project.config.slug}-{edition}.pdf"


def _chapter_records(output: Path) -> list[Path]:
    """The chapter entries' records (beside them, the previous edition's: render/pdf/reuse.py)."""
    folder = output / ".cache" / "pdf-parallel"
    return [path for path in folder.glob("*.json") if path.stem != "edition"]


def assert_same_pdf(found: Path, expected: Path) -> None:
    """Same pages, same text, same bookmarks and links, everything drawn in the same place."""
    assert pdf_summary(found) == pdf_summary(expected)
    for number, (a, b) in enumerate(zip(painted(found), painted(expected), strict=True)):
        assert a == b, f"page {number + 1}"


@pytest.mark.slow  # four builds of a three-text book
def test_a_rebuild_after_one_change_is_the_full_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The second text grows by pages: the third one's page numbers, the contents and
    the bookmarks move, and all of it is as a full build in one process makes it."""
    project = write_book(tmp_path / "book", chapters=3, paragraphs=8, seed=11)
    output = tmp_path / "out"
    first = pdf_summary(_build(project, output))
    assert len(_chapter_records(output)) == 3
    _change_one_translation(project, 1, " ".join(["Una frase bastante larga y nueva."] * 120))
    with caplog.at_level(logging.INFO, logger="bilingual_pub"):
        rebuilt = _build(project, output)
    assert "2 chapters from the chapter cache, 1 to lay out" in caplog.text
    full = _build(project, tmp_path / "full", cache=False)
    assert not (tmp_path / "full" / ".cache").exists()
    assert len(pdf_summary(rebuilt)["texts"]) > len(first["texts"])
    assert_same_pdf(rebuilt, full)
    assert len(_chapter_records(output)) == 3  # pruned
    # a damaged entry is laid out again
    entry = sorted((output / ".cache" / "pdf-parallel").glob("*.pdf"))[0]
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bilingual_pub"):
        build(project, BuildRequest(("pdf",), ("parallel",), output, jobs=1, force=True))
    assert "2 chapters from the chapter cache, 1 to lay out" in caplog.text
    assert_same_pdf(rebuilt, full)


@pytest.mark.slow  # a build killed, then two builds
def test_a_build_killed_midway_leaves_a_cache_the_next_build_can_use(tmp_path: Path) -> None:
    project = write_book(tmp_path / "book", chapters=3, paragraphs=8, seed=11)
    output = tmp_path / "out"
    folder = output / ".cache" / "pdf-parallel"
    command = [sys.executable, "-m", "bilingual_pub", "build", "--format", "pdf"]
    command += ["--edition", "parallel", "-j", "1", "--output", str(output)]
    process = subprocess.Popen(command, cwd=project.root, env=dict(os.environ))
    try:
        while process.poll() is None and not list(folder.glob("*.json")):
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    assert not (output / f"{project.config.slug}-parallel.pdf").exists()
    rebuilt = _build(project, output)
    assert_same_pdf(rebuilt, _build(project, tmp_path / "full", cache=False))


# -- editions the chapter cache leaves alone ------------------------------------------------


def _small_book(root: Path, pdf_settings: str = "") -> Project:
    project = write_book(root, chapters=2, paragraphs=3, features=False)
    config = project.root / "book.toml"
    text = config.read_text(encoding="utf-8").replace("[pdf]\n", f"[pdf]\n{pdf_settings}\n")
    config.write_text(text, encoding="utf-8")
    return Project.open(project.root)


def test_a_tagged_edition_is_laid_out_whole_not_from_the_cache(tmp_path: Path) -> None:
    """Pages joined from the cache are drawn as forms, outside the structure tree."""
    project = _small_book(tmp_path / "book", "tagged = true")
    output = tmp_path / "out"
    request = BuildRequest(formats=("pdf",), editions=("parallel",), output_dir=output, jobs=1)
    build(project, request)
    assert not (output / ".cache" / "pdf-parallel").exists()
    with pikepdf.open(output / "gen-parallel.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root
        # every page's text is in the structure tree: no page drawn as a form XObject
        for page in pdf.pages:
            xobjects = page.Resources.get("/XObject", {})
            forms = [x for x in xobjects.values() if x.get("/Subtype") == "/Form"]
            assert not forms


def test_the_facing_edition_is_kept_in_the_cache(tmp_path: Path) -> None:
    """Each text with its spreads, and the joined edition (tests/test_facing_cache.py
    rebuilds from them)."""
    project = _small_book(tmp_path / "book")
    output = tmp_path / "out"
    request = BuildRequest(formats=("pdf",), editions=("facing",), output_dir=output, jobs=1)
    build(project, request)
    assert (output / "gen-facing.pdf").is_file()
    folder = output / ".cache" / "pdf-facing"
    assert len([path for path in folder.glob("*.json") if path.stem != "edition"]) == 2
    assert (folder / "edition.json").is_file()

"""The facing edition in the chapter cache: a rebuild after one translation changed lays
out only that text's spreads, and the file is the one a full build makes, in both sync
modes; changing the mode lays every text out again."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bilingual_pub.project import Project
from tests.bookgen import write_book
from tests.test_chapter_cache import _build, _change_one_translation, assert_same_pdf
from tests.test_facing import assert_pair_mode, assert_spread_mode, facing_report, in_spread_mode

LONGER = " ".join(["Una frase bastante larga y nueva."] * 120)  # pages more: a new frame


def _facing(project: Project, output: Path, *, cache: bool = True) -> Path:
    return _build(project, output, cache=cache, edition="facing")


def _rebuild(project: Project, output: Path, caplog: pytest.LogCaptureFixture) -> tuple[Path, str]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bilingual_pub"):
        rebuilt = _facing(project, output)
    return rebuilt, caplog.text


def _full(project: Project, folder: Path) -> Path:
    return _facing(project, folder, cache=False)


@pytest.mark.slow  # five builds of a three-text book per mode
@pytest.mark.parametrize("sync", ["pair", "spread"])
def test_one_changed_text_is_laid_out_again_and_the_edition_is_a_full_builds(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, sync: str
) -> None:
    project = write_book(tmp_path / "book", chapters=3, paragraphs=8, seed=11)
    if sync == "spread":
        project = in_spread_mode(project)
    output = tmp_path / "out"
    _facing(project, output)
    assert (output / ".cache" / "pdf-facing" / "edition.json").is_file()

    _change_one_translation(project, 1)  # a sentence more, no page more
    rebuilt, log = _rebuild(project, output, caplog)
    assert "2 chapters from the chapter cache, 1 to lay out" in log
    assert "the previous edition with 1 chapter(s) replaced" in log
    assert_same_pdf(rebuilt, _full(project, tmp_path / "full-1"))

    _change_one_translation(project, 1, LONGER)  # pages more: the frame laid out again
    rebuilt, log = _rebuild(project, output, caplog)
    assert "2 chapters from the chapter cache, 1 to lay out" in log
    assert "laying out the whole frame" in log
    assert_same_pdf(rebuilt, _full(project, tmp_path / "full-2"))
    report = facing_report(project, rebuilt)
    (assert_spread_mode if sync == "spread" else assert_pair_mode)(report)


@pytest.mark.slow
def test_changing_the_sync_mode_lays_every_text_out_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = write_book(tmp_path / "book", chapters=3, paragraphs=8, seed=11)
    output = tmp_path / "out"
    _facing(project, output)
    project = in_spread_mode(project)
    rebuilt, log = _rebuild(project, output, caplog)
    assert "0 chapters from the chapter cache, 3 to lay out" in log
    assert_same_pdf(rebuilt, _full(project, tmp_path / "full"))

"""Images must be self-contained files inside the project: nothing to fetch, nothing to run."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual_pub.assets import resolve_image
from bilingual_pub.errors import BuildError
from bilingual_pub.model import SourceLocation
from tests.bookgen import write_book
from tests.harness import cli

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
HERE = SourceLocation("texts/01.md", 3)


def _svg(root: Path, body: str) -> str:
    (root / "texts").mkdir(exist_ok=True)
    (root / "images").mkdir(exist_ok=True)
    (root / "images" / "figure.svg").write_text(SVG.format(body), encoding="utf-8")
    return "../images/figure.svg"


@pytest.mark.parametrize(
    "body",
    [
        '<defs><circle id="c" r="3"/></defs><use xlink:href="#c"/>',
        '<rect style="fill: url(#gradient)" width="3" height="3"/>',
        '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>',
    ],
)
def test_a_self_contained_svg_is_accepted(tmp_path: Path, body: str) -> None:
    assert resolve_image(tmp_path, HERE, _svg(tmp_path, body)).name == "figure.svg"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("<script>alert(1)</script>", "script"),
        ('<rect onload="alert(1)" width="3" height="3"/>', "script"),
        ('<image href="https://example.org/x.png" width="1" height="1"/>', "https://example.org"),
        ('<image xlink:href="other.png" width="1" height="1"/>', "other.png"),
        ('<rect style="fill: url(http://example.org/p.svg#g)" width="3" height="3"/>', "http://"),
    ],
)
def test_an_svg_that_loads_or_runs_something_is_refused(tmp_path: Path, body: str, says: str) -> None:
    with pytest.raises(BuildError, match=says) as caught:
        resolve_image(tmp_path, HERE, _svg(tmp_path, body))
    assert (caught.value.path, caught.value.line) == ("texts/01.md", 3)


def test_build_stops_on_an_svg_with_a_remote_reference(tmp_path: Path) -> None:
    write_book(tmp_path, chapters=1, paragraphs=2, seed=1, features=True)
    (tmp_path / "images" / "diagram.svg").write_text(
        SVG.format('<image href="http://127.0.0.1:9/x.png" width="1" height="1"/>'), encoding="utf-8"
    )
    result = cli(tmp_path, "build", "--format", "epub")
    assert result.returncode == 1
    assert "error: texts/01-chapter.md:" in result.stderr
    assert "refers to 'http://127.0.0.1:9/x.png'" in result.stderr
    assert not (tmp_path / "build" / "gen-parallel.epub").exists()

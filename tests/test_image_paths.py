"""Image paths resolve relative to the text; a missing image says where it looked and what
path would find the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bilingual_pub.assets import resolve_image
from bilingual_pub.errors import BuildError
from bilingual_pub.model import SourceLocation
from tests.harness import cli, make_book

README = Path(__file__).resolve().parent.parent / "README.md"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
INTRO = SourceLocation("texts/01-intro.md", 12)


def put(path: Path, content: str = SVG) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def missing_message(root: Path, src: str, location: SourceLocation = INTRO) -> str:
    with pytest.raises(BuildError) as raised:
        resolve_image(root, location, src)
    return str(raised.value)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return make_book(tmp_path / "book", {"01-intro.md": "# Intro\n"})


def test_the_project_root_path_is_suggested_relative_to_the_text(book: Path) -> None:
    put(book / "images" / "river.svg")
    assert missing_message(book, "images/river.svg") == (
        "texts/01-intro.md:12: image 'images/river.svg' not found "
        "(looked for texts/images/river.svg); did you mean '../images/river.svg'?"
    )
    assert resolve_image(book, INTRO, "../images/river.svg") == (book / "images/river.svg").resolve()


def test_a_file_of_the_same_name_elsewhere_in_the_project_is_suggested(book: Path) -> None:
    put(book / "art" / "maps" / "river.svg")
    message = missing_message(book, "river.svg")
    assert message.endswith(
        "(looked for texts/river.svg); did you mean '../art/maps/river.svg'?"
    ), message


def test_a_figure_in_a_subfolder_of_texts(book: Path) -> None:
    put(book / "texts" / "figures" / "river.svg")
    assert missing_message(book, "images/river.svg").endswith(
        "(looked for texts/images/river.svg); did you mean 'figures/river.svg'?"
    )


def test_the_cover_is_suggested_relative_to_book_toml(book: Path) -> None:
    put(book / "images" / "cover.svg")
    location = SourceLocation("book.toml", 9)
    assert missing_message(book, "img/cover.svg", location) == (
        "book.toml:9: image 'img/cover.svg' not found "
        "(looked for img/cover.svg); did you mean 'images/cover.svg'?"
    )


def test_no_suggestion_from_build_environments_hidden_folders_or_outside(book: Path) -> None:
    for folder in ("build", ".venv", ".git", "venv", "node_modules"):
        put(book / folder / "river.svg")
    outside = put(book.parent / "elsewhere" / "river.svg")
    (book / "linked").symlink_to(outside.parent, target_is_directory=True)
    (book / "pictures").mkdir()
    (book / "pictures" / "river.svg").symlink_to(outside)
    assert missing_message(book, "river.svg") == (
        "texts/01-intro.md:12: image 'river.svg' not found (looked for texts/river.svg)"
    )


def test_a_path_outside_the_project_is_still_refused_not_searched(book: Path) -> None:
    put(book / "images" / "river.svg")
    message = missing_message(book, "../../images/river.svg")
    assert message.endswith("image '../../images/river.svg' is outside the project"), message


def test_build_reports_the_missing_image_in_one_line(book: Path) -> None:
    put(book / "images" / "river.svg")
    (book / "texts" / "01-intro.md").write_text(
        "# Intro\n\n![A river.](images/river.svg)\n", encoding="utf-8"
    )
    result = cli(None, "build", "--format", "epub", real=True, cwd=book / "texts")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: texts/01-intro.md:3: image 'images/river.svg' not found "
        "(looked for texts/images/river.svg); did you mean '../images/river.svg'?"
    ]
    assert not (book / "build").exists()


def test_the_readme_image_examples_resolve_from_a_text(tmp_path: Path) -> None:
    """Every image the README writes in Markdown, put in a text under texts/, finds its file
    at the path the README's project layout gives it (images/ at the project root)."""
    readme = README.read_text(encoding="utf-8")
    # the examples are Markdown the README shows as code; its own pictures are not examples
    code = re.findall(r"```.*?```", readme, flags=re.S) + re.findall(r"`[^`\n]+`", readme)
    examples = [src for part in code for src in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", part)]
    assert examples
    book = make_book(tmp_path / "book", {"01-intro.md": "# Intro\n"})
    for src in examples:
        put(book / "images" / Path(src).name)
        resolve_image(book, INTRO, src)

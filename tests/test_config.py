"""book.toml: the shape from the issue works; each mistake is one error with key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual_pub.config import DEFAULT_FUZZY_THRESHOLD, load_config
from bilingual_pub.errors import ConfigError
from bilingual_pub.project import Project
from tests.harness import book_toml

# the shape of the issue's example, line for line
ISSUE_SHAPE = book_toml(
    slug="solidarity",
    authors=["Ana"],
    translators=["Ben"],
    texts=["texts/01-a.md", "texts/02-b.md"],
    titles={"en": "Solidarity", "es": "Solidaridad"},
    tables={"pdf": {"page_size": "6in 9in"}},
)


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "book.toml").write_text(text, encoding="utf-8")
    return tmp_path


def error_of(tmp_path: Path, text: str) -> ConfigError:
    write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    return caught.value


def test_the_shape_from_the_issue_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ISSUE_SHAPE))
    assert config.slug == "solidarity"
    assert config.languages == ("en", "es")
    assert config.source_language == "en"
    assert config.titles == {"en": "Solidarity", "es": "Solidaridad"}
    assert config.texts == ("texts/01-a.md", "texts/02-b.md")
    assert config.pdf.page_size == "6in 9in"
    assert config.other_language("en") == "es" and config.other_language("es") == "en"
    assert config.catalogs.fuzzy_threshold == DEFAULT_FUZZY_THRESHOLD


def test_fuzzy_threshold_is_configurable(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ISSUE_SHAPE + "[catalogs]\nfuzzy_threshold = 80\n"))
    assert config.catalogs.fuzzy_threshold == 80
    error = error_of(tmp_path, ISSUE_SHAPE + "[catalogs]\nfuzzy_threshold = 0\n")
    assert (error.line, error.message) == (14, "catalogs.fuzzy_threshold: must be between 1 and 100")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.path == str(tmp_path / "book.toml")
    assert "no book.toml here" in caught.value.message


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    error = error_of(tmp_path, ISSUE_SHAPE.replace('slug = "solidarity"', "slug = solidarity"))
    assert error.path == "book.toml"
    assert error.line == 2
    assert error.message.startswith("invalid TOML: ")


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("source_language", "sourcelanguage"), 4, "book.sourcelanguage: unknown key"),
        (("[pdf]\n", "[pdf]\npaper = 'A4'\n"), 12, "pdf.paper: unknown key"),
        (("[pdf]\n", "[pfd]\n"), 11, "pfd: unknown table"),
        (('page_size = "6in 9in"', 'page_size = "huge"'), 12, "pdf.page_size: 'huge'"),
    ],
)
def test_unknown_keys_and_bad_values(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    error = error_of(tmp_path, ISSUE_SHAPE.replace(*change))
    assert (error.path, error.line) == ("book.toml", line)
    assert error.message.startswith(message), error.message
    assert str(error).startswith(f"book.toml:{line}: ")


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        ('["en", "xx"]', "book.languages: unknown language code 'xx'"),
        ('["en", "Spanish"]', "book.languages: 'Spanish' is not a language code"),
        ('["en", "ES"]', "book.languages: 'ES' is not a language code"),
        ('["en_US", "es"]', "book.languages: 'en_US' is not a language code"),
        ('["en"]', "book.languages: give exactly two different languages"),
        ('["en", "en"]', "book.languages: give exactly two different languages"),
    ],
)
def test_bad_languages(tmp_path: Path, languages: str, message: str) -> None:
    error = error_of(tmp_path, ISSUE_SHAPE.replace('["en", "es"]', languages))
    assert error.line == 3
    assert error.message.startswith(message), error.message


def test_regional_language_codes_are_accepted(tmp_path: Path) -> None:
    text = ISSUE_SHAPE.replace('["en", "es"]', '["en", "es-MX"]').replace("\nes = ", "\nes-MX = ")
    assert load_config(write(tmp_path, text)).languages == ("en", "es-MX")


def test_missing_title_for_a_language(tmp_path: Path) -> None:
    error = error_of(tmp_path, ISSUE_SHAPE.replace('es = "Solidaridad"\n', ""))
    assert error.line == 8
    assert error.message.startswith("book.title: missing title for language 'es'")


def test_title_for_a_language_the_book_does_not_have(tmp_path: Path) -> None:
    error = error_of(tmp_path, ISSUE_SHAPE.replace('es = "Solidaridad"\n', 'es = "S"\nfr = "S"\n'))
    assert error.line == 11
    assert error.message == "book.title.fr: 'fr' is not one of the book's languages"


def test_source_language_must_be_a_book_language(tmp_path: Path) -> None:
    error = error_of(tmp_path, ISSUE_SHAPE.replace('source_language = "en"', 'source_language = "de"'))
    assert (error.line, error.message) == (4, "book.source_language: 'de' is not in languages")


def test_wrong_types(tmp_path: Path) -> None:
    error = error_of(tmp_path, ISSUE_SHAPE.replace('authors = ["Ana"]', 'authors = "Ana"'))
    assert (error.line, error.message) == (5, "book.authors: expected a list")


def test_texts_entry_that_does_not_exist(tmp_path: Path) -> None:
    text = ISSUE_SHAPE.replace(
        'texts = ["texts/01-a.md", "texts/02-b.md"]',
        'texts = [\n  "texts/01-a.md",\n  "texts/02-b.md",\n]',
    )
    write(tmp_path, text)
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "01-a.md").write_text("# A\n")
    with pytest.raises(ConfigError) as caught:
        Project.open(tmp_path).text_paths()
    assert (caught.value.path, caught.value.line) == ("book.toml", 9)
    assert caught.value.message == "book.texts: no such text 'texts/02-b.md'"


def test_texts_entry_outside_the_project(tmp_path: Path) -> None:
    write(tmp_path, ISSUE_SHAPE.replace('"texts/02-b.md"', '"../elsewhere.md"'))
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "01-a.md").write_text("# A\n")
    with pytest.raises(ConfigError) as caught:
        Project.open(tmp_path).text_paths()
    assert caught.value.line == 7
    assert "is outside the project" in caught.value.message


def test_texts_order_is_the_config_order(tmp_path: Path) -> None:
    write(tmp_path, ISSUE_SHAPE.replace('["texts/01-a.md", "texts/02-b.md"]',
                                        '["texts/02-b.md", "texts/01-a.md"]'))
    (tmp_path / "texts").mkdir()
    for name in ("01-a.md", "02-b.md"):
        (tmp_path / "texts" / name).write_text("# A\n")
    assert [p.name for p in Project.open(tmp_path).text_paths()] == ["02-b.md", "01-a.md"]


def test_without_texts_key_the_texts_are_read_in_file_name_order(tmp_path: Path) -> None:
    write(tmp_path, ISSUE_SHAPE.replace('texts = ["texts/01-a.md", "texts/02-b.md"]\n', ""))
    (tmp_path / "texts").mkdir()
    for name in ("10-c.md", "02-b.md", "01-a.md"):
        (tmp_path / "texts" / name).write_text("# A\n")
    assert [p.name for p in Project.open(tmp_path).text_paths()] == ["01-a.md", "02-b.md", "10-c.md"]

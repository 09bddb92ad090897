"""The command line: init -> update -> stats -> check, and errors as one line on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bilingual_pub.files import project_lock
from tests.harness import (
    CliRun,
    assert_one_error,
    book_toml,
    cli,
    fake_translation,
    make_book,
    translate_catalog,
)
from tests.po_support import assert_all_msgfmt_ok, po_path, run_update


def test_init_update_stats_check_in_a_fresh_folder(tmp_path: Path) -> None:
    """The whole first session of a new user, as real processes."""
    def run(*args: str) -> CliRun:
        return cli(None, *args, real=True, cwd=tmp_path)

    created = run("init", "mybook")
    assert created.returncode == 0, created.stderr
    assert created.stdout.splitlines() == [
        "created mybook/book.toml", "created mybook/texts/01-first-chapter.md"
    ]
    book = tmp_path / "mybook"
    updated = run("-C", "mybook", "update")
    assert updated.returncode == 0, updated.stderr
    assert "01-first-chapter -> es: 0 kept, 0 fuzzy, 6 new" in updated.stdout
    assert_all_msgfmt_ok(book)

    stats = run("-C", "mybook", "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    report = json.loads(stats.stdout)
    [row] = report["texts"]
    assert (row["text"], row["source_language"], row["language"]) == ("01-first-chapter", "en", "es")
    assert (row["segments"], row["translated"], row["untranslated"], row["percent"]) == (6, 0, 6, 0.0)
    assert report["total"]["segments"] == 6

    checked = run("-C", "mybook", "check")
    assert checked.returncode == 0, checked.stdout  # untranslated is a warning
    assert "untranslated: no translation yet" in checked.stdout
    assert "0 errors, 6 warnings" in checked.stderr

    translate_catalog(po_path(book, "01-first-chapter"), fake_translation)
    stats = json.loads(run("-C", "mybook", "stats", "--json").stdout)
    assert stats["total"]["percent"] == 100.0
    checked = run("-C", "mybook", "check")
    assert (checked.returncode, checked.stdout) == (0, "")
    assert run("-C", "mybook", "update").stdout.endswith("(unchanged)\n")


def test_python_dash_m_works(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bilingual_pub", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("bilingual-pub, version ")


def test_stats_table(tmp_path: Path) -> None:
    make_book(tmp_path, {"01-a.md": "# A\n\nOne two three.\n", "02-b.md": "---\nlang: es\n---\n\n# B\n"})
    run_update(tmp_path)
    translate_catalog(po_path(tmp_path, "01-a"), fake_translation)
    result = cli(tmp_path, "stats")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["text", "lang", "segments", "words", "done", "fuzzy", "todo", "%"]
    assert lines[1].split() == ["01-a", "en>es", "2", "4", "2", "0", "0", "100.0"]
    assert lines[2].split() == ["02-b", "es>en", "1", "1", "0", "0", "1", "0.0"]
    assert lines[3].split() == ["total", "both", "3", "5", "2", "0", "1", "66.7"]


# --- errors: one line, exit 1, no traceback -------------------------------------------


def test_missing_book_toml(tmp_path: Path) -> None:
    assert_one_error(cli(tmp_path, "update"), f"{tmp_path / 'book.toml'}: no book.toml")


def test_invalid_toml(tmp_path: Path) -> None:
    make_book(tmp_path, {"a.md": "# A\n"}, toml='[book]\nslug = "x\n')
    assert_one_error(cli(tmp_path, "update"), "book.toml:2: invalid TOML")


def test_unknown_key(tmp_path: Path) -> None:
    make_book(tmp_path, {"a.md": "# A\n"}, toml=book_toml() + "colour = 'red'\n")
    assert_one_error(cli(tmp_path, "stats"), "book.toml:10: book.title.colour: 'colour' is not")
    make_book(tmp_path, {"a.md": "# A\n"}, toml=book_toml().replace("slug", "slugg"))
    assert_one_error(cli(tmp_path, "check"), "book.toml:2: book.slugg: unknown key")


def test_unknown_language(tmp_path: Path) -> None:
    make_book(tmp_path, {"a.md": "# A\n"}, toml=book_toml(languages=["en", "qq"]))
    assert_one_error(cli(tmp_path, "update"), "book.toml:3: book.languages: unknown")


def test_malformed_po(tmp_path: Path) -> None:
    make_book(tmp_path, {"a.md": "# A\n\nText.\n"})
    run_update(tmp_path)
    po = po_path(tmp_path, "a")
    po.write_text(po.read_text().replace('msgid "Text."', 'msgid "Text.'), encoding="utf-8")
    before = (tmp_path / "locales" / "a.pot").read_bytes()
    result = cli(tmp_path, "update")
    line = po.read_text().splitlines().index('msgid "Text.') + 1
    assert_one_error(result, f"locales/es/LC_MESSAGES/a.po:{line}: unterminated string")
    assert (tmp_path / "locales" / "a.pot").read_bytes() == before  # nothing written
    assert_one_error(cli(tmp_path, "check"), f"locales/es/LC_MESSAGES/a.po:{line}: ")


def test_binary_po(tmp_path: Path) -> None:
    binary = b"\xde\x12\x04\x95\x00\x00\x00\x00"
    make_book(tmp_path, {"a.md": "# A\n"}, files={"locales/es/LC_MESSAGES/a.po": binary})
    assert_one_error(cli(tmp_path, "stats"), "locales/es/LC_MESSAGES/a.po: not a PO file")


def test_missing_text(tmp_path: Path) -> None:
    toml = book_toml(texts=["texts/a.md", "texts/gone.md"])
    make_book(tmp_path, {"a.md": "# A\n"}, toml=toml)
    assert_one_error(cli(tmp_path, "update"), "book.toml:7: book.texts: no such text")


def test_no_texts(tmp_path: Path) -> None:
    make_book(tmp_path, {})
    assert_one_error(cli(tmp_path, "update"), "texts: no texts")


def test_project_locked_by_another_process(tmp_path: Path) -> None:
    make_book(tmp_path, {"a.md": "# A\n"})
    with project_lock(tmp_path):
        assert_one_error(cli(tmp_path, "update"), ".bilingual-pub.lock: another")


def test_verbose_shows_the_traceback(tmp_path: Path) -> None:
    result = cli(tmp_path, "-v", "update")
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("error: ")


def test_init_refuses_an_existing_project_and_bad_languages(tmp_path: Path) -> None:
    assert cli(None, "init", tmp_path / "b").returncode == 0
    assert_one_error(cli(None, "init", tmp_path / "b"), f"{tmp_path / 'b' / 'book.toml'}: a book")
    bad = cli(None, "init", tmp_path / "c", "--languages", "en,xx")
    assert_one_error(bad, "init: book.languages")
    assert not (tmp_path / "c" / "book.toml").exists()
    assert_one_error(cli(None, "init", tmp_path / "d", "--languages", "en"), "--languages takes two")


def test_init_makes_a_slug_from_any_folder_name(tmp_path: Path) -> None:
    assert cli(None, "init", tmp_path / "My Book (draft)").returncode == 0
    assert 'slug = "My-Book-draft"' in (tmp_path / "My Book (draft)" / "book.toml").read_text()
    assert cli(tmp_path / "My Book (draft)", "update").returncode == 0


# --- check --------------------------------------------------------------------------------


def _checked_book(tmp_path: Path, translations: dict[str, str]) -> CliRun:
    source = "\n\n".join(translations) + "\n"
    make_book(tmp_path, {"a.md": source}, translations=translations.__getitem__)
    return cli(tmp_path, "check")


def test_check_exits_1_on_markup_error(tmp_path: Path) -> None:
    result = _checked_book(tmp_path, {"A note.[^1]": "Una nota."})
    assert result.returncode == 1
    assert result.stdout == (  # the finding as path:LINE: kind: message
        "locales/es/LC_MESSAGES/a.po:20: markup: footnote [^1]: 1 in the source, "
        "0 in the translation\n"
    )
    assert "1 errors, 0 warnings" in result.stderr


def test_check_exits_1_when_a_link_url_changed(tmp_path: Path) -> None:
    result = _checked_book(tmp_path, {
        "See [the site](https://example.org/en).": "Vea [el sitio](https://example.org/es).",
    })
    assert result.returncode == 1
    assert "link: link URL changed: https://example.org/en -> https://example.org/es" in result.stdout


def test_check_exits_0_on_warnings_only(tmp_path: Path) -> None:
    result = _checked_book(tmp_path, {
        "In 1994 they met.": "Se reunieron.",
        "What happened?": "Qué pasó?",
    })
    assert result.returncode == 0
    assert "numbers: not in the translation: 1994" in result.stdout
    assert "punctuation: unbalanced ¿…?" in result.stdout
    assert "0 errors, 2 warnings" in result.stderr


def test_check_json(tmp_path: Path) -> None:
    text = {"a.md": "See [the site](https://example.org/).\n"}
    make_book(tmp_path, text, translations=lambda msgid: "Vea el sitio.")
    result = cli(tmp_path, "check", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == [{
        "path": "locales/es/LC_MESSAGES/a.po", "line": 20, "level": "error", "kind": "link",
        "message": "link dropped: https://example.org/",
    }]


def test_check_reports_missing_catalogs(tmp_path: Path) -> None:
    make_book(tmp_path, {"a.md": "# A\n"})
    result = cli(tmp_path, "check")
    assert result.returncode == 0
    assert "locales/es/LC_MESSAGES/a.po:1: missing: no catalog yet" in result.stdout


@pytest.mark.parametrize("command", ["update", "stats", "check"])
def test_project_option_and_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    make_book(tmp_path, {"a.md": "# A\n"})
    monkeypatch.chdir(tmp_path)
    assert cli(None, command).returncode == 0
    assert cli(None, "--project", tmp_path, command).returncode == 0

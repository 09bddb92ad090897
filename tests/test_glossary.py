"""The book's glossary: reading glossary.csv, matching terms, the `glossary` check, and the
extracted comments `update` gives the entries that use a term."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual_pub.catalogs.checks import run_checks
from bilingual_pub.catalogs.glossary import Glossary, parse_glossary
from bilingual_pub.catalogs.messages import make_message
from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.errors import ConfigError
from tests.harness import assert_one_error, book_toml, cli, make_book, tree_changes, tree_state

GLOSSARY = (
    "en,es,note\n"
    "organizing,organización;organizar,\n"
    "local,sección local,a branch of the union\n"
    '"collective bargaining","negociación colectiva"\n'
    "policy,política\n"
)


def glossary(text: str = GLOSSARY) -> Glossary:
    return parse_glossary(text, ("en", "es"), "glossary.csv")


def uses(text: str, lang: str = "en") -> list[str]:
    return [term.forms["en"][0] for term in glossary().terms_in(text, lang)]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("The local voted.", ["local"]),
        ("The locals voted.", ["local"]),
        ("LOCAL 10 voted.", ["local"]),
        ("Two policies and one policy.", ["policy"]),
        ("Organizing is slow; organizings are slower.", ["organizing"]),
        ("Collective\nbargaining ended.", ["collective bargaining"]),
        ("The locale and localization are no locals of a union.", ["local"]),
        ("A localized text.", []),
        ("Politics and policing.", []),
    ],
)
def test_english_terms_match_whole_words_case_and_plurals(text: str, terms: list[str]) -> None:
    assert uses(text) == terms


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("La sección local votó.", ["local"]),
        ("Las secciones locales votaron.", ["local"]),
        ("Las organizaciones y organizar.", ["organizing"]),
        ("Las políticas del sindicato.", ["policy"]),
        ("La negociación colectiva y las negociaciones colectivas.", ["collective bargaining"]),
        ("Una sección sindical local.", []),
    ],
)
def test_spanish_terms_match_plurals_and_the_accent_a_plural_drops(
    text: str, terms: list[str]
) -> None:
    assert uses(text, "es") == terms


def findings(source: str, translation: str, *, source_language: str = "en") -> list[str]:
    target = "es" if source_language == "en" else "en"
    message = make_message(source, translation, lineno=7)
    found = run_checks(
        message, path="x.po", source_language=source_language, target_language=target,
        glossary=glossary(),
    )
    return [f"{f.level} {f.kind}: {f.message}" for f in found]


def test_a_term_translated_as_the_glossary_says_passes() -> None:
    assert findings("The locals met.", "Las secciones locales se reunieron.") == []
    assert findings("Organizing takes time.", "Organizar lleva tiempo.") == []


def test_a_term_translated_otherwise_is_a_glossary_warning() -> None:
    assert findings("The local met.", "El sindicato se reunió.") == [
        "warning glossary: 'local' is translated 'sección local' (glossary.csv:3)"
    ]


def test_the_glossary_works_from_spanish_texts_too() -> None:
    assert findings("Las secciones locales firmaron.", "The locals signed.", source_language="es") == []
    assert findings("La negociación colectiva.", "The bargaining.", source_language="es") == [
        "warning glossary: 'negociación colectiva' is translated 'collective bargaining' "
        "(glossary.csv:4)"
    ]


def test_code_spans_are_no_terms_on_either_side() -> None:
    assert findings("Call `local` in Lua.", "Llame a `local` en Lua.") == []
    assert findings("The local met.", "La `sección local` se reunió.")[-1:] == [
        "warning glossary: 'local' is translated 'sección local' (glossary.csv:3)"
    ]


def test_untranslated_and_fuzzy_entries_get_no_glossary_warning() -> None:
    assert findings("The local met.", "") == ["warning untranslated: no translation yet"]


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("en,fr\nlocal,local\n", 1, "unknown column 'fr' (known: en, es, note)"),
        ("en,note\nlocal,x\n", 1, "no column for 'es' in the header"),
        ("en,es\nlocal,sección local\nlocal,\n", 3, "no es term"),
        ("en,es\nlocal,sección local,extra\n", 2, "3 cells, the header names 2"),
        ("en,es\n\nlocal, ;sección local\n", 3, None),
    ],
)
def test_glossary_errors_name_the_line(text: str, line: int, says: str | None) -> None:
    if says is None:
        assert glossary(text).terms[0].forms == {"en": ("local",), "es": ("sección local",)}
        assert glossary(text).terms[0].line == line
        return
    with pytest.raises(ConfigError) as raised:
        glossary(text)
    assert str(raised.value) == f"glossary.csv:{line}: {says}"


def test_a_bad_glossary_stops_check_with_its_line(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book", {"01-a.md": "# A\n"}, files={"glossary.csv": "en,de\n"})
    assert_one_error(cli(book, "check"), "glossary.csv:1: unknown column 'de'")


def test_book_toml_names_another_glossary(tmp_path: Path) -> None:
    toml = book_toml(glossary="terms/union.csv")
    texts = {"01-a.md": "# The local\n"}
    book = make_book(tmp_path / "book", texts, toml=toml, files={"terms/union.csv": GLOSSARY},
                     translations={"The local": "El sindicato"})
    run = cli(book, "check")
    assert "glossary: 'local' is translated 'sección local' (terms/union.csv:3)" in run.stdout
    (book / "terms/union.csv").unlink()
    assert_one_error(cli(book, "check"), "terms/union.csv: no such file")


TEXT = (
    "# The local\n\n"
    "The locals began organizing in 1934.\n\n"
    "Nothing to see here.\n"
)


def test_update_writes_glossary_comments_once_and_keeps_other_comments(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book", {"01-a.md": TEXT}, files={"glossary.csv": GLOSSARY},
                     translations={"The local": "La sección local"})
    catalog = book / "locales/es/LC_MESSAGES/01-a.po"
    po = read_po(catalog)
    for message in po.messages():
        message.user_comments = ["a translator's note"]
    catalog.write_text(render_po(po), encoding="utf-8")
    assert cli(book, "update").returncode == 0
    comments = {str(m.id): m.auto_comments for m in read_po(catalog).messages()}
    assert comments == {
        "The local": ["type: heading", "glossary: local = sección local (a branch of the union)"],
        "The locals began organizing in 1934.": [
            "type: paragraph",
            "glossary: organizing = organización; organizar",
            "glossary: local = sección local (a branch of the union)",
        ],
        "Nothing to see here.": ["type: paragraph"],
    }
    assert all(m.user_comments == ["a translator's note"] for m in read_po(catalog).messages())
    assert "#. glossary: local = sección local" in catalog.read_text(encoding="utf-8")

    before = tree_state(book)
    assert cli(book, "update").returncode == 0
    assert tree_changes(before, tree_state(book)) == []  # a second update changes no byte


def test_a_term_taken_out_of_the_glossary_leaves_the_catalogs(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book", {"01-a.md": TEXT}, files={"glossary.csv": GLOSSARY},
                     translations={})
    catalog = book / "locales/es/LC_MESSAGES/01-a.po"
    assert "glossary: organizing" in catalog.read_text(encoding="utf-8")
    (book / "glossary.csv").write_text("en,es\nlocal,sección local\n", encoding="utf-8")
    assert cli(book, "update").returncode == 0
    text = catalog.read_text(encoding="utf-8")
    assert "glossary: organizing" not in text
    assert text.count("#. glossary: local = sección local\n") == 2


def test_a_book_without_a_glossary_gets_the_same_catalogs_as_before(tmp_path: Path) -> None:
    with_glossary = make_book(tmp_path / "a", {"01-a.md": TEXT}, files={"glossary.csv": GLOSSARY},
                              translations={})
    without = make_book(tmp_path / "b", {"01-a.md": TEXT}, translations={})
    (with_glossary / "glossary.csv").unlink()
    assert cli(with_glossary, "update").returncode == 0
    for name in ("locales/01-a.pot", "locales/es/LC_MESSAGES/01-a.po"):
        plain = (without / name).read_text(encoding="utf-8")
        assert "glossary" not in plain
        assert (with_glossary / name).read_text(encoding="utf-8") == plain


def test_a_book_may_make_glossary_findings_errors_that_stop_a_strict_build(tmp_path: Path) -> None:
    toml = book_toml(tables={"checks": {"glossary": "error"}})
    book = make_book(tmp_path / "book", {"01-a.md": "# The local\n"}, toml=toml,
                     files={"glossary.csv": GLOSSARY}, translations={"The local": "El sindicato"})
    run = cli(book, "build", "--format", "epub", "--strict")
    assert run.returncode == 1, str(run)
    assert "glossary: 'local' is translated 'sección local' (glossary.csv:3)" in run.stderr
    assert not (book / "build").exists() or not list((book / "build").glob("*.epub"))


def test_a_glossary_check_turned_off_does_not_read_the_glossary(tmp_path: Path) -> None:
    toml = book_toml(tables={"checks": {"glossary": "off"}})
    book = make_book(tmp_path / "book", {"01-a.md": "# A\n"}, toml=toml, translations={"A": "A"})
    (book / "glossary.csv").write_text("en,de\n", encoding="utf-8")
    run = cli(book, "check")
    assert (run.returncode, run.stderr.strip()) == (0, "0 errors, 0 warnings")

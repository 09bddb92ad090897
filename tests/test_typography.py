"""Typography per language, case by case: tests/fixtures/typography/<language>.txt."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual_pub.catalogs.checks import run_checks
from bilingual_pub.catalogs.messages import Message
from bilingual_pub.config import Typography, load_config
from bilingual_pub.errors import ConfigError
from bilingual_pub.markdown import inline_parser
from bilingual_pub.render.inline import MARKUP_CHARACTERS, _render, plain_text, render_inline
from bilingual_pub.typography import NBSP, WORD_JOINER, typesetter, typography_problems

CASES = Path(__file__).parent / "fixtures" / "typography"
PLACEHOLDERS = {"{NBSP}": NBSP, "{WJ}": WORD_JOINER, "{NL}": "\n"}


def _expand(text: str) -> str:
    for name, char in PLACEHOLDERS.items():
        text = text.replace(name, char)
    return text


def _cases(lang: str) -> list[tuple[int, str, str]]:
    """(line, input, expected) of each case in the language's case file."""
    lines = (CASES / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
    cases = []
    for number, line in enumerate(lines, start=1):
        if line.startswith("in:  "):
            expected = lines[number]
            assert expected.startswith("out: "), f"{lang}.txt:{number + 1}: out: expected"
            cases.append((number, _expand(line[5:]), _expand(expected[5:])))
    return cases


@pytest.mark.parametrize(
    ("lang", "line", "text", "expected"),
    [(lang, *case) for lang in ("en", "es") for case in _cases(lang)],
    ids=lambda value: str(value)[:30],
)
def test_case_file(lang: str, line: int, text: str, expected: str) -> None:
    rules = typesetter(Typography(), lang)
    assert render_inline(text, typography=rules) == expected, f"{lang}.txt:{line}"


def test_rules_follow_the_language_tag() -> None:
    assert typesetter(Typography(), "es-MX") == typesetter(Typography(), "es").__class__(
        "es-MX", (("«", "»"), ("“", "”"), ("‘", "’")), dialogue=True
    )
    assert render_inline('"a"', typography=typesetter(Typography(), "en-GB")) == "“a”"


def test_a_configured_quote_set_replaces_the_default() -> None:
    settings_ = Typography(quotes=(("es", "“”‘’"),))
    rules = typesetter(settings_, "es")
    assert render_inline('"a \'b "c" b\' a"', typography=rules) == "“a ‘b “c” b’ a”"
    assert render_inline('"x"', typography=typesetter(settings_, "en")) == "“x”"


def test_a_language_without_a_quote_set_keeps_straight_quotes_but_sets_the_rest() -> None:
    rules = typesetter(Typography(), "de")
    assert render_inline('"Ja" -- it\'s...', typography=rules) == '"Ja" – it’s…'


def test_smart_false_turns_everything_off() -> None:
    assert typesetter(Typography(smart=False), "es") is None
    assert render_inline('"a" -- b...', typography=None) == '"a" -- b...'


def test_single_letter_words_keep_their_next_word_when_asked() -> None:
    text = "Fue y a la casa o a I"
    assert render_inline(text, typography=typesetter(Typography(), "es")) == text
    rules = typesetter(Typography(nbsp_single_letter=True), "es")
    assert render_inline(text, typography=rules) == f"Fue y{NBSP}a{NBSP}la casa o{NBSP}a{NBSP}I"


def test_raw_html_is_untouched() -> None:
    rules = typesetter(Typography(), "en")
    html = render_inline('<span title="it\'s -- a">"x"</span>', raw_html=True, typography=rules)
    assert html == '<span title="it\'s -- a">“x”</span>'


def test_plain_text_is_set_too() -> None:
    rules = typesetter(Typography(), "es")
    assert plain_text(' "Las *quejas*" ', typography=rules) == "«Las quejas»"
    assert plain_text('"Las quejas"', typography=rules) == "«Las quejas»"


WORDS = "".join(ch for ch in string.printable if ch not in MARKUP_CHARACTERS) + "«»“”‘’—…"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=WORDS, max_size=50), st.sampled_from(["en", "es"]))
def test_the_shortcut_and_the_parser_set_the_same_text(text: str, lang: str) -> None:
    """Segments without markup skip the parser: typography must not notice the difference."""
    rules = typesetter(Typography(nbsp_single_letter=True), lang)
    assert rules is not None
    tokens = inline_parser(raw_html=False).parseInline(text)
    children = tokens[0].children or [] if tokens else []
    rules.tokens(children)
    parsed = _render(children, raw_html=False, footnote=None, image=None)
    assert render_inline(text, typography=rules) == parsed


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ('He said "no".', 'Dijo "no.', ['unbalanced quotes "']),
        ("He said “no”.", "Dijo «no.", ["unbalanced quotes «…»"]),
        ('"One', '"Uno', []),  # a quote running on to the next paragraph: the author's
        ('He said `"` once.', 'Dijo `"` una vez.', []),  # code is not prose
        ("—Hi —she said.", "— Hola —dijo.", ["a raya followed by a space"]),
        ("—Hi —she said.", "—Hola —dijo ella— y se fue.", []),
        ("He said “no”.", 'Dijo "no".', ["straight \" where the source's quotes are curly"]),
        ("It’s “here”.", "Está «aquí».", []),
        ("UE’s director", "el director del UE's", ["straight ' where the source's quotes"]),
    ],
)
def test_typography_problems(source: str, translation: str, expected: list[str]) -> None:
    problems = typography_problems(source, translation, "es")
    assert len(problems) == len(expected), problems
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)


def test_check_reports_typography_as_a_warning_with_its_line() -> None:
    message = Message("He said “no”.", 'Dijo "no".', lineno=42)
    findings = run_checks(
        message, path="locales/es/LC_MESSAGES/a.po", source_language="en", target_language="es"
    )
    typographic = [finding for finding in findings if finding.kind == "typography"]
    assert [(f.level, f.line) for f in typographic] == [("warning", 42)]
    assert str(typographic[0]).startswith("locales/es/LC_MESSAGES/a.po:42: typography: ")


BOOK = """\
[book]
slug = "b"
languages = ["en", "es"]
[book.title]
en = "B"
es = "B"
"""


def _load(tmp_path: Path, typography: str) -> Typography:
    (tmp_path / "book.toml").write_text(BOOK + typography, encoding="utf-8")
    return load_config(tmp_path).typography


def test_book_toml_typography_table(tmp_path: Path) -> None:
    assert _load(tmp_path, "") == Typography()
    settings_ = _load(
        tmp_path, '[typography]\nsmart = true\nquotes.es = "“”‘’"\nnbsp_single_letter = true\n'
    )
    assert settings_.quotes_for("es") == "“”‘’" and settings_.quotes_for("en") is None
    assert settings_.nbsp_single_letter
    assert not _load(tmp_path, "[typography]\nsmart = false\n").smart


@pytest.mark.parametrize(
    ("typography", "message"),
    [
        ("[typography]\nquote = 1\n", "book.toml:8: typography.quote: unknown key"),
        ("[typography]\nsmart = 1\n", "book.toml:8: typography.smart: expected true or false"),
        ('[typography]\nquotes.es = "«»"\n', "book.toml:8: typography.quotes.es: '«»': give"),
        ('[typography.quotes]\nes = "«»“\\"‘’"\n', "book.toml:8: typography.quotes.es: "),
        ('[typography]\nquotes.fr = "«»“”"\n', "book.toml:8: typography.quotes.fr: 'fr' is not"),
    ],
)
def test_book_toml_typography_mistakes(tmp_path: Path, typography: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, typography)
    assert str(caught.value).startswith(message), str(caught.value)

"""Each quality check, on single entries: what it finds, at which level, and what it lets pass."""

from __future__ import annotations

import pytest

from bilingual_pub.catalogs.checks import markup_inventory, run_checks
from bilingual_pub.catalogs.messages import make_message
from bilingual_pub.model import Level

ERROR, WARNING = Level.ERROR, Level.WARNING


def findings(source: str, translation: str, *, fuzzy: bool = False, target: str = "es") -> list[
    tuple[Level, str, str]
]:
    message = make_message(source, translation, flags=["fuzzy"] if fuzzy else [], lineno=12)
    found = run_checks(
        message, path="locales/x.po", source_language="en" if target == "es" else "es",
        target_language=target,
    )
    assert all(f.line == 12 and f.path == "locales/x.po" for f in found)
    return [(f.level, f.kind, f.message) for f in found]


def test_clean_translation_has_no_findings() -> None:
    assert findings(
        "In 1992, *two* unions met in [Chicago](https://example.org/chicago).[^1] Why?",
        "En 1992, *dos* sindicatos se reunieron en [Chicago](https://example.org/chicago).[^1] "
        "¿Por qué?",
    ) == []


def test_untranslated() -> None:
    assert findings("Text.", "") == [(WARNING, "untranslated", "no translation yet")]


def test_fuzzy() -> None:
    assert findings("Text.", "Texto.", fuzzy=True) == [
        (WARNING, "fuzzy", "the text changed; review the translation and remove the fuzzy flag")
    ]


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        ("An *emphasis*.", "Un énfasis.", "em: 1 in the source, 0 in the translation"),
        ("A **strong** word.", "Una palabra.", "strong: 1 in the source, 0 in the translation"),
        ("Run `update`.", "Ejecute update.", "code_inline: 1 in the source, 0 in the translation"),
        ("A note.[^1]", "Una nota.", "footnote [^1]: 1 in the source, 0 in the translation"),
        ("A note.[^1]", "Una nota.[^2]", "footnote [^1]: 1 in the source, 0 in the translation"),
        ("Plain.", "*Sencillo*.", "em: 0 in the source, 1 in the translation"),
    ],
)
def test_markup_parity_is_an_error(source: str, translation: str, message: str) -> None:
    found = findings(source, translation)
    assert (ERROR, "markup", message) in found
    assert all(level == ERROR for level, kind, _ in found if kind == "markup")


def test_markup_may_move_and_change_its_words() -> None:
    assert findings("A *big* **strike** in `1994`.", "Una **huelga** *grande* en `1994`.") == []


def test_link_url_changed_is_an_error() -> None:
    assert findings("See [the site](https://a.org/en).", "Vea [el sitio](https://a.org/es).") == [
        (ERROR, "link", "link (https://a.org/en): 1 in the source, 0 in the translation"),
        (ERROR, "link", "link (https://a.org/es): 0 in the source, 1 in the translation"),
    ]


def test_link_text_may_be_translated() -> None:
    assert findings("See [the site](https://a.org/).", "Vea [el sitio](https://a.org/).") == []


def test_numbers_missing_from_the_translation() -> None:
    assert findings("In 1994, 250 workers voted.", "En 1994 votaron los trabajadores.") == [
        (WARNING, "numbers", "not in the translation: 250")
    ]


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("10,000 workers", "10.000 trabajadores"),
        ("10,000 workers", "10 000 trabajadores"),
        ("3.5 percent", "3,5 por ciento"),
        ("1992 and 1994", "1994 y 1992"),
    ],
)
def test_numbers_in_other_notations_are_the_same_numbers(source: str, translation: str) -> None:
    assert findings(source, translation) == []


@pytest.mark.parametrize(
    ("translation", "message"),
    [
        ("Qué pasó?", "unbalanced ¿…?"),
        ("¿Qué pasó.", "unbalanced ¿…?"),
        ("Basta!", "unbalanced ¡…!"),
        ("¡Basta.", "unbalanced ¡…!"),
    ],
)
def test_spanish_inverted_punctuation(translation: str, message: str) -> None:
    assert findings("What happened?", translation) == [(WARNING, "punctuation", message)]


def test_balanced_spanish_punctuation_passes() -> None:
    assert findings("Really? Enough!", "¿De verdad? ¡Basta! Y luego, ¿qué?") == []


def test_punctuation_is_checked_only_in_spanish() -> None:
    assert findings("¿Qué pasó?", "What happened?", target="en") == []


@pytest.mark.parametrize("translation", ["Texto. ", " Texto.", "Texto.\n"])
def test_whitespace_at_the_ends(translation: str) -> None:
    assert findings("Text.", translation) == [
        (WARNING, "whitespace", "leading or trailing whitespace differs from the source")
    ]


def test_fuzzy_entries_get_only_the_fuzzy_warning() -> None:
    # the translation is known to be stale: parity checks would only add noise
    assert [kind for _, kind, _ in findings("An *emphasis*.", "Un énfasis.", fuzzy=True)] == ["fuzzy"]


def test_markup_inventory() -> None:
    assert markup_inventory("*a* **b** `c` [d](e) [^f] ![g](h.png) <i>j</i>") == {
        "em": 1, "strong": 1, "code_inline": 1, "link (e)": 1, "footnote [^f]": 1,
        "image (h.png)": 1, "raw HTML": 2,
    }

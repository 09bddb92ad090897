"""The words editions write themselves: labels and language names."""

from __future__ import annotations

from babel import Locale

from bilingual_pub.render.labels import LABELS, LANGUAGE_NAMES, label, language_name


def test_language_names_table_is_babels() -> None:
    """The table saves loading Babel's locale data; it must say what Babel says."""
    assert set(LANGUAGE_NAMES) == set(LABELS)
    for code, names in LANGUAGE_NAMES.items():
        assert set(names) == set(LABELS)
        for in_lang, name in names.items():
            assert name == Locale.parse(code).get_display_name(in_lang), (code, in_lang)


def test_language_name_outside_the_table_asks_babel() -> None:
    assert language_name("es", "en") == "Spanish"
    assert language_name("es-MX", "en") == "Spanish (Mexico)"
    assert language_name("nl", "en") == "Dutch"
    assert language_name("es", "nl") == "Spaans"
    assert language_name("qq", "en") == "qq"


def test_label_falls_back_to_primary_subtag_then_english() -> None:
    assert label("contents", "es-MX") == ("Índice", "es")
    assert label("back_to_text", "fr") == ("Back to the text", "en")

"""The few words an edition writes itself ("Contents", "untranslated", "needs review"), per
language.

A label is looked up by language tag, then by its primary subtag ("es-MX" ->
"es"), then in English; the language actually found is returned with the text
so that the element holding it can carry a truthful ``lang``.
"""

from __future__ import annotations

from typing import NamedTuple

FALLBACK = "en"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "contents": "Contents",
        "landmarks": "Landmarks",
        "cover": "Cover",
        "title_page": "Title page",
        "start": "Beginning of the text",
        "untranslated": "untranslated",
        "review": "needs review",
        "translated_by": "Translated by",
        "notes": "Notes",
        "note": "Note",
        "back_to_text": "Back to the text",
        "summary_parallel": (
            "Each passage appears in {first} and then in {second}, and each language is marked"
            " so that text-to-speech reads it correctly; wide screens show the two side by side."
        ),
        "summary_single": "The text is in {language}.",
        "summary_common": (
            " Chapter and section headings are structured and listed in the table of contents,"
            " footnotes link to their notes and back, and no colour carries meaning."
        ),
        "summary_images": " Every image has a text alternative taken from its caption.",
        "summary_stand_ins": " Passages not yet translated are shown in the original, marked.",
        "summary_reviews": " Passages whose translation awaits review are marked.",
    },
    "es": {
        "contents": "Índice",
        "landmarks": "Puntos de referencia",
        "cover": "Cubierta",
        "title_page": "Portada",
        "start": "Comienzo del texto",
        "untranslated": "sin traducir",
        "review": "por revisar",
        "translated_by": "Traducción de",
        "notes": "Notas",
        "note": "Nota",
        "back_to_text": "Volver al texto",
        "summary_parallel": (
            "Cada pasaje aparece en {first} y después en {second}, y cada idioma está marcado"
            " para que la lectura en voz alta lo pronuncie bien; en pantallas anchas se"
            " muestran uno junto al otro."
        ),
        "summary_single": "El texto está en {language}.",
        "summary_common": (
            " Los títulos de capítulos y secciones están estructurados y figuran en el índice,"
            " las notas al pie enlazan con su llamada en ambos sentidos y ningún color"
            " transmite información."
        ),
        "summary_images": " Todas las imágenes tienen un texto alternativo tomado de su pie.",
        "summary_stand_ins": " Los pasajes aún sin traducir se muestran en el original, marcados.",
        "summary_reviews": " Los pasajes cuya traducción está por revisar van marcados.",
    },
    "fr": {
        "contents": "Table des matières",
        "cover": "Couverture",
        "title_page": "Page de titre",
        "untranslated": "non traduit",
        "review": "à relire",
        "translated_by": "Traduit par",
        "notes": "Notes",
    },
    "de": {
        "contents": "Inhalt",
        "cover": "Umschlag",
        "title_page": "Titelseite",
        "untranslated": "nicht übersetzt",
        "review": "zu prüfen",
        "translated_by": "Übersetzt von",
        "notes": "Anmerkungen",
    },
    "it": {
        "contents": "Indice",
        "cover": "Copertina",
        "title_page": "Frontespizio",
        "untranslated": "non tradotto",
        "review": "da rivedere",
        "translated_by": "Traduzione di",
        "notes": "Note",
    },
    "pt": {
        "contents": "Sumário",
        "cover": "Capa",
        "title_page": "Folha de rosto",
        "untranslated": "não traduzido",
        "review": "a rever",
        "translated_by": "Tradução de",
        "notes": "Notas",
    },
}


# CLDR's names (as Babel gives them) of the languages above, in each of them: loading
# Babel's locale data for two names costs more than the rest of an EPUB's metadata.
# tests/test_labels.py holds this table to Babel's.  Outer key: the language named.
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "en": {"en": "English", "es": "inglés", "fr": "anglais", "de": "Englisch", "it": "inglese",
           "pt": "inglês"},
    "es": {"en": "Spanish", "es": "español", "fr": "espagnol", "de": "Spanisch",
           "it": "spagnolo", "pt": "espanhol"},
    "fr": {"en": "French", "es": "francés", "fr": "français", "de": "Französisch",
           "it": "francese", "pt": "francês"},
    "de": {"en": "German", "es": "alemán", "fr": "allemand", "de": "Deutsch", "it": "tedesco",
           "pt": "alemão"},
    "it": {"en": "Italian", "es": "italiano", "fr": "italien", "de": "Italienisch",
           "it": "italiano", "pt": "italiano"},
    "pt": {"en": "Portuguese", "es": "portugués", "fr": "portugais", "de": "Portugiesisch",
           "it": "portoghese", "pt": "português"},
}  # fmt: skip


class Label(NamedTuple):
    text: str
    lang: str  # the language the text is really in (may be the fallback)


def label(key: str, lang: str) -> Label:
    for candidate in (lang, lang.split("-")[0], FALLBACK):
        text = LABELS.get(candidate, {}).get(key)
        if text is not None:
            return Label(text, candidate)
    raise KeyError(key)


def language_name(code: str, in_lang: str) -> str:
    """``es`` written in ``en`` -> "Spanish"; falls back to the code itself."""
    known = LANGUAGE_NAMES.get(code, {}).get(in_lang)
    if known is not None:
        return known
    from babel import Locale, UnknownLocaleError  # only for languages the table lacks

    try:
        locale = Locale.parse(code.replace("-", "_"))
        name = locale.get_display_name(in_lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return code
    return name or code

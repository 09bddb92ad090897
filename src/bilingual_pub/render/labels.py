"""The few words an edition writes itself ("Contents", "untranslated", "needs review"), per
language.

A label is looked up by language tag, then by its primary subtag ("es-MX" ->
"es"), then in English; the language actually found is returned with the text
so that the element holding it can carry a truthful ``lang``.  The front matter
(title page, colophon, contents) writes only labels of ``FRONT_MATTER``, which
every language of the table has: an edition's front matter is in its language,
in both of them in the parallel edition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
        "translated_into": "Translated into {language} by {names}",
        "translated_between": "Translated between {first} and {second} by {names}",
        "typeset": "Set in {font}. Typeset with bilingual-pub and WeasyPrint.",
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
        "translated_into": "Traducción al {language}: {names}",
        "translated_between": "Traducción entre el {first} y el {second}: {names}",
        "typeset": "Compuesto en {font}. Maquetado con bilingual-pub y WeasyPrint.",
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
        "landmarks": "Repères",
        "cover": "Couverture",
        "title_page": "Page de titre",
        "start": "Début du texte",
        "untranslated": "non traduit",
        "review": "à relire",
        "translated_by": "Traduit par",
        "translated_into": "Traduit en {language} par {names}",
        "translated_between": "Traduction ({first}, {second})\u00a0: {names}",
        "typeset": "Composé en {font}. Mis en pages avec bilingual-pub et WeasyPrint.",
        "notes": "Notes",
    },
    "de": {
        "contents": "Inhalt",
        "landmarks": "Orientierungspunkte",
        "cover": "Umschlag",
        "title_page": "Titelseite",
        "start": "Textbeginn",
        "untranslated": "nicht übersetzt",
        "review": "zu prüfen",
        "translated_by": "Übersetzt von",
        "translated_into": "Übersetzung ({language}): {names}",
        "translated_between": "Übersetzung ({first}, {second}): {names}",
        "typeset": "Gesetzt aus der {font}. Satz mit bilingual-pub und WeasyPrint.",
        "notes": "Anmerkungen",
    },
    "it": {
        "contents": "Indice",
        "landmarks": "Punti di riferimento",
        "cover": "Copertina",
        "title_page": "Frontespizio",
        "start": "Inizio del testo",
        "untranslated": "non tradotto",
        "review": "da rivedere",
        "translated_by": "Traduzione di",
        "translated_into": "Traduzione in {language} di {names}",
        "translated_between": "Traduzione tra {first} e {second} di {names}",
        "typeset": "Composto in {font}. Impaginato con bilingual-pub e WeasyPrint.",
        "notes": "Note",
    },
    "pt": {
        "contents": "Sumário",
        "landmarks": "Pontos de referência",
        "cover": "Capa",
        "title_page": "Folha de rosto",
        "start": "Início do texto",
        "untranslated": "não traduzido",
        "review": "a rever",
        "translated_by": "Tradução de",
        "translated_into": "Tradução para o {language}: {names}",
        "translated_between": "Tradução entre o {first} e o {second}: {names}",
        "typeset": "Composto em {font}. Paginado com bilingual-pub e WeasyPrint.",
        "notes": "Notas",
    },
}

# The labels the front matter writes (title page, colophon, contents, landmarks):
# tests/test_front_matter.py holds every language of the table to having them all.
FRONT_MATTER = (
    "contents",
    "landmarks",
    "cover",
    "title_page",
    "start",
    "translated_by",
    "translated_into",
    "translated_between",
    "typeset",
)


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


def filled(key: str, lang: str, **values: str) -> Label:
    """A label with its blanks filled: ``filled("typeset", "es", font="Source Serif Pro")``."""
    found = label(key, lang)
    return Label(found.text.format(**values), found.lang)


def one_per_language(labels: Iterable[Label]) -> list[Label]:
    """An edition's labels, one per language they are really in (two fallbacks would repeat)."""
    kept: dict[str, Label] = {}
    for item in labels:
        kept.setdefault(item.lang, item)
    return list(kept.values())


def translated_into(languages: Sequence[str], sources: Iterable[str]) -> tuple[str, ...]:
    """The book's languages its texts were translated into: each one some text is not written in.

    A book written in English has been translated into Spanish; with one of its texts
    written in Spanish, into English as well.
    """
    written_in = set(sources)
    return tuple(lang for lang in languages if written_in - {lang})


def translation_credit(names: Sequence[str], into: Sequence[str], lang: str) -> Label:
    """Who translated, and into which language, in ``lang``: "Traducción al inglés: Ben Tester"."""
    people = ", ".join(names)
    if not into:
        words = label("translated_by", lang)
        return Label(f"{words.text} {people}", words.lang)
    if len(into) == 1:
        language = language_name(into[0], label("translated_into", lang).lang)
        return filled("translated_into", lang, language=language, names=people)
    in_lang = label("translated_between", lang).lang
    first, second = (language_name(code, in_lang) for code in into[:2])
    return filled("translated_between", lang, first=first, second=second, names=people)

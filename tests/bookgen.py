"""Generated bilingual books for layout tests and benchmarks.

Deterministic pseudo-prose in two "languages" (the second ~1.2x longer, as
Spanish runs against English), made into a real book project by the harness's
``make_book``: book.toml, texts/*.md, and catalogs produced by the toolkit's own
update and then filled in, as a translator would.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from bilingual_pub.project import Project
from tests.harness import REPO, book_toml, make_book

EN_WORDS = [
    "union",
    "workers",
    "plant",
    "border",
    "alliance",
    "members",
    "solidarity",
    "contract",
    "wages",
    "company",
    "meeting",
    "delegation",
    "organizer",
    "struggle",
    "federation",
    "rights",
    "law",
    "reform",
    "complaint",
    "government",
    "exchange",
    "factory",
    "shift",
    "vote",
    "democracy",
    "campaign",
    "history",
    "agreement",
    "trade",
    "city",
    "country",
    "neighbor",
    "together",
    "across",
    "north",
    "south",
    "long",
    "road",
    "hope",
    "strength",
    "voice",
    "table",
    "answer",
    "question",
]
ES_WORDS = [
    "sindicato",
    "trabajadores",
    "planta",
    "frontera",
    "alianza",
    "afiliados",
    "solidaridad",
    "contrato",
    "salarios",
    "empresa",
    "reunión",
    "delegación",
    "organizadora",
    "lucha",
    "federación",
    "derechos",
    "ley",
    "reforma",
    "queja",
    "gobierno",
    "intercambio",
    "fábrica",
    "turno",
    "votación",
    "democracia",
    "campaña",
    "historia",
    "acuerdo",
    "comercio",
    "ciudad",
    "país",
    "vecinos",
    "juntos",
    "través",
    "norte",
    "sur",
    "largo",
    "camino",
    "esperanza",
    "fuerza",
    "palabra",
    "mesa",
    "respuesta",
    "pregunta",
]


def sentence(rng: random.Random, words: list[str], length: int) -> str:
    chosen = [rng.choice(words) for _ in range(length)]
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."


def paragraph(rng: random.Random, words: list[str], sentences: int, scale: float = 1.0) -> str:
    return " ".join(
        sentence(rng, words, max(3, int(rng.randint(8, 18) * scale))) for _ in range(sentences)
    )


def pair_paragraph(rng: random.Random, sentences: int) -> tuple[str, str]:
    seed = rng.random()
    en = paragraph(random.Random(seed), EN_WORDS, sentences)
    es = paragraph(random.Random(seed), ES_WORDS, sentences, scale=1.2)
    return en, es


def generated_book_toml(slug: str) -> str:
    return book_toml(
        slug=slug,
        authors=["Test Author"],
        translators=["Test Translator"],
        year=2026,
        titles={"en": "A Generated Book", "es": "Un libro generado"},
        tables={"pdf": {"page_size": "6in 9in"}},  # [pdf] last: tests append keys to it
    )


def _svg() -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120">'
        '<rect x="10" y="10" width="280" height="100" fill="none" stroke="black"/>'
        '<circle cx="80" cy="60" r="20" fill="gray"/><circle cx="220" cy="60" r="20" fill="gray"/>'
        '<line x1="100" y1="60" x2="200" y2="60" stroke="black"/></svg>'
    )


def copy_sample_book(target: Path) -> Path:
    """A copy of this repository's sample book project (config, texts, catalogs, images)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "book.toml", target / "book.toml")
    for folder in ("texts", "locales", "images"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def write_book(
    root: Path,
    *,
    chapters: int = 2,
    paragraphs: int = 30,
    seed: int = 7,
    slug: str = "gen",
    features: bool = True,
) -> Project:
    """A complete, fully translated book project under ``root``."""
    rng = random.Random(seed)
    texts: dict[str, str | bytes] = {}
    translations: dict[str, str] = {}

    def pair(en: str, es: str) -> str:
        translations[en] = es
        return en

    for number in range(1, chapters + 1):
        blocks = [
            f"# {pair(f'Chapter {number}: ' + sentence(rng, EN_WORDS, 4)[:-1], f'Capítulo {number}: ' + sentence(rng, ES_WORDS, 5)[:-1])}"
        ]
        if features and number == 1:
            blocks.append(
                "## "
                + pair(
                    "Short heading",
                    "Un encabezado bastante más largo que ocupa varias líneas en la columna española del libro",
                )
            )
            en, es = pair_paragraph(rng, 3)
            blocks.append(pair(en + "[^1]", es + "[^1]"))
            blocks.append("\n".join("- " + pair(*pair_paragraph(rng, 1)) for _ in range(3)))
            blocks.append(
                "1. " + pair(*pair_paragraph(rng, 1)) + "\n2. " + pair(*pair_paragraph(rng, 2))
            )
            blocks.append("> " + pair(*pair_paragraph(rng, 2)))
            blocks.append(
                "!["
                + pair("A small diagram of two plants", "Un pequeño diagrama de dos plantas")
                + "](../images/diagram.svg)"
            )
            en, es = pair_paragraph(rng, 60)  # longer than two pages
            blocks.append(pair(en, es))
            blocks.append(f"[^1]: {pair(*pair_paragraph(rng, 1))}")
        for index in range(paragraphs):
            if index % 9 == 4:
                blocks.append(
                    "## " + pair(sentence(rng, EN_WORDS, 3)[:-1], sentence(rng, ES_WORDS, 4)[:-1])
                )
            if index % 5 == 2:
                # a one-line source against a long translation: the pair most likely to split badly
                blocks.append(pair(sentence(rng, EN_WORDS, 3), paragraph(rng, ES_WORDS, 2)))
            else:
                blocks.append(pair(*pair_paragraph(rng, rng.choice([1, 1, 2, 3, 4, 6]))))
        body = [b for b in blocks if not b.startswith("[^")] + [
            b for b in blocks if b.startswith("[^")
        ]
        texts[f"{number:02d}-chapter.md"] = "\n\n".join(body) + "\n"
    make_book(
        root,
        texts,
        toml=generated_book_toml(slug),
        files={"images/diagram.svg": _svg()},
        translations=translations,
    )
    return Project.open(root)


def write_notes_book(root: Path, *, paragraphs: int = 60, seed: int = 5) -> Project:
    """One text dense with footnotes (every other paragraph calls one, early in its text)."""
    rng = random.Random(seed)
    translations = {"Notes everywhere": "Notas por todas partes"}
    blocks, notes = ["# Notes everywhere"], []
    for index in range(paragraphs):
        en, es = pair_paragraph(rng, rng.choice([3, 6, 8, 10]))
        if index % 2 == 0:
            number = len(notes) + 1
            en_cut, es_cut = en.index(" ", len(en) // 12), es.index(" ", len(es) // 12)
            en = f"{en[:en_cut]}[^{number}]{en[en_cut:]}"
            es = f"{es[:es_cut]}[^{number}]{es[es_cut:]}"
            note_en, note_es = pair_paragraph(rng, 2)
            translations[note_en] = note_es
            notes.append(f"[^{number}]: {note_en}")
        translations[en] = es
        blocks.append(en)
    text = "\n\n".join(blocks + notes) + "\n"
    make_book(
        root,
        {"01-notes.md": text},
        toml=generated_book_toml("gen"),
        files={"images/diagram.svg": _svg()},
        translations=translations,
    )
    return Project.open(root)


# The worst cases for narrow columns: tokens that cannot break at a space.
WORST_IDENTIFIERS = [
    "itertools.combinations_with_replacement(iterable, r)",
    "concurrent.futures.ProcessPoolExecutor",
    "collections.abc.MutableMapping.setdefault_when_missing_value",  # 60 characters
    "std::collections::hash_map::DefaultHasher::new_with_keys",
    "/usr/local/share/bilingual-pub/templates/pdf/book.css",
]
WORST_URL = (
    "https://docs.example.org/reference/library/concurrent.futures/process-pool-executors"
    "?version=3.12&section=shutdown-waits"
)  # 120 characters
WORST_WORDS_EN = ["counterrevolutionaries", "antidisestablishmentarianism"]
WORST_WORDS_ES = ["electroencefalografista", "esternocleidomastoideo", "otorrinolaringólogo"]
WORST_TITLE_EN = "Instrumenting CPython with DTrace and SystemTap across Many Long Kernel Releases"
WORST_TITLE_ES = "Instrumentación de CPython con DTrace y SystemTap en muchas versiones del núcleo"


def write_worst_case_book(root: Path, *, page_size: str = "6in 9in", seed: int = 11) -> Project:
    """A book of the worst cases for narrow columns: 60-character identifiers in code spans,
    120-character URLs in links and bare, long compound words in both languages, 80-character
    chapter titles and a table with long cells, set at ``page_size`` ("6in 9in", "A5")."""
    assert len(WORST_URL) == 120 and len(WORST_TITLE_EN) == 80
    rng = random.Random(seed)
    translations: dict[str, str] = {}

    def pair(en: str, es: str) -> str:
        translations[en] = es
        return en

    texts: dict[str, str | bytes] = {}
    for number in (1, 2):
        blocks = [f"# {pair(WORST_TITLE_EN, WORST_TITLE_ES)}"]
        for index, identifier in enumerate(WORST_IDENTIFIERS):
            en, es = pair_paragraph(rng, 2)
            word_en = WORST_WORDS_EN[index % len(WORST_WORDS_EN)]
            word_es = WORST_WORDS_ES[index % len(WORST_WORDS_ES)]
            blocks.append(
                pair(
                    f"The `{identifier}` call. {en} The {word_en} {WORST_URL} read it.",
                    f"La llamada `{identifier}`. {es} El {word_es} {WORST_URL} lo leyó.",
                )
            )
            blocks.append(
                pair(
                    f"See [{WORST_URL}]({WORST_URL}) and `{identifier}` for {word_en}.",
                    f"Véase [{WORST_URL}]({WORST_URL}) y `{identifier}` para {word_es}.",
                )
            )
            blocks.append(pair(*pair_paragraph(rng, rng.choice([1, 2, 3]))))
        header = "| " + pair("Name", "Nombre") + " | " + pair("Where", "Dónde") + " |"
        rows = [
            f"| `{identifier}` | {pair(f'At {WORST_URL} always', f'En {WORST_URL} siempre')} |"
            for identifier in WORST_IDENTIFIERS[:2]
        ]
        blocks.append("\n".join([header, "| --- | --- |", *rows]))
        texts[f"{number:02d}-worst.md"] = "\n\n".join(blocks) + "\n"
    slug = "worst"
    toml = book_toml(
        slug=slug,
        authors=["Test Author"],
        translators=["Test Translator"],
        year=2026,
        titles={"en": "A Book of Worst Cases", "es": "Un libro de los peores casos"},
        tables={"pdf": {"page_size": page_size}},
    )
    # cells of code alone are translated as themselves
    make_book(root, texts, toml=toml, translations=lambda text: translations.get(text, text))
    return Project.open(root)

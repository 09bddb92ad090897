"""A translated book written to be correct, for `check` to find nothing in.

A handbook for the data volunteers of a union, eleven chapters written in English (one per
local) and one written in Spanish, translated as a careful team would: code spans holding
`!=` and `!`, Spanish inverted marks around them, foreign words set in italics in Spanish,
links localised to the Spanish Wikipedia and flagged ``ignore-link`` once reviewed,
numbers written the Spanish way, and the book's glossary kept in both directions.
Deterministic: the same book every time, with more than 300 entries.
"""

from __future__ import annotations

from pathlib import Path

from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.po_write import render_po
from bilingual_pub.project import Project
from tests.harness import book_toml, make_book

GLOSSARY = (
    "en,es,note\n"
    "organizing,organización;organizar,bringing workers into the union\n"
    "local,sección local,a branch of the union\n"
    "collective bargaining,negociación colectiva\n"
    "steward,delegado;delegada\n"
)

# city, year, members (as written in English, in Spanish), days
LOCALS = [
    ("Oakland", 1934, "1,250", "1.250", 3),
    ("Tucson", 1941, "860", "860", 5),
    ("Monterrey", 1952, "2,400", "2.400", 2),
    ("Chicago", 1937, "3,100", "3.100", 4),
    ("Detroit", 1936, "5,600", "5.600", 6),
    ("Laredo", 1962, "740", "740", 7),
    ("Seattle", 1919, "1,980", "1.980", 8),
    ("Fresno", 1970, "630", "630", 9),
    ("Toledo", 1934, "1,410", "1.410", 10),
    ("Yakima", 1983, "520", "520", 11),
    ("Salinas", 1966, "910", "910", 12),
]

WIKI_EN = "https://en.wikipedia.org/wiki/Collective_bargaining"
WIKI_ES = "https://es.wikipedia.org/wiki/Negociaci%C3%B3n_colectiva"
MANUAL = "https://example.org/handbook/v2/members.html"

# Each pair: English, Spanish, with {city} {year} {members} {days} {n} filled in per chapter.
PARAGRAPHS = [
    (
        "In {year}, the {city} local had {members} members and met every second Tuesday.",
        "En {year}, la sección local de {city} tenía {es_members} afiliados y se reunía el "
        "segundo martes de cada mes.",
    ),
    (
        "Organizing in {city} began with house visits, not with a website.",
        "La organización en {city} empezó con visitas a domicilio, no con un sitio web.",
    ),
    (
        "For the {city} list, the script skips a row when `status != \"active\"`; run it "
        "with `--dry-run` first.",
        "Para la lista de {city}, el guion omite una fila cuando `status != \"active\"`; "
        "ejecútelo primero con `--dry-run`.",
    ),
    (
        "The volunteers in {city} called the unanswered calls their backlog.",
        "Los voluntarios de {city} llamaban *backlog* a las llamadas sin respuesta.",
    ),
    (
        "Before the {city} meeting, read the [article on collective bargaining]({wiki_en}).",
        "Antes de la reunión de {city}, lea el [artículo sobre la negociación "
        "colectiva]({wiki_es}).",
    ),
    (
        "Why did the {city} local wait {days} days? Because nobody checked `if count != 0`!",
        "¿Por qué esperó {days} días la sección local de {city}? ¡Porque nadie comprobó "
        "`if count != 0`!",
    ),
    (
        "The first contract in {city} was signed in {year}.[^1]",
        "El primer contrato de {city} se firmó en {year}.[^1]",
    ),
    (
        "Each steward in {city} keeps a copy of the list on paper, in case the server fails.",
        "Cada delegado de {city} guarda una copia de la lista en papel, por si falla el "
        "servidor.",
    ),
    (
        "Collective bargaining in {city} starts {days} weeks before the contract ends.",
        "La negociación colectiva en {city} empieza {days} semanas antes de que venza el "
        "contrato.",
    ),
    (
        "The {city} export uses the same columns as the [members page]({manual}) of the "
        "handbook.",
        "La exportación de {city} usa las mismas columnas que la [página de afiliados]({manual}) "
        "del manual.",
    ),
    (
        "In the shell, `!!` repeats the last command; do not type it in the {city} database.",
        "En el intérprete, `!!` repite la última orden; no lo escriba en la base de datos de "
        "{city}.",
    ),
    (
        "When the {city} dues file is late, write to the treasurer, not to the whole list.",
        "Cuando el archivo de cuotas de {city} llega tarde, escriba al tesorero, no a toda la "
        "lista.",
    ),
    (
        "Is the {city} list complete? Count the rows with `wc -l` and compare with {members}.",
        "¿Está completa la lista de {city}? Cuente las filas con `wc -l` y compárelas con "
        "{es_members}.",
    ),
    (
        "The **only** copy of the {city} minutes from {year} is kept at the hall.",
        "La **única** copia de las actas de {city} de {year} se guarda en el local.",
    ),
    (
        "A new steward in {city} learns the list in an afternoon and the people in a year.",
        "Una delegada nueva en {city} aprende la lista en una tarde y a las personas en un "
        "año.",
    ),
    (
        "The {city} volunteers rename files with `mv`, never with a mouse.",
        "Los voluntarios de {city} renombran los archivos con `mv`, nunca con el ratón.",
    ),
    (
        "Organizing the night shift in {city} took {days} months of lunches and phone calls.",
        "Organizar el turno de noche en {city} llevó {days} meses de almuerzos y llamadas.",
    ),
    (
        "Keep the {city} passwords out of the repository: `git status` shows what you are "
        "about to share.",
        "No guarde las contraseñas de {city} en el repositorio: `git status` muestra lo que va "
        "a compartir.",
    ),
    (
        "Every member of the {city} local can ask to see what the list says about them.",
        "Cada afiliado de la sección local de {city} puede pedir ver lo que la lista dice de "
        "él.",
    ),
    (
        "Stop the import at once if a row reads `ERROR!`, and tell the {city} steward.",
        "Detenga la importación en cuanto una fila diga `ERROR!` y avise al delegado de {city}.",
    ),
    (
        "The {city} sign-in sheet asks for a name and a shift, nothing more.",
        "La hoja de firmas de {city} pide un nombre y un turno, nada más.",
    ),
    (
        "Members in {city} still say the list is the memory of the union.",
        "Los afiliados de {city} aún dicen que la lista es la *memoria* del sindicato.",
    ),
    (
        "The {city} local printed {days} hundred leaflets for the vote.",
        "La sección local de {city} imprimió {days} centenares de octavillas para la votación.",
    ),
]
ITEMS = [
    ("Back up the {city} list every Friday.", "Haga una copia de la lista de {city} cada viernes."),
    (
        "Check that `phone != \"\"` before calling anyone in {city}.",
        "Compruebe que `phone != \"\"` antes de llamar a nadie en {city}.",
    ),
    (
        "Send the {city} steward the list of new members.",
        "Envíe al delegado de {city} la lista de afiliados nuevos.",
    ),
]
FOOTNOTE = (
    "The {city} contract of {year} covered wages, hours and the grievance procedure.",
    "El contrato de {city} de {year} trataba de salarios, horarios y el procedimiento de "
    "quejas.",
)
HEADING = ("Chapter {n}: the {city} local", "Capítulo {n}: la sección local de {city}")
FLAGGED = WIKI_EN  # the paragraphs linking here were localised on purpose, and reviewed

SPANISH_CHAPTER = [
    ("Capítulo 12: lo que aprendimos en Monterrey", "Chapter 12: what we learned in Monterrey"),
    (
        "Las secciones locales de la frontera compartieron una sola lista durante años.",
        "The locals of the border shared a single list for years.",
    ),
    (
        "La negociación colectiva de 1987 se preparó con una hoja de cálculo y tres "
        "delegadas.",
        "The collective bargaining of 1987 was prepared with a spreadsheet and three stewards.",
    ),
    (
        "¿Quién guarda la lista? Una persona elegida, nunca la empresa.",
        "Who keeps the list? A person elected, never the company.",
    ),
    (
        "La organización de las maquiladoras empezó en los comedores, no en internet.",
        "Organizing the maquiladoras began in the canteens, not on the internet.",
    ),
    (
        "El programa marcaba como baja toda fila con `activo != 1`, y así perdimos a 40 "
        "afiliados.",
        "The program marked as gone every row with `activo != 1`, and so we lost 40 members.",
    ),
    (
        "Ahora cada sección local revisa sus bajas antes de borrarlas.",
        "Now each local reviews its departures before deleting them.",
    ),
]


def _fill(template: str, local: tuple[str, int, str, str, int], number: int) -> str:
    city, year, members, es_members, days = local
    return template.format(
        city=city, year=year, members=members, es_members=es_members, days=days, n=number,
        wiki_en=WIKI_EN, wiki_es=WIKI_ES, manual=MANUAL,
    )


def _chapter(number: int, local: tuple[str, int, str, str, int], pairs: dict[str, str]) -> str:
    def pair(template: tuple[str, str]) -> str:
        english, spanish = (_fill(text, local, number) for text in template)
        pairs[english] = spanish
        return english

    blocks = [f"# {pair(HEADING)}", *(pair(p) for p in PARAGRAPHS[:10])]
    blocks.append("\n".join(f"- {pair(item)}" for item in ITEMS))
    blocks += [pair(p) for p in PARAGRAPHS[10:]]
    blocks.append(f"[^1]: {pair(FOOTNOTE)}")
    return "\n\n".join(blocks) + "\n"


def write_clean_book(root: Path) -> Project:
    """The book under ``root``: texts, glossary.csv and catalogs translated and reviewed."""
    pairs: dict[str, str] = {}
    texts = {
        f"{number:02d}-{local[0].lower()}.md": _chapter(number, local, pairs)
        for number, local in enumerate(LOCALS, start=1)
    }
    spanish = [f"# {SPANISH_CHAPTER[0][0]}", *(es for es, _ in SPANISH_CHAPTER[1:])]
    texts["12-monterrey-es.md"] = "---\nlang: es\n---\n\n" + "\n\n".join(spanish) + "\n"
    pairs.update(SPANISH_CHAPTER)
    make_book(
        root, texts, toml=book_toml(slug="data-handbook"), files={"glossary.csv": GLOSSARY},
        translations=pairs,
    )
    project = Project.open(root)
    for text in project.texts():
        _flag_reviewed_links(project.po_path(text))
    return project


def _flag_reviewed_links(path: Path) -> None:
    """The reviewer's mark on each entry whose link was localised on purpose."""
    po = read_po(path)
    for message in po.messages():
        if FLAGGED in str(message.id):
            message.flags.add("ignore-link")
    path.write_text(render_po(po), encoding="utf-8")

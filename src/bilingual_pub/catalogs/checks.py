"""Quality checks on translations: a registry of small uniform functions.

Each check takes a ``CheckContext`` (one catalog entry plus its languages) and
yields what it finds, ``Found(level, kind, message)``.  A check is registered with
the kinds of finding it reports, their levels and what they mean, which
``check --help`` lists.  ``bilingual-pub check`` runs them all.  The book's
``[checks]`` table sets the level of each kind; an entry's ``ignore-KIND`` flag (as
Weblate names its check flags) turns that kind into ``info`` for that entry, which only
``check --all`` lists.  Checks that count characters or words read the segment's prose:
its text without code spans, URLs and raw HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from bilingual_pub.catalogs.glossary import Glossary
from bilingual_pub.catalogs.messages import Message, PoFile, translation_text
from bilingual_pub.catalogs.prose import markup_inventory, prose
from bilingual_pub.model import Finding, Level
from bilingual_pub.typography import typography_problems

OFF = "off"  # a level [checks] may give a kind: not looked for at all
IGNORE_FLAG = "ignore-"  # + a kind: the entry's translator has reviewed that finding


class Found(NamedTuple):
    """What a check found in one entry."""

    level: Level
    kind: str
    message: str


class FindingKind(NamedTuple):
    """A kind of finding, its level, and what it means (a line of ``check --help``)."""

    name: str
    level: Level
    description: str


# Reported by review.check_catalogs for a text without a catalog, not by a check.
MISSING_CATALOG = FindingKind(
    "missing", Level.WARNING, "a text without a catalog: run 'bilingual-pub update'"
)


@dataclass(frozen=True)
class CheckContext:
    message: Message
    source_language: str
    target_language: str
    glossary: Glossary | None = None

    # computed once per entry: every check of the registry reads them
    @cached_property
    def source(self) -> str:
        msgid = self.message.id
        return str(msgid[0] if isinstance(msgid, tuple | list) else msgid)

    @cached_property
    def translation(self) -> str:
        return translation_text(self.message)


Check = Callable[[CheckContext], Iterator[Found]]


@dataclass(frozen=True)
class RegisteredCheck:
    name: str
    run: Check
    kinds: tuple[FindingKind, ...]  # every kind (and its level) that ``run`` may report


CHECKS: list[RegisteredCheck] = []


def check(*, kinds: Mapping[str, tuple[Level, str]]) -> Callable[[Check], Check]:
    """Register a check with what it reports: kind -> (level, what a finding of it means)."""

    def register(function: Check) -> Check:
        declared = tuple(FindingKind(name, level, what) for name, (level, what) in kinds.items())
        CHECKS.append(RegisteredCheck(function.__name__, function, declared))
        return function

    return register


def finding_kinds() -> list[FindingKind]:
    """Every kind of finding ``check`` can report, with its level, in registry order."""
    return [MISSING_CATALOG, *(kind for entry in CHECKS for kind in entry.kinds)]


def _translated(context: CheckContext) -> bool:
    return bool(context.translation) and not context.message.fuzzy


@check(kinds={"untranslated": (Level.WARNING, "an entry without a translation yet")})
def untranslated(context: CheckContext) -> Iterator[Found]:
    if not context.translation:
        yield Found(Level.WARNING, "untranslated", "no translation yet")


@check(kinds={"fuzzy": (Level.WARNING, "a translation marked fuzzy: its source text changed")})
def fuzzy(context: CheckContext) -> Iterator[Found]:
    if context.translation and context.message.fuzzy:
        yield Found(
            Level.WARNING,
            "fuzzy",
            "the text changed; review the translation and remove the fuzzy flag",
        )


# what a translator may add or drop without losing content: a dropped one is a warning
FORMATTING = ("em", "strong", "code_inline")


@check(
    kinds={
        "markup": (Level.ERROR, "a footnote reference, an image or raw HTML differs"),
        "link": (
            Level.ERROR,
            "a link URL changed, dropped or added (flag ignore-link once reviewed)",
        ),
        "formatting": (Level.WARNING, "emphasis, strong or a code span of the source dropped"),
        "formatting-added": (
            Level.INFO,
            "emphasis, strong or a code span added (listed by check --all)",
        ),
    }
)
def markup_parity(context: CheckContext) -> Iterator[Found]:
    if not _translated(context):
        return
    source = markup_inventory(context.source)
    target = markup_inventory(context.translation)
    if source == target:
        return
    for item in sorted(set(source) | set(target)):
        if source[item] == target[item] or item.startswith("link ("):
            continue
        counts = f"{item}: {source[item]} in the source, {target[item]} in the translation"
        if item not in FORMATTING:
            yield Found(Level.ERROR, "markup", counts)  # a note, an image or HTML lost or made up
        elif source[item] > target[item]:
            yield Found(Level.WARNING, "formatting", counts)
        else:
            yield Found(Level.INFO, "formatting-added", counts)  # Spanish italics, say
    yield from _link_changes(_links(source), _links(target))


def _links(inventory: Counter[str]) -> Counter[str]:
    return Counter(
        {item[6:-1]: count for item, count in inventory.items() if item.startswith("link (")}
    )


def _link_changes(source: Counter[str], target: Counter[str]) -> Iterator[Found]:
    """Each URL of the source replaced, dropped or added: the translation is not trusted."""
    dropped = sorted((source - target).elements())
    added = sorted((target - source).elements())
    for old, new in zip(dropped, added, strict=False):
        yield Found(Level.ERROR, "link", f"link URL changed: {old} -> {new}")
    for old in dropped[len(added):]:
        yield Found(Level.ERROR, "link", f"link dropped: {old}")
    for new in added[len(dropped):]:
        yield Found(Level.ERROR, "link", f"link added: {new}")


_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")


def _numbers(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for match in _NUMBER.finditer(text):
        found[re.sub(r"\D", "", match.group())] += 1
    return found


@check(kinds={"numbers": (Level.WARNING, "a number of the source is missing (code, URLs aside)")})
def numbers(context: CheckContext) -> Iterator[Found]:
    if not _translated(context):
        return
    if _DIGIT.search(context.source) is None:  # most segments: no number to look for
        return
    missing = _numbers(prose(context.source)) - _numbers(prose(context.translation))
    if missing:
        listed = ", ".join(sorted(missing))
        yield Found(Level.WARNING, "numbers", f"not in the translation: {listed}")


def _unbalanced(text: str, opening: str, closing: str) -> bool:
    if opening not in text:  # most segments: no character-by-character walk
        return closing in text
    depth = 0
    for char in text:
        if char == opening:
            depth += 1
        elif char == closing:
            if depth == 0:
                return True
            depth -= 1
    return depth != 0


@check(kinds={"punctuation": (Level.WARNING, "unbalanced Spanish ¿…? or ¡…! (code aside)")})
def spanish_punctuation(context: CheckContext) -> Iterator[Found]:
    if not _translated(context) or not context.target_language.startswith("es"):
        return
    text = prose(context.translation)  # `!=` in a code span is no exclamation
    for opening, closing in (("¿", "?"), ("¡", "!")):
        if _unbalanced(text, opening, closing):
            yield Found(Level.WARNING, "punctuation", f"unbalanced {opening}…{closing}")


@check(
    kinds={
        "typography": (
            Level.WARNING,
            "unbalanced quotes, a raya followed by a space, straight quotes against curly ones",
        )
    }
)
def typography(context: CheckContext) -> Iterator[Found]:
    """Quotes left unbalanced, a raya parted from its word, straight quotes against curly ones."""
    if not _translated(context):
        return
    # quotes in code spans (`"active"`) are code, not typography
    for problem in typography_problems(
        prose(context.source), prose(context.translation), context.target_language
    ):
        yield Found(Level.WARNING, "typography", problem)


@check(kinds={"whitespace": (Level.WARNING, "leading or trailing whitespace differs")})
def whitespace(context: CheckContext) -> Iterator[Found]:
    if not context.translation:
        return
    source, target = context.source, context.translation
    def ends(text: str) -> tuple[bool, bool]:
        return text[:1].isspace(), text[-1:].isspace()

    if ends(source) != ends(target):
        yield Found(
            Level.WARNING, "whitespace", "leading or trailing whitespace differs from the source"
        )


@check(kinds={"glossary": (Level.WARNING, "a glossary term of the source without its translation")})
def glossary_terms(context: CheckContext) -> Iterator[Found]:
    """A term of glossary.csv in the source whose translation the translation lacks."""
    glossary = context.glossary
    if glossary is None or not glossary.terms or not _translated(context):
        return
    source, target = context.source_language, context.target_language
    used = glossary.terms_in(prose(context.source), source)
    if not used:
        return
    for term in glossary.missing(used, prose(context.translation), target):
        wanted = " or ".join(f"'{form}'" for form in term.forms[target])
        said = "; ".join(term.forms[source])
        where = f"{glossary.path}:{term.line}"
        yield Found(Level.WARNING, "glossary", f"'{said}' is translated {wanted} ({where})")


def _leveled(found: list[Found], flags: set[str], levels: Mapping[str, str]) -> Iterator[Found]:
    """The book's level for each kind; an ``ignore-KIND`` flag makes the finding info."""
    for level, kind, text in found:
        chosen = levels.get(kind, level)
        if chosen == OFF:
            continue
        flag = IGNORE_FLAG + kind
        if flag in flags and chosen != Level.INFO:
            yield Found(Level.INFO, kind, f"turned off by the {flag} flag: {text}")
        else:
            yield Found(Level(chosen), kind, text)


def _unused_flags(message: Message, found: Sequence[Finding]) -> Iterator[Found]:
    """An ``ignore-KIND`` flag with nothing to turn off: ``check --all`` lists it too."""
    for flag in sorted(message.flags):
        kind = flag[len(IGNORE_FLAG):]
        if flag.startswith(IGNORE_FLAG) and not any(f.kind == kind for f in found):
            said = f"the {flag} flag turns off a check that finds nothing here"
            yield Found(Level.INFO, kind, said)


def run_checks(
    message: Message,
    *,
    path: str,
    source_language: str,
    target_language: str,
    levels: Mapping[str, str] | None = None,
    glossary: Glossary | None = None,
) -> list[Finding]:
    context = CheckContext(message, source_language, target_language, glossary)
    line = message.lineno or 1
    flags, chosen = message.flags, levels or {}
    raw = [found for entry in CHECKS for found in entry.run(context)]
    found = [Finding(path, line, *item) for item in _leveled(raw, flags, chosen)] if raw else []
    if any(flag.startswith(IGNORE_FLAG) for flag in flags):
        found += [Finding(path, line, *item) for item in _unused_flags(message, found)]
    return found


def check_catalog(
    po: PoFile,
    *,
    path: str,
    source_language: str,
    target_language: str,
    levels: Mapping[str, str] | None = None,
    glossary: Glossary | None = None,
) -> list[Finding]:
    """Every finding of every check on one catalog's entries, in file order."""
    return [
        finding
        for message in po.messages()
        for finding in run_checks(
            message,
            path=path,
            source_language=source_language,
            target_language=target_language,
            levels=levels,
            glossary=glossary,
        )
    ]

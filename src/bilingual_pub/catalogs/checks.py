"""Quality checks on translations: a registry of small uniform functions.

Each check takes a ``CheckContext`` (one catalog entry plus its languages) and
yields what it finds, ``Found(level, kind, message)``.  A check is registered with
the kinds of finding it reports, their levels and what they mean, which
``check --help`` lists.  ``bilingual-pub check`` runs them all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from bilingual_pub.catalogs.messages import Message, PoFile, translation_text
from bilingual_pub.markdown import inline_parser
from bilingual_pub.model import Finding, Level
from bilingual_pub.typography import typography_problems


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

    @property
    def source(self) -> str:
        msgid = self.message.id
        return str(msgid[0] if isinstance(msgid, tuple | list) else msgid)

    @property
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


# Every character that can open what the inventory counts: emphasis, code, brackets
# (links, notes, images) and "<" (raw HTML and autolinks).
_MARKUP_START = re.compile(r"[*_`\[<]")


def markup_inventory(text: str) -> Counter[str]:
    """What inline markup a segment holds: emphasis, strong, code, links, notes, images."""
    inventory: Counter[str] = Counter()
    if _MARKUP_START.search(text) is None:  # most segments: nothing to parse (build runs this)
        return inventory
    tokens = inline_parser(raw_html=True).parseInline(text)
    for token in tokens[0].children or [] if tokens else []:
        kind = token.type
        if kind in ("em_open", "strong_open", "code_inline"):
            inventory[kind.replace("_open", "")] += 1
        elif kind == "footnote_ref":
            inventory[f"footnote [^{token.meta['label']}]"] += 1
        elif kind == "link_open":
            inventory[f"link ({token.attrs.get('href', '')})"] += 1
        elif kind == "image":
            inventory[f"image ({token.attrs.get('src', '')})"] += 1
        elif kind in ("html_inline",):
            inventory["raw HTML"] += 1
    return inventory


@check(
    kinds={
        "markup": (Level.ERROR, "emphasis, strong, code, footnote references or images differ"),
        "link": (Level.ERROR, "a link URL differs from the source's"),
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
        if source[item] != target[item]:
            kind = "link" if item.startswith("link") else "markup"
            counts = f"{source[item]} in the source, {target[item]} in the translation"
            yield Found(Level.ERROR, kind, f"{item}: {counts}")


_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")


def _numbers(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for match in _NUMBER.finditer(text):
        found[re.sub(r"\D", "", match.group())] += 1
    return found


@check(kinds={"numbers": (Level.WARNING, "a number of the source is missing")})
def numbers(context: CheckContext) -> Iterator[Found]:
    if not _translated(context):
        return
    missing = _numbers(context.source) - _numbers(context.translation)
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


@check(kinds={"punctuation": (Level.WARNING, "unbalanced Spanish ¿…? or ¡…!")})
def spanish_punctuation(context: CheckContext) -> Iterator[Found]:
    if not _translated(context) or not context.target_language.startswith("es"):
        return
    for opening, closing in (("¿", "?"), ("¡", "!")):
        if _unbalanced(context.translation, opening, closing):
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
    for problem in typography_problems(
        context.source, context.translation, context.target_language
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


def run_checks(
    message: Message, *, path: str, source_language: str, target_language: str
) -> list[Finding]:
    context = CheckContext(message, source_language, target_language)
    line = message.lineno or 1
    return [
        Finding(path, line, found.level, found.kind, found.message)
        for entry in CHECKS
        for found in entry.run(context)
    ]


def check_catalog(
    po: PoFile, *, path: str, source_language: str, target_language: str
) -> list[Finding]:
    """Every finding of every check on one catalog's entries, in file order."""
    return [
        finding
        for message in po.messages()
        for finding in run_checks(
            message, path=path, source_language=source_language, target_language=target_language
        )
    ]

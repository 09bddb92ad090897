"""The book's glossary: glossary.csv -> Glossary, and where a segment uses its terms.

A header row names the languages (``en,es``, optional ``note``); each further row is one
term, alternatives separated by ``;``.  A term matches as whole words, case-insensitive,
with a plural ending (-s, -es; -y/-ies) allowed on each word and acute accents ignored
(Spanish ``sección`` -> ``secciones``), outside code spans, URLs and raw HTML.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from bilingual_pub.catalogs.messages import PoFile
from bilingual_pub.catalogs.prose import prose
from bilingual_pub.config import GLOSSARY_NAME, BookConfig
from bilingual_pub.errors import ConfigError

_NOTE = "note"
COMMENT_START = "glossary: "
_ACUTE = (("á", "a"), ("é", "e"), ("í", "i"), ("ó", "o"), ("ú", "u"))
_WORD = re.compile(r"\w+")
_KEY = 3  # a term is looked for only in texts with a word starting as its first word does


def fold(text: str) -> str:
    """Lower case without acute accents: how terms and texts are compared."""
    folded = text.lower()
    if folded.isascii():  # most English text: nothing more to do
        return folded
    for accented, plain in _ACUTE:  # str.replace runs in C; str.translate with a table does not
        folded = folded.replace(accented, plain)
    return folded


def _word_pattern(word: str) -> str:
    """One word of a term, in the singular or with an English or Spanish plural ending."""
    if len(word) > 1 and word.endswith("y"):
        return re.escape(word[:-1]) + "(?:y|ys|yes|ies)"
    return re.escape(word) + "(?:e?s)?"


def inflections(word: str) -> set[str]:
    """The folded word and the plurals ``_word_pattern`` matches, spelled out."""
    if len(word) > 1 and word.endswith("y"):
        return {word[:-1] + ending for ending in ("y", "ys", "yes", "ies")}
    return {word, word + "s", word + "es"}


def term_pattern(alternatives: tuple[str, ...]) -> str:
    """The regex (over folded text) matching any alternative of a term as whole words."""
    forms = sorted({fold(text) for text in alternatives}, key=len, reverse=True)
    spelled = (r"\s+".join(_word_pattern(word) for word in form.split()) for form in forms)
    return r"(?<!\w)(?:" + "|".join(spelled) + r")(?!\w)"


@dataclass(frozen=True)
class Matcher:
    """One side of a term: its one-word alternatives as a set of words (a set lookup per
    text), the others as a regex."""

    words: frozenset[str]
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, alternatives: tuple[str, ...]) -> Matcher:
        folded = [fold(text) for text in alternatives]
        single = [form for form in folded if _WORD.fullmatch(form)]
        several = tuple(form for form in folded if not _WORD.fullmatch(form))
        words = frozenset(spelled for form in single for spelled in inflections(form))
        return cls(words, re.compile(term_pattern(several)) if several else None)

    def found(self, folded: str, words: set[str]) -> bool:
        if not self.words.isdisjoint(words):
            return True
        return self.pattern is not None and self.pattern.search(folded) is not None


@dataclass(frozen=True)
class Term:
    line: int  # in glossary.csv
    forms: dict[str, tuple[str, ...]]  # language -> its alternatives
    note: str = ""
    _matchers: dict[str, Matcher] = field(default_factory=dict, compare=False)

    def keys(self, lang: str) -> set[str]:
        """How the first word of each alternative starts, in folded text (plurals only
        change a word's end)."""
        words = (_WORD.findall(fold(form)) for form in self.forms[lang])
        return {found[0][:_KEY] for found in words if found}

    def matcher(self, lang: str) -> Matcher:
        if lang not in self._matchers:
            self._matchers[lang] = Matcher.of(self.forms[lang])
        return self._matchers[lang]

    def comment(self, source: str, target: str) -> str:
        """The extracted comment a catalog entry using this term carries."""
        said = f"{COMMENT_START}{'; '.join(self.forms[source])} = {'; '.join(self.forms[target])}"
        return f"{said} ({self.note})" if self.note else said


@dataclass(frozen=True)
class Glossary:
    path: str
    terms: tuple[Term, ...]
    _index: dict[str, dict[str, list[int]]] = field(default_factory=dict, compare=False)

    def _by_key(self, lang: str) -> dict[str, list[int]]:
        """Word start -> the terms whose ``lang`` side starts so: a segment is searched
        only for the few terms that may be in it."""
        if lang not in self._index:
            index: dict[str, list[int]] = {}
            for number, term in enumerate(self.terms):
                for key in term.keys(lang):
                    index.setdefault(key, []).append(number)
            self._index[lang] = index
        return self._index[lang]

    def terms_in(self, prose: str, lang: str) -> list[Term]:
        """The terms whose ``lang`` side ``prose`` (text without code, URLs or HTML) uses,
        in the glossary's order."""
        if not self.terms:
            return []
        folded = fold(prose)
        words = set(_WORD.findall(folded))
        index = self._by_key(lang)
        candidates = {number for word in words for number in index.get(word[:_KEY], ())}
        return [
            self.terms[number]
            for number in sorted(candidates)
            if self.terms[number].matcher(lang).found(folded, words)
        ]

    def missing(self, terms: list[Term], prose: str, lang: str) -> list[Term]:
        """Those of ``terms`` whose ``lang`` side ``prose`` does not use."""
        folded = fold(prose)
        words = set(_WORD.findall(folded))
        return [term for term in terms if not term.matcher(lang).found(folded, words)]


def glossary_path(config: BookConfig) -> Path | None:
    """The glossary file of the book; None when it has none."""
    if config.glossary is not None:
        return config.root / config.glossary
    default = config.root / GLOSSARY_NAME
    return default if default.is_file() else None


def load_glossary(config: BookConfig) -> Glossary | None:
    """The book's glossary, or None; errors name glossary.csv:line."""
    path = glossary_path(config)
    if path is None:
        return None
    shown = config.glossary or GLOSSARY_NAME
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("no such file (named by [book] glossary)", shown) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read: {error}", shown) from None
    return parse_glossary(text, config.languages, shown)


def checked_glossary(config: BookConfig) -> Glossary | None:
    """The glossary ``check`` reads: none when ``[checks]`` turns its check off."""
    return None if config.checks.get("glossary") == "off" else load_glossary(config)


def parse_glossary(text: str, languages: tuple[str, str], path: str) -> Glossary:
    rows = csv.reader(text.splitlines())
    header = [cell.strip() for cell in next(rows, [])]
    _check_header(header, languages, path)
    terms = []
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise ConfigError(f"{len(row)} cells, the header names {len(header)}", path, line)
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        forms = {lang: _alternatives(cells.get(lang, ""), lang, path, line) for lang in languages}
        terms.append(Term(line=line, forms=forms, note=cells.get(_NOTE, "")))
    return Glossary(path=path, terms=tuple(terms))


def _check_header(header: list[str], languages: tuple[str, str], path: str) -> None:
    if not any(header):
        raise ConfigError(f"empty: the first row names the languages ({','.join(languages)})", path)
    for name in header:
        if name not in (*languages, _NOTE):
            known = ", ".join((*languages, _NOTE))
            raise ConfigError(f"unknown column {name!r} (known: {known})", path, 1)
    for lang in languages:
        if lang not in header:
            raise ConfigError(f"no column for {lang!r} in the header", path, 1)


def _alternatives(cell: str, lang: str, path: str, line: int) -> tuple[str, ...]:
    found = tuple(part.strip() for part in cell.split(";") if part.strip())
    if not found:
        raise ConfigError(f"no {lang} term", path, line)
    return found


def annotate(template: PoFile, glossary: Glossary | None, source: str, target: str) -> None:
    """Give each entry whose text uses a term an extracted comment saying its translation.

    The comments are made anew from the glossary each time (a second ``update`` changes
    no byte); the entry's other extracted comments stay first and untouched.
    """
    if glossary is None:
        return
    for message in template.messages():
        text = str(message.id[0] if isinstance(message.id, tuple | list) else message.id)
        comments = [term.comment(source, target) for term in glossary.terms_in(prose(text), source)]
        kept = [c for c in message.auto_comments if not c.startswith(COMMENT_START)]
        message.auto_comments = kept + comments

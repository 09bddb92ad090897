"""The book's glossary: glossary.csv -> Glossary, and where a segment uses its terms.

A header row names the languages (``en,es``, optional ``note``); each further row is one
term, alternatives separated by ``;``.  A term matches as whole words, case-insensitive,
with a plural ending (-s, -es; -y/-ies) allowed on each word and acute accents ignored
(Spanish ``sección`` -> ``secciones``), outside code spans, URLs and raw HTML.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bilingual_pub.catalogs.checks import prose
from bilingual_pub.catalogs.pofile import PoFile
from bilingual_pub.config import GLOSSARY_NAME, BookConfig
from bilingual_pub.errors import ConfigError

_NOTE = "note"
COMMENT_START = "glossary: "
_ACUTE = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")


def fold(text: str) -> str:
    """Lower case without acute accents: how terms and texts are compared."""
    return text.translate(_ACUTE).lower()


def _word_pattern(word: str) -> str:
    """One word of a term, in the singular or with an English or Spanish plural ending."""
    if len(word) > 1 and word.endswith("y"):
        return re.escape(word[:-1]) + "(?:y|ys|yes|ies)"
    return re.escape(word) + "(?:e?s)?"


def term_pattern(alternatives: tuple[str, ...]) -> str:
    """The regex (over folded text) matching any alternative of a term as whole words."""
    forms = sorted({fold(text) for text in alternatives}, key=len, reverse=True)
    spelled = (r"\s+".join(_word_pattern(word) for word in form.split()) for form in forms)
    return r"(?<!\w)(?:" + "|".join(spelled) + r")(?!\w)"


@dataclass(frozen=True)
class Term:
    line: int  # in glossary.csv
    forms: dict[str, tuple[str, ...]]  # language -> its alternatives
    note: str = ""
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False)

    def pattern(self, lang: str) -> re.Pattern[str]:
        if lang not in self._patterns:
            self._patterns[lang] = re.compile(term_pattern(self.forms[lang]))
        return self._patterns[lang]

    def comment(self, source: str, target: str) -> str:
        """The extracted comment a catalog entry using this term carries."""
        said = f"{COMMENT_START}{'; '.join(self.forms[source])} = {'; '.join(self.forms[target])}"
        return f"{said} ({self.note})" if self.note else said


@dataclass(frozen=True)
class Glossary:
    path: str
    terms: tuple[Term, ...]
    _any: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False)

    def _any_term(self, lang: str) -> re.Pattern[str]:
        """One regex for every term of ``lang``: most segments use none, and are done."""
        if lang not in self._any:
            patterns = [term_pattern(term.forms[lang]) for term in self.terms]
            self._any[lang] = re.compile("|".join(patterns) or r"(?!)")
        return self._any[lang]

    def terms_in(self, prose: str, lang: str) -> Iterator[Term]:
        """The terms whose ``lang`` side ``prose`` (text without code, URLs or HTML) uses."""
        folded = fold(prose)
        if not self.terms or self._any_term(lang).search(folded) is None:
            return
        for term in self.terms:
            if term.pattern(lang).search(folded):
                yield term

    def uses(self, term: Term, prose: str, lang: str) -> bool:
        return term.pattern(lang).search(fold(prose)) is not None


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

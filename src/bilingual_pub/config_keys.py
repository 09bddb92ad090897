"""book.toml's keys: the line a key is on, and the checks a value passes.

Every error names the key and, where it can be found, its line in book.toml.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bilingual_pub.errors import ConfigError

# BCP 47 language tags as books use them: "en", "es", "es-MX", "pt-BR", "zh-Hant".
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
# Codes known valid without asking Babel, whose import and locale data would cost every
# command a tenth of a small book's build; any other code is checked against CLDR.
_COMMON_LANGUAGES = frozenset({"en", "es", "fr", "de", "it", "pt"})


def find_key_line(text: str, dotted_key: str) -> int | None:
    """Best-effort line number of ``table.key`` in TOML source, for error messages."""
    *tables, key = dotted_key.split(".")
    wanted_table = ".".join(tables)
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[([^\[\]]+)\]", line)
        if header:
            current = header.group(1).strip()
            if current == dotted_key:
                return number
            continue
        assignment = re.match(r"^([A-Za-z0-9_.\"-]+)\s*=", line)
        if assignment:
            full = f"{current}.{assignment.group(1)}" if current else assignment.group(1)
            if full == dotted_key or (current == wanted_table and assignment.group(1) == key):
                return number
    return None


class KeyReader:
    """Validates one parsed book.toml, raising ConfigError with key and line."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{key}: {message}", self.path.name, find_key_line(self.text, key))

    def check_table(
        self, name: str, table: Any, allowed: dict[str, type | tuple[type, ...]]
    ) -> None:
        if not isinstance(table, dict):
            raise self.fail(name, "must be a table")
        for key, value in table.items():
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(f"{name}.{key}", f"unknown key (known keys: {known})")
            expected = allowed[key]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise self.fail(f"{name}.{key}", f"expected {_type_name(expected)}")

    def string_list(self, key: str, value: Any) -> tuple[str, ...]:
        if not all(isinstance(item, str) for item in value):
            raise self.fail(key, "expected a list of strings")
        return tuple(value)

    def language(self, key: str, code: str) -> str:
        if not _LANGUAGE_TAG.match(code):
            raise self.fail(key, f"{code!r} is not a language code like 'en', 'es' or 'es-MX'")
        if code in _COMMON_LANGUAGES:
            return code
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(code.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            raise self.fail(key, f"unknown language code {code!r}") from None
        return code

    def per_language(self, key: str, value: Any, languages: tuple[str, str]) -> dict[str, str]:
        for lang, item in value.items():
            if lang not in languages:
                raise self.fail(f"{key}.{lang}", f"{lang!r} is not one of the book's languages")
            if not isinstance(item, str):
                raise self.fail(f"{key}.{lang}", "expected a string")
        return dict(value)


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {
        str: "a string",
        list: "a list",
        dict: "a table",
        bool: "true or false",
        int: "an integer",
    }
    if isinstance(expected, tuple):
        return " or ".join(names[t] for t in expected)
    return names[expected]

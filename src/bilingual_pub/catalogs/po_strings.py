"""gettext's string literals: escaped as GNU gettext writes them, checked and unescaped
as it reads them (every escape it knows), and why a malformed one is malformed."""

from __future__ import annotations

import re

# possessive (never backtracks): with plain repeats, a long line with a bad escape took
# time doubling with each character before it
_STRING_LITERAL = re.compile(r'"(?:[^"\\]++|\\(?:[\\"abfnrtv]|[0-7]{1,3}+|x[0-9a-fA-F]++))*+"')


def escape(text: str) -> str:
    """Escaped as GNU gettext writes strings."""
    if '"' not in text and "\\" not in text and text.isprintable():
        return text  # the common case, found faster than with a regular expression
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
        .replace("\a", "\\a")
        .replace("\b", "\\b")
        .replace("\f", "\\f")
        .replace("\v", "\\v")
    )


def is_literal(text: str) -> bool:
    """Whether ``text`` is one well-formed ``"..."`` string (the common case without a regex)."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return False
    if "\\" not in text and '"' not in text[1:-1]:
        return True
    return _STRING_LITERAL.fullmatch(text) is not None


def gettext_unescape(literal: str) -> str:
    """The text of one ``"..."`` string with every escape gettext knows resolved.

    Octal and hex escapes are accepted for ASCII only (above that they name
    bytes of the file's charset, which no PO editor writes).
    """
    body = literal[1:-1]
    if "\\" not in body:
        return body

    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
        if escape in simple:
            return simple[escape]
        if escape in ('"', "\\"):
            return escape
        value = int(escape[1:], 16) if escape.startswith("x") else int(escape, 8)
        if value > 0x7F:
            raise ValueError(f"unsupported escape sequence \\{escape} (not ASCII)")
        return chr(value)

    return re.sub(r'\\([\\"ntrabfv]|[0-7]{1,3}|x[0-9a-fA-F]+)', replace, body)


def literal_problem(literal: str) -> str:
    """Why a string literal is malformed, for the error message."""
    if not literal.startswith('"'):
        return f"expected a string in double quotes, got {shorten(literal)!r}"
    position = 1
    while position < len(literal):
        char = literal[position]
        if char == '"':
            return f"unexpected text after the string: {shorten(literal[position + 1 :])!r}"
        if char == "\\":
            escape = re.match(r'\\([\\"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]+)', literal[position:])
            if escape is None:
                return f"invalid escape sequence {literal[position : position + 2]!r}"
            position += len(escape.group(0))
            continue
        position += 1
    return "unterminated string"


def shorten(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""Every rule of the PO header: the headers the toolkit writes, its fields, its dates.

A template's header, a new catalog's and a merged one's; reading and setting one
``Key: value`` field while the others stay verbatim; the charset the writer declares; and
which fields only say when a file was made (a change in them alone is no change).
"""

from __future__ import annotations

import re
from datetime import datetime

from bilingual_pub import __version__


def format_po_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M%z")


def template_header(*, project: str, created: datetime, source_lang: str) -> str:
    stamp = format_po_date(created)
    return (
        f"Project-Id-Version: {project}\n"
        "Report-Msgid-Bugs-To: \n"
        f"POT-Creation-Date: {stamp}\n"
        f"PO-Revision-Date: {stamp}\n"
        "Last-Translator: \n"
        "Language-Team: \n"
        f"Language: {source_lang}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"X-Source-Language: {source_lang}\n"
        f"X-Generator: bilingual-pub {__version__}\n"
    )


def catalog_header(*, project: str, created: datetime, language: str, source_lang: str) -> str:
    """The header of a new catalog translating a text in ``source_lang`` into ``language``."""
    stamp = format_po_date(created)
    plural = "nplurals=2; plural=(n != 1);"
    return (
        f"Project-Id-Version: {project}\n"
        "Report-Msgid-Bugs-To: \n"
        f"POT-Creation-Date: {stamp}\n"
        f"PO-Revision-Date: {stamp}\n"
        "Last-Translator: \n"
        "Language-Team: \n"
        f"Language: {language.replace('-', '_')}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"Plural-Forms: {plural}\n"
        f"X-Source-Language: {source_lang}\n"
    )


def header_fields(header: str) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for line in header.split("\n"):
        if ":" in line:
            key, _, value = line.partition(":")
            fields.append((key.strip(), value.strip()))
    return fields


def set_header_field(header: str, key: str, value: str) -> str:
    """Replace (or append) one ``Key: value`` line, leaving the others as they were."""
    lines = header.split("\n")
    for index, line in enumerate(lines):
        if line.partition(":")[0].strip().lower() == key.lower():
            lines[index] = f"{key}: {value}"
            return "\n".join(lines)
    if lines and lines[-1] == "":
        lines.insert(len(lines) - 1, f"{key}: {value}")
    else:
        lines.append(f"{key}: {value}")
    return "\n".join(lines)


def get_header_field(header: str, key: str) -> str | None:
    for name, value in header_fields(header):
        if name.lower() == key.lower():
            return value
    return None


def merged_header(template: str, old: str | None, new: str) -> str:
    """A merged catalog's header: the old catalog's (``new`` when it has none), with the
    template's creation date, declaring UTF-8."""
    merged = old if old else new
    created = get_header_field(template, "POT-Creation-Date")
    if created:
        merged = set_header_field(merged, "POT-Creation-Date", created)
    return set_header_field(merged, "Content-Type", "text/plain; charset=UTF-8")


def utf8_header(header: str) -> str:
    """The header declaring UTF-8, which is what the writer's text is meant to be saved as."""
    return re.sub(
        r"^(Content-Type:[^\n]*?charset=)[^\s;]+", r"\g<1>UTF-8", header, count=1,
        flags=re.MULTILINE | re.IGNORECASE,
    )


# Header fields that only say when a file was made: a change in them alone is no change.
TEMPLATE_DATES = ("POT-Creation-Date", "PO-Revision-Date")
CATALOG_DATES = ("POT-Creation-Date",)


def same_ignoring(old: str, new: str, fields: tuple[str, ...]) -> bool:
    """Whether two catalogs differ at most in the header lines of ``fields``.

    The header entry ends at the first blank line; only it is split into lines.
    """
    if old == new:
        return True
    old_header, _, old_entries = old.partition("\n\n")
    new_header, _, new_entries = new.partition("\n\n")
    if old_entries != new_entries:
        return False
    prefixes = tuple(f'"{name}:' for name in fields)

    def strip(header: str) -> list[str]:
        return [line for line in header.split("\n") if not line.startswith(prefixes)]

    return strip(old_header) == strip(new_header)


def header_value(text: str, name: str) -> str | None:
    """The value of a header field, read from a PO file's text without parsing it."""
    found = re.search(rf'^"{re.escape(name)}: (.*?)\\n"$', text, re.MULTILINE)
    return found.group(1) if found else None

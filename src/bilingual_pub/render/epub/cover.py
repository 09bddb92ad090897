"""The typographic cover: the titles in every language, the authors, as SVG."""

from __future__ import annotations

import textwrap
from typing import NamedTuple

from bilingual_pub.config import BookConfig
from bilingual_pub.render.epub.job import EpubJob


class CoverLine(NamedTuple):
    text: str
    y: int
    size: int
    lang: str
    italic: bool = False
    bold: bool = False


def cover_layout(
    config: BookConfig, languages: tuple[str, ...]
) -> tuple[list[CoverLine], list[int]]:
    """Lines and rules of the typographic cover, top to bottom (SVG text does not wrap itself)."""
    lines: list[CoverLine] = []
    rules: list[int] = []
    y = 170
    for position, lang in enumerate(languages):
        if position:
            rules.append(y - 24)
            y += 40
        italic = position > 0  # the second language set as in the text: italic
        title = config.titles[lang]
        size, width = (40, 22) if len(title) <= 50 else (30, 30)  # long titles: smaller type
        for text in textwrap.wrap(title, width=width):
            lines.append(CoverLine(text, y, size, lang, italic=italic, bold=not italic))
            y += size * 5 // 4
        for text in textwrap.wrap(config.subtitles.get(lang, ""), width=44):
            lines.append(CoverLine(text, y + 6, 22, lang, italic=True))
            y += 30
        y += 50
    authors = config.authors[:3]
    for number, author in enumerate(authors):  # at the foot, the last one lowest
        lines.append(CoverLine(author, 800 - 34 * (len(authors) - 1 - number), 24, languages[0]))
    return lines, rules


def typographic_cover(job: EpubJob) -> bytes:
    lines, rules = cover_layout(job.config, job.languages)
    return job.render("cover.svg", lines=lines, rules=rules, alt=job.cover_alt)

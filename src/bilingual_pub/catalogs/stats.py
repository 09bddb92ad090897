"""Translation progress per text and language."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from bilingual_pub.catalogs.messages import PoFile, translation_text

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


_COUNTS = ("segments", "source_words", "translated", "fuzzy", "untranslated", "translated_words")


@dataclass
class TextStats:
    text: str
    source_language: str
    language: str
    segments: int = 0
    source_words: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0

    @property
    def percent(self) -> float:
        return round(100.0 * self.translated / self.segments, 1) if self.segments else 100.0

    def add(self, other: TextStats) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "percent": self.percent}


def catalog_stats(
    po: PoFile | None, *, template: PoFile, text: str, source_language: str, language: str
) -> TextStats:
    """Counts over the template's segments, looked up in the catalog (which may not exist yet)."""
    stats = TextStats(text=text, source_language=source_language, language=language)
    for message in template.messages():
        stats.segments += 1
        words = count_words(str(message.id))
        stats.source_words += words * max(len(message.locations), 1)
        found = po.catalog.get(message.id) if po else None
        if found is None or not translation_text(found):
            stats.untranslated += 1
        elif found.fuzzy:
            stats.fuzzy += 1
        else:
            stats.translated += 1
            occurrences = max(len(message.locations), 1)
            stats.translated_words += count_words(translation_text(found)) * occurrences
    return stats

"""Existing translations made from translated books, and perturbed as real ones are.

A text and its catalog give the translation a translator would have written:
the text's Markdown with every segment replaced by its msgstr.  The
translation is kept as a list of top-level chunks so that it can be perturbed
the way real translations differ from their texts: two paragraphs merged into
one, one split in two, one left out, a translator's note added.  Each
perturbation says what the catalog should then hold for every segment.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from bilingual_pub.catalogs.messages import translation_text
from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.model import (
    Block,
    Code,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    RawHtml,
    Rule,
    SourceText,
    Table,
    text_segments,
)


@dataclass
class Chunk:
    """One top-level block of the translation: its Markdown and the segments it translates."""

    markdown: str
    segments: list[str]  # the source segments (msgids) it holds, in order
    paragraph: bool = False  # a top-level paragraph: the only chunks perturbed


@dataclass
class Corpus:
    chunks: list[Chunk]
    expected: list[str]  # per source segment, in the text's order: the msgstr it should get
    sources: list[str]  # the source segments, in the text's order
    events: dict[str, int] = field(default_factory=dict)

    def markdown(self) -> str:
        return "\n\n".join(chunk.markdown for chunk in self.chunks) + "\n"


def _render(block: Block, tr: dict[str, str], into: list[str]) -> str:
    """Markdown of one block with its segments translated; ``into`` collects the msgids."""
    if isinstance(block, Heading):
        into.append(block.segment.text)
        return "#" * block.level + " " + tr[block.segment.text]
    if isinstance(block, Paragraph):
        into.append(block.segment.text)
        return tr[block.segment.text]
    if isinstance(block, Figure):
        into.append(block.segment.text)
        return f"![{tr[block.segment.text]}]({block.src})"
    if isinstance(block, ListBlock):
        items = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else "- "
            inner = "\n\n".join(_render(b, tr, into) for b in item.blocks)
            items.append(marker + inner.replace("\n", "\n" + " " * len(marker)))
        return ("\n" if block.tight else "\n\n").join(items)
    if isinstance(block, Quote):
        inner = "\n\n".join(_render(b, tr, into) for b in block.blocks)
        return "\n".join(("> " + line).rstrip() for line in inner.split("\n"))
    if isinstance(block, Table):
        into.extend(s.text for s in block.header)
        lines = ["| " + " | ".join(tr[s.text] for s in block.header) + " |"]
        lines.append("|" + "|".join("---" for _ in block.header) + "|")
        for row in block.rows:
            into.extend(s.text for s in row)
            lines.append("| " + " | ".join(tr[s.text] for s in row) + " |")
        return "\n".join(lines)
    if isinstance(block, Code):
        return f"```{block.info}\n{block.text}```"
    if isinstance(block, RawHtml):
        return block.text.rstrip("\n")
    assert isinstance(block, Rule)
    return "---"


def translated_corpus(text: SourceText, translations: dict[str, str]) -> Corpus:
    """The translation a translator would have written, as chunks."""
    tr = {**translations, "": ""}
    chunks = []
    for block in text.blocks:
        held: list[str] = []
        markdown = _render(block, tr, held)
        chunks.append(Chunk(markdown, held, paragraph=isinstance(block, Paragraph)))
    for note in text.footnotes:
        held = []
        body = "\n\n".join(_render(b, tr, held) for b in note.blocks)
        chunks.append(Chunk(f"[^{note.label}]: " + body.replace("\n", "\n    "), held))
    sources = [s.text for s in text_segments(text) if s.text]
    return Corpus(chunks, [tr[s] for s in sources], sources)


def catalog_translations(po_path: Path) -> dict[str, str]:
    return {str(m.id): translation_text(m) for m in read_po(po_path).messages()}


NOTES = [
    "Nota del traductor: conservamos los nombres de las organizaciones tal como aparecen en el original.",
    "N. del T.: las cifras proceden de los informes de la época y no se han actualizado.",
    "Translator's note: the minutes quoted here were read aloud in both languages.",
    "Nota de la traducción: se mantienen las siglas en inglés.",
]


def perturb(
    corpus: Corpus,
    rng: random.Random,
    *,
    merged: float = 0.02,
    split: float = 0.02,
    dropped: float = 0.01,
    notes: float = 0.01,
) -> Corpus:
    """Merge, split and drop paragraphs and add translator's notes, each at its rate.

    Rates are of the paragraphs; each event is placed on a paragraph untouched so far.
    """
    chunks = [Chunk(c.markdown, list(c.segments), c.paragraph) for c in corpus.chunks]
    index_of = {s: i for i, s in enumerate(corpus.sources)}
    expected = list(corpus.expected)
    paragraphs = [i for i, c in enumerate(chunks) if c.paragraph]
    rates = {"merged": merged, "split": split, "dropped": dropped, "notes": notes}
    # rounded at random, so that short texts see the rates on average
    counts = {kind: _stochastic_round(len(paragraphs) * rate, rng) for kind, rate in rates.items()}
    free = set(paragraphs)
    events: dict[int, str] = {}
    for kind in ("merged", "split", "dropped", "notes"):
        for _ in range(counts[kind]):
            candidates = sorted(
                i
                for i in free
                if kind != "merged" or (i + 1 in free)
                if kind != "split" or _sentence_cut(chunks[i].markdown) is not None
            )
            if not candidates:
                break
            chosen = rng.choice(candidates)
            events[chosen] = kind
            free.discard(chosen)
            if kind == "merged":
                free.discard(chosen + 1)
    out: list[Chunk] = []
    skip = False
    for i, chunk in enumerate(chunks):
        if skip:
            skip = False
            continue
        kind = events.get(i)
        if kind == "merged":
            following = chunks[i + 1]
            joined = chunk.markdown + " " + following.markdown
            out.append(Chunk(joined, chunk.segments + following.segments, True))
            expected[index_of[chunk.segments[0]]] = joined
            expected[index_of[following.segments[0]]] = ""
            skip = True
        elif kind == "split":
            cut = _sentence_cut(chunk.markdown)
            assert cut is not None
            out.append(Chunk(chunk.markdown[:cut], chunk.segments, True))
            out.append(Chunk(chunk.markdown[cut + 1 :], [], True))
        elif kind == "dropped":
            expected[index_of[chunk.segments[0]]] = ""
        elif kind == "notes":
            out.append(chunk)
            out.append(Chunk(rng.choice(NOTES), [], True))
        else:
            out.append(chunk)
    return Corpus(out, expected, list(corpus.sources), counts)


def _stochastic_round(value: float, rng: random.Random) -> int:
    whole = int(value)
    return whole + (rng.random() < value - whole)


def _sentence_cut(markdown: str) -> int | None:
    """The space after the sentence end nearest the middle, if the paragraph has two."""
    middle = len(markdown) // 2
    cuts = [i + 1 for i in range(len(markdown) - 2) if markdown[i] in ".?!" and markdown[i + 1] == " "]
    cuts = [c for c in cuts if markdown[c + 1 : c + 2].isupper() or markdown[c + 1 : c + 2] in "¿¡"]
    return min(cuts, key=lambda c: abs(c - middle)) if cuts else None


def score(corpus: Corpus, got: list[str]) -> dict[str, float]:
    """Share of segments that got exactly what they should, and that got a wrong text."""
    exact = sum(1 for want, have in zip(corpus.expected, got, strict=True) if want == have)
    wrong = sum(
        1 for want, have in zip(corpus.expected, got, strict=True) if have and want != have
    )
    total = len(corpus.expected)
    return {"segments": total, "exact": exact / total, "wrong": wrong / total}




def generated_book(root: Path, *, chapters: int, paragraphs: int, seed: int) -> None:
    """A translated book of pseudo-prose (the second language ~1.2x longer), at any size.

    Headings every nine paragraphs and a short list now and then; each paragraph and its
    translation have the same number of sentences, as careful translations do.
    """
    from tests.bookgen import EN_WORDS, ES_WORDS, generated_book_toml, pair_paragraph, sentence
    from tests.harness import make_book

    rng = random.Random(seed)
    texts: dict[str, str] = {}
    translations: dict[str, str] = {}

    def pair(en: str, es: str) -> str:
        translations[en] = es
        return en

    for number in range(1, chapters + 1):
        blocks = [f"# {pair(f'Chapter {number}', f'Capítulo {number}')}"]
        for index in range(paragraphs):
            if index % 9 == 4:
                heading = sentence(rng, EN_WORDS, 3)[:-1], sentence(rng, ES_WORDS, 4)[:-1]
                blocks.append("## " + pair(*heading))
            if index % 23 == 11:
                items = [pair(*pair_paragraph(rng, 1)) for _ in range(3)]
                blocks.append("\n".join("- " + item for item in items))
            blocks.append(pair(*pair_paragraph(rng, rng.choice([1, 2, 2, 3, 3, 4, 5, 6]))))
        texts[f"{number:02d}-chapter.md"] = "\n\n".join(blocks) + "\n"
    make_book(root, texts, toml=generated_book_toml("gen"), translations=translations)

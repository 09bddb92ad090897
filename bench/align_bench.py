"""bilingual-pub align beside Gale-Church alone: accuracy and time.

Two inputs.  The sample book: each of its six texts (four English, two Spanish)
with the translation its catalog holds, perturbed 20 times (seeds 1-20): 2 % of
paragraph pairs merged, 2 % split, 1 % left out, 1 % translator's notes added.
A generated book of pseudo-prose with one text of ``--paragraphs`` paragraphs
(and a translated chapter of 200 that gives the length model), perturbed the
same way.  A segment is exact when it gets just what it should: its
translation, the merged text for the first of a merged pair, nothing for the
second or for a left-out one.

Aligners: bilingual-pub align (the whole command, catalog written, on the big
text; the aligner on the sample book), the same banded DP with Gale-Church's
length cost only, and the ``galechurch`` package (PyPI) with the same length
model.  ``--json`` prints the rows as JSON on the last line.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bilingual_pub.importing.aligner import Alignment, MatchKind, align  # noqa: E402
from bilingual_pub.importing.apply import proposals  # noqa: E402
from bilingual_pub.importing.reading import Translation, read_translation  # noqa: E402
from bilingual_pub.importing.run import AlignOptions, align_translation, book_model  # noqa: E402
from bilingual_pub.importing.scoring import LengthModel, Scorer, all_features  # noqa: E402
from bilingual_pub.model import Segment, text_segments  # noqa: E402
from bilingual_pub.project import Project  # noqa: E402
from tests.align_corpus import (  # noqa: E402
    Corpus,
    catalog_translations,
    generated_book,
    perturb,
    score,
    translated_corpus,
)
from tests.bookgen import copy_sample_book  # noqa: E402

Aligner = Callable[[list[Segment], Translation, LengthModel], list[Alignment]]


def ours(segments: list[Segment], translation: Translation, model: LengthModel) -> list[Alignment]:
    source = all_features([(s.text, s.kind) for s in segments])
    target = all_features([(b.text, b.kind) for b in translation.blocks])
    return align(source, target, Scorer(model, kinds=translation.structured))


def length_only(
    segments: list[Segment], translation: Translation, model: LengthModel
) -> list[Alignment]:
    source = all_features([(s.text, s.kind) for s in segments])
    target = all_features([(b.text, b.kind) for b in translation.blocks])
    return align(source, target, Scorer(model, kinds=False, anchors=False))


def gale_church_package(
    segments: list[Segment], translation: Translation, model: LengthModel
) -> list[Alignment]:
    import galechurch

    result = galechurch.align(
        [s.text for s in segments],
        [b.text for b in translation.blocks],
        mean_xy=model.ratio,
        variance_xy=model.variance,
        # its DP is the whole table: 10,000 paragraphs are some 150 M cells
        max_block_size=(len(segments) + 1) * (len(translation.blocks) + 1),
    )
    kinds = {(1, 1): MatchKind.ALIGNED, (2, 1): MatchKind.MERGED, (1, 2): MatchKind.SPLIT,
             (1, 0): MatchKind.NO_TRANSLATION, (0, 1): MatchKind.NO_SOURCE}
    found = []
    for bead in result.beads:
        sources = tuple(range(bead.source_start, bead.source_end))
        targets = tuple(range(bead.target_start, bead.target_end))
        kind = kinds.get((len(sources), len(targets)), MatchKind.ALIGNED)
        found.append(Alignment(kind, sources, targets, 0.0))
    return found


ALIGNERS: dict[str, Aligner] = {
    "bilingual-pub align": ours,
    "same DP, length cost only": length_only,
    "galechurch package": gale_church_package,
}


def outcome(corpus: Corpus, segments: list[Segment], translation: Translation,
            alignments: Sequence[Alignment]) -> dict[str, float]:
    got: dict[str, str] = {}
    for proposal in proposals(segments, translation.blocks, alignments):
        if proposal.text and proposal.segment.text not in got:
            got[proposal.segment.text] = proposal.text
    return score(corpus, [got.get(source, "") for source in corpus.sources])


def sample_book(seeds: range) -> list[dict[str, object]]:
    work = Path(tempfile.mkdtemp(prefix="align-bench-"))
    project = Project.open(copy_sample_book(work / "sample"))
    totals = {name: [0.0, 0.0, 0.0] for name in ALIGNERS}
    for text in project.texts():
        base = translated_corpus(text, catalog_translations(project.po_path(text)))
        segments = [s for s in text_segments(text) if s.text]
        model = book_model(project, text)
        for seed in seeds:
            corpus = perturb(base, random.Random(seed))
            path = work / "translation.md"
            path.write_text(corpus.markdown(), encoding="utf-8")
            translation = read_translation(path, display="t.md", languages=["en", "es"])
            for name, aligner in ALIGNERS.items():
                scores = outcome(corpus, segments, translation, aligner(segments, translation, model))
                totals[name][0] += scores["segments"]
                totals[name][1] += scores["exact"] * scores["segments"]
                totals[name][2] += scores["wrong"] * scores["segments"]
    return [
        {"input": f"sample book, 6 texts x {len(seeds)} perturbations", "aligner": name,
         "segments": int(n), "exact": exact / n, "wrong": wrong / n, "seconds": None, "cpu": None}
        for name, (n, exact, wrong) in totals.items()
    ]


def generated(paragraphs: int, seed: int) -> list[dict[str, object]]:
    work = Path(tempfile.mkdtemp(prefix="align-bench-"))
    root = work / "gen"
    generated_book(root, chapters=1, paragraphs=paragraphs, seed=seed)
    generated_book(work / "model", chapters=1, paragraphs=200, seed=seed + 1)
    # the small chapter's catalog gives the book its length model
    (work / "model" / "texts" / "01-chapter.md").rename(root / "texts" / "00-model.md")
    (work / "model" / "locales" / "es" / "LC_MESSAGES" / "01-chapter.po").rename(
        root / "locales" / "es" / "LC_MESSAGES" / "00-model.po"
    )
    project = Project.open(root)
    text = next(t for t in project.texts() if t.stem == "01-chapter")
    po_path = project.po_path(text)
    corpus = perturb(translated_corpus(text, catalog_translations(po_path)), random.Random(seed))
    translation_path = root / "translation.md"
    translation_path.write_text(corpus.markdown(), encoding="utf-8")
    _blank(po_path)
    rows = []
    started, cpu = time.perf_counter(), time.process_time()
    align_translation(Project.open(root), root / text.path, translation_path, AlignOptions())
    command, command_cpu = time.perf_counter() - started, time.process_time() - cpu
    got = catalog_translations(po_path)
    scores = score(corpus, [got[s] for s in corpus.sources])
    segments = [s for s in text_segments(text) if s.text]
    translation = read_translation(translation_path, display="t.md", languages=["en", "es"])
    model = book_model(project, text)
    label = f"generated, {paragraphs:,} paragraphs ({len(segments):,} segments)"
    rows.append({"input": label, "aligner": "bilingual-pub align", **scores, "seconds": command,
                 "cpu": command_cpu})
    for name, aligner in list(ALIGNERS.items()):
        started, cpu = time.perf_counter(), time.process_time()
        alignments = aligner(segments, translation, model)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        name = name + " (alignment only)" if name == "bilingual-pub align" else name
        rows.append({"input": label, "aligner": name, **outcome(corpus, segments, translation, alignments),
                     "seconds": seconds, "cpu": cpu})
    return rows


def _blank(po_path: Path) -> None:
    from bilingual_pub.catalogs.po_read import read_po
    from bilingual_pub.catalogs.po_write import render_po

    po = read_po(po_path)
    for message in po.messages():
        message.string = ""
        message.flags.discard("fuzzy")
    po_path.write_text(render_po(po), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=10_000)
    parser.add_argument("--seeds", type=int, default=20, help="perturbations of each sample text")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = sample_book(range(1, args.seeds + 1)) + generated(args.paragraphs, args.seed)
    print("| input | aligner | segments | exact | wrong | time | CPU time |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        times = [f"{row[key]:.2f} s" if isinstance(row[key], float) else "-" for key in ("seconds", "cpu")]
        print(f"| {row['input']} | {row['aligner']} | {row['segments']:,} | "
              f"{100 * float(row['exact']):.2f} % | {100 * float(row['wrong']):.2f} % | {times[0]} | {times[1]} |")
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()

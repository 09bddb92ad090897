"""Catalog merge benchmark: our ``update`` against GNU ``msgmerge --previous``.

A generator writes a book of N paragraph segments in plausible English (a large
vocabulary, invented names, sentences of varied shape, some one-line
paragraphs), "translates" every paragraph with a deterministic fake (the words
reversed behind a ``[es]`` tag: it only has to be a distinct msgstr), and then
edits the text:

- 10% of the paragraphs slightly edited (one to four words changed),
- 5% rewritten (a new paragraph in the same place),
- 3% deleted,
- 3% new paragraphs inserted.

Both tools merge the same POT (the edited text) into the same PO (the
translated catalog of the original).  Three runs are timed:

- ``bilingual-pub update``: the whole command (Markdown parsing, extraction,
  reading, merging and writing the POT and the PO), timed inside its process;
- ``bilingual-pub merge``: what msgmerge does (read the POT and the PO, merge,
  write the PO), timed inside its process, with the cycle collector paused as in
  ``update``;
- ``msgmerge --previous``: the whole process.

"time" is wall-clock, "CPU" user + system time (msgmerge runs its fuzzy search
on several threads), "process" the whole process including interpreter start-up
and imports.  Ours run ``--repeat`` times (default 3) and the fastest counts:
the machine may be shared, and noise only ever adds time (the 1-minute load
average before and after is printed under the table).  Peak RSS is each
process's ``ru_maxrss`` from ``wait4`` (see ``_LAUNCHER`` for why a launcher).
The generator remembers where every paragraph came from, so the outputs are
scored against the truth:

- exact kept: unchanged paragraphs that kept their translation, not fuzzy;
- correct fuzzy: edited paragraphs marked fuzzy with the paragraph they were
  edited from as the previous msgid and its translation as msgstr;
- wrong fuzzy: fuzzy entries for rewritten or new paragraphs, or with the wrong
  source;
- missed edits: edited paragraphs left without the right suggestion;
- translations kept: old translations still present anywhere in the output
  (active, fuzzy or obsolete ``#~``), out of all old translations.

Usage::

    python bench/merge_bench.py --n 2000
    python bench/merge_bench.py --n 20000 --no-msgmerge
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# --- the generator ----------------------------------------------------------------

def _words(block: str) -> list[str]:
    return block.split()


_NOUNS = """
worker union factory plant border wage contract strike leader member delegate
organizer meeting assembly committee federation company manager supervisor shift
line machine part product market trade agreement treaty government ministry court
board law right freedom election vote ballot campaign complaint hearing report
office official lawyer journalist newspaper radio letter telegram translation
translator language interpreter exchange visit delegation bus train bridge river
city town village neighbourhood street house family child school teacher church
priest farmer field harvest crop land water electricity cable motor transformer
engine tool wrench assembly-line warehouse truck driver port ship container cargo
steel copper aluminium plastic textile garment sewing seamstress shirt uniform
boot glove helmet safety accident injury doctor clinic nurse medicine pension
benefit insurance salary bonus overtime hour week month year decade century
history memory story archive photograph poster banner flag song march rally
protest picket blockade lockout dismissal firing blacklist threat promise lie
truth proof evidence witness testimony statement declaration resolution motion
amendment constitution convention congress president secretary treasurer
steward rank file majority minority consensus debate argument question answer
problem solution plan strategy tactic goal victory defeat loss gain lesson mistake
friendship alliance partnership solidarity trust respect dignity courage fear hope
anger patience effort struggle fight battle risk danger crisis recession boom
investment profit capital owner shareholder investor bank loan debt price cost
budget fund donation grant school workshop seminar course manual pamphlet book
chapter page article interview speech address ceremony anniversary celebration
festival dinner kitchen table chair window door roof wall floor garden road
highway airport station hotel hostel room bed coffee bread tortilla bean
"""

_VERBS = """
organized signed rejected accepted demanded refused approved elected appointed
built closed opened moved shipped crossed visited welcomed invited translated
explained described reported published printed recorded filmed photographed
wrote read studied taught learned trained prepared planned proposed discussed
debated decided voted agreed negotiated bargained struck marched gathered
celebrated remembered forgot lost won defended protected supported funded paid
raised lowered cut increased reduced replaced hired fired dismissed threatened
warned promised denied admitted confirmed challenged questioned answered asked
carried brought sent received delivered offered shared divided joined left
founded launched started finished ended continued resumed stopped changed
"""

_ADJECTIVES = """
independent democratic official national local regional international industrial
electrical mechanical small large long short new old young early late first last
second third final public private secret open closed free fair unfair legal
illegal strong weak brave careful patient angry quiet loud busy empty crowded
cold hot dry wet dusty clean dirty cheap expensive poor rich modest generous
honest faithful loyal stubborn practical simple difficult complex slow fast
steady sudden gradual common rare familiar strange foreign northern southern
eastern western central rural urban mexican american canadian bilingual
"""

_ADVERBS = """
quickly slowly carefully openly quietly firmly finally soon later again often
rarely always never together alone briefly suddenly gradually patiently
"""

_PREPOSITIONS = _words("in on at from to across under over near behind beyond through after during")
_CONNECTORS = [
    "and", "but", "while", "because", "although", "so", "until", "when", "since", "after",
]
_SYLLABLES = _words("ca ro mi ta lu ve san jo na el ri do ma que ber tin gar lo pe sa mon cu al fe")


NOUNS, VERBS = _words(_NOUNS), _words(_VERBS)
ADJECTIVES, ADVERBS = _words(_ADJECTIVES), _words(_ADVERBS)


class Writer:
    """Plausible English paragraphs from a seeded random generator."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        # Invented names give each paragraph a few rare words, as real books have.
        self.names = sorted({self._name() for _ in range(4000)})

    def _name(self) -> str:
        parts = [self.random.choice(_SYLLABLES) for _ in range(self.random.randint(2, 4))]
        return "".join(parts).capitalize()

    def _noun_phrase(self) -> str:
        r = self.random
        choice = r.random()
        if choice < 0.2:
            return r.choice(self.names)
        article = r.choice(["the", "a", "their", "our", "every", "that"])
        adjective = f"{r.choice(ADJECTIVES)} " if r.random() < 0.5 else ""
        tail = f" of {r.choice(self.names)}" if r.random() < 0.2 else ""
        return f"{article} {adjective}{r.choice(NOUNS)}{tail}"

    def _clause(self) -> str:
        r = self.random
        parts = [self._noun_phrase(), r.choice(VERBS), self._noun_phrase()]
        if r.random() < 0.5:
            parts += [r.choice(_PREPOSITIONS), self._noun_phrase()]
        if r.random() < 0.25:
            parts.insert(1, r.choice(ADVERBS))
        return " ".join(parts)

    def sentence(self) -> str:
        r = self.random
        text = self._clause()
        if r.random() < 0.45:
            text += f", {r.choice(_CONNECTORS)} {self._clause()}"
        if r.random() < 0.1:
            text = f"In {r.randint(1890, 2024)}, {text}"
        return text[0].upper() + text[1:] + r.choice([".", ".", ".", ".", "!", "?"])

    def paragraph(self) -> str:
        r = self.random
        count = 1 if r.random() < 0.15 else r.randint(2, 7)
        return " ".join(self.sentence() for _ in range(count))

    def edit(self, text: str) -> str:
        """A slight edit: one to four words replaced, inserted or dropped."""
        r = self.random
        words = text.split(" ")
        changes = max(1, min(4, len(words) // 25 + r.randint(0, 1)))
        for _ in range(changes):
            position = r.randrange(len(words))
            word = r.choice(NOUNS + ADJECTIVES + VERBS)
            action = r.random()
            if action < 0.7:
                words[position] = word
            elif action < 0.85:
                words.insert(position, word)
            elif len(words) > 3:
                del words[position]
        edited = " ".join(words)
        return edited if edited != text else edited + " Again."


def fake_translation(text: str) -> str:
    return "[es] " + " ".join(reversed(text.split()))


@dataclass
class Scenario:
    """The original paragraphs, the edited ones, and where each edited one came from."""

    old: list[str]
    new: list[str]
    # for each new paragraph: ("same" | "edited" | "rewritten" | "inserted", index into old or -1)
    origin: list[tuple[str, int]] = field(default_factory=list)


def make_scenario(n: int, seed: int = 2024) -> Scenario:
    writer = Writer(seed)
    seen: set[str] = set()

    def fresh() -> str:
        while True:
            text = writer.paragraph()
            if text not in seen:
                seen.add(text)
                return text

    old = [fresh() for _ in range(n)]
    r = random.Random(seed + 1)
    order = list(range(n))
    r.shuffle(order)
    edited_count, rewritten_count, deleted_count = n * 10 // 100, n * 5 // 100, n * 3 // 100
    edited = set(order[:edited_count])
    rewritten = set(order[edited_count : edited_count + rewritten_count])
    first_deleted = edited_count + rewritten_count
    deleted = set(order[first_deleted : first_deleted + deleted_count])
    scenario = Scenario(old=old, new=[])
    for index, text in enumerate(old):
        if index in deleted:
            continue
        if index in edited:
            new_text = writer.edit(text)
            while new_text in seen:
                new_text = writer.edit(text)
            seen.add(new_text)
            scenario.new.append(new_text)
            scenario.origin.append(("edited", index))
        elif index in rewritten:
            scenario.new.append(fresh())
            scenario.origin.append(("rewritten", index))
        else:
            scenario.new.append(text)
            scenario.origin.append(("same", index))
    for _ in range(n * 3 // 100):
        position = r.randrange(len(scenario.new) + 1)
        scenario.new.insert(position, fresh())
        scenario.origin.insert(position, ("inserted", -1))
    return scenario


def _markdown(paragraphs: list[str]) -> str:
    return "# A generated book\n\n" + "\n\n".join(paragraphs) + "\n"


# --- the two contenders -------------------------------------------------------------

BOOK_TOML = """\
[book]
slug = "bench"
languages = ["en", "es"]
source_language = "en"

[book.title]
en = "Bench"
es = "Banco"
"""


def prepare(scenario: Scenario, work: Path) -> tuple[Path, Path, Path]:
    """A project translated for the old text, its text then edited.

    Returns the project (ready for ``update``), the POT of the edited text and
    the translated PO of the old one: the same two inputs msgmerge gets.
    """
    from bilingual_pub.catalogs.extract import extract
    from bilingual_pub.catalogs.po_read import read_po
    from bilingual_pub.catalogs.po_write import render_po
    from bilingual_pub.catalogs.update import update
    from bilingual_pub.project import Project, build_time

    project_dir = work / "project"
    (project_dir / "texts").mkdir(parents=True)
    (project_dir / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    text_path = project_dir / "texts" / "book.md"
    text_path.write_text(_markdown(scenario.old), encoding="utf-8")
    update(Project.open(project_dir))
    po_path = project_dir / "locales" / "es" / "LC_MESSAGES" / "book.po"
    po = read_po(po_path)
    for message in po.messages():
        message.string = fake_translation(str(message.id))
    po_path.write_text(render_po(po), encoding="utf-8")
    text_path.write_text(_markdown(scenario.new), encoding="utf-8")
    text = Project.open(project_dir).texts()[0]
    pot_path = work / "new.pot"
    pot_path.write_text(
        render_po(extract(text, project="bench", created=build_time())), encoding="utf-8"
    )
    old_po = work / "old.po"
    shutil.copyfile(po_path, old_po)
    return project_dir, pot_path, old_po


def _worker_update(project_dir: Path, result_path: Path) -> None:
    """In its own process: the whole ``update`` command on the project, timed in-process."""
    from bilingual_pub.catalogs.update import update
    from bilingual_pub.project import Project

    wall, cpu = time.perf_counter(), time.process_time()
    update(Project.open(project_dir))
    _write_times(result_path, time.perf_counter() - wall, time.process_time() - cpu)


def _worker_merge(pot: Path, po: Path, output: Path, result_path: Path) -> None:
    """In its own process: what msgmerge does (read POT and PO, merge, write), timed."""
    from bilingual_pub.catalogs.merge import merge
    from bilingual_pub.catalogs.po_read import read_po
    from bilingual_pub.catalogs.po_write import render_po
    from bilingual_pub.collector import collector_paused
    from bilingual_pub.config import DEFAULT_FUZZY_THRESHOLD
    from bilingual_pub.files import write_text_if_changed

    wall, cpu = time.perf_counter(), time.process_time()
    with collector_paused():  # as in update
        merged, _ = merge(read_po(pot), read_po(po), header="", threshold=DEFAULT_FUZZY_THRESHOLD)
        write_text_if_changed(output, render_po(merged))
    _write_times(result_path, time.perf_counter() - wall, time.process_time() - cpu)


def _write_times(path: Path, wall: float, cpu: float) -> None:
    path.write_text(json.dumps({"wall": wall, "cpu": cpu}))


@dataclass
class Run:
    name: str
    wall: float  # seconds: in-process for ours (start-up excluded), the whole process for msgmerge
    cpu: float  # user + system seconds of the same span
    process_wall: float  # the whole process, interpreter start-up and imports included
    max_rss_mb: float  # peak resident memory of the process
    output: Path


# Peak memory is the child's ru_maxrss, from wait4.  Linux counts in it the memory the
# child had before exec: forked straight from this (large) process, every child would
# seem as big as the benchmark itself.  So a minimal launcher (Python without site,
# about 6 MB) forks each measured program and reports its rusage.
_LAUNCHER = """
import json, os, sys, time
command = json.loads(sys.argv[1])
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        os.execv(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
print(json.dumps({"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
                  "max_rss_kib": usage.ru_maxrss, "exit": os.waitstatus_to_exitcode(status)}))
"""


def _measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall time, CPU time (user + system) and peak RSS (MB) of one program run."""
    launcher = [sys.executable, "-S", "-I", "-c", _LAUNCHER, json.dumps(command)]
    done = subprocess.run(launcher, env=env, capture_output=True, text=True, check=True)
    usage = json.loads(done.stdout)
    if usage["exit"] != 0:
        raise RuntimeError(f"{command[0]} failed ({usage['exit']}): {done.stderr}")
    return usage["wall"], usage["cpu"], usage["max_rss_kib"] / 1024  # KiB on Linux


def _best(runs: list[Run]) -> Run:
    """The fastest of repeated runs: the machine is shared, noise only ever adds time."""
    return min(runs, key=lambda run: run.wall)


def run_update(project_dir: Path, work: Path, repeat: int) -> Run:
    pristine = work / "pristine"
    shutil.copytree(project_dir, pristine)
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000")}
    runs = []
    for _ in range(repeat):
        shutil.rmtree(project_dir)
        shutil.copytree(pristine, project_dir)
        result = work / "update.json"
        command = [sys.executable, __file__, "--worker-update", str(project_dir), str(result)]
        process_wall, _, rss = _measure(command, env)
        times = json.loads(result.read_text())
        output = project_dir / "locales" / "es" / "LC_MESSAGES" / "book.po"
        runs.append(Run("bilingual-pub update", times["wall"], times["cpu"], process_wall, rss, output))
    return _best(runs)


def run_merge(pot: Path, po: Path, work: Path, repeat: int) -> Run:
    runs = []
    for _ in range(repeat):
        output, result = work / "ours.po", work / "merge.json"
        output.unlink(missing_ok=True)
        command = [sys.executable, __file__, "--worker-merge", str(pot), str(po), str(output),
                   str(result)]
        process_wall, _, rss = _measure(command)
        times = json.loads(result.read_text())
        runs.append(Run("bilingual-pub merge", times["wall"], times["cpu"], process_wall, rss, output))
    return _best(runs)


def run_msgmerge(pot: Path, po: Path, work: Path, repeat: int) -> Run:
    output = work / "msgmerge.po"
    msgmerge = shutil.which("msgmerge")
    if msgmerge is None:
        raise RuntimeError("GNU msgmerge is not installed")
    runs = []
    for _ in range(repeat):
        command = [msgmerge, "--previous", "--quiet", "-o", str(output), str(po), str(pot)]
        wall, cpu, rss = _measure(command)
        runs.append(Run("msgmerge --previous", wall, cpu, wall, rss, output))
    return _best(runs)


# --- scoring ------------------------------------------------------------------------


@dataclass
class Score:
    exact_kept: int = 0
    correct_fuzzy: int = 0
    wrong_fuzzy: int = 0
    missed_edits: int = 0
    translations_kept: int = 0
    old_translations: int = 0
    msgfmt_ok: bool = True


def score(run: Run, scenario: Scenario) -> Score:
    from bilingual_pub.catalogs.po_read import read_po

    po = read_po(run.output)
    truth = dict(zip(scenario.new, scenario.origin, strict=True))
    result = Score(old_translations=len(scenario.old))
    for message in po.messages():
        if message.id not in truth:
            continue  # the heading
        kind, source = truth[str(message.id)]
        previous = message.previous_id[0] if message.previous_id else None
        if message.fuzzy and message.string:
            right = (
                kind == "edited"
                and previous == scenario.old[source]
                and message.string == fake_translation(scenario.old[source])
            )
            if right:
                result.correct_fuzzy += 1
            else:
                result.wrong_fuzzy += 1
                if kind == "edited":
                    result.missed_edits += 1
        elif kind == "same" and message.string == fake_translation(scenario.old[source]):
            result.exact_kept += 1
        elif kind == "edited":
            result.missed_edits += 1
    surviving = {str(m.string) for m in po.messages()} | {str(m.string) for m in po.obsolete()}
    result.translations_kept = sum(fake_translation(text) in surviving for text in scenario.old)
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        command = [msgfmt, "-c", "-o", os.devnull, str(run.output)]
        check = subprocess.run(command, capture_output=True)
        result.msgfmt_ok = check.returncode == 0 and not check.stderr
    return result


# --- report -------------------------------------------------------------------------


def machine_line(load_before: float, load_after: float) -> str:
    """The conditions of the run: on a shared machine, load adds wall time, not CPU time."""
    return (
        f"Load average (1 min): {load_before:.2f} before, {load_after:.2f} after; "
        f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}."
    )


def table(n: int, scenario: Scenario, runs: list[tuple[Run, Score]]) -> str:
    edited = sum(kind == "edited" for kind, _ in scenario.origin)
    same = sum(kind == "same" for kind, _ in scenario.origin)
    inserted = sum(kind == "inserted" for kind, _ in scenario.origin)
    lines = [
        f"N = {n} paragraphs: {same} unchanged, {edited} slightly edited, "
        f"{sum(k == 'rewritten' for k, _ in scenario.origin)} rewritten, "
        f"{n - len(scenario.origin) + inserted} deleted, {inserted} inserted.",
        "",
        "| tool | time | CPU | process | peak RSS | exact kept | correct fuzzy | wrong fuzzy "
        "| missed edits | translations kept | msgfmt -c |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run, result in runs:
        lines.append(
            f"| {run.name} | {run.wall:.2f} s | {run.cpu:.2f} s | {run.process_wall:.2f} s "
            f"| {run.max_rss_mb:.0f} MB | {result.exact_kept}/{same} "
            f"| {result.correct_fuzzy}/{edited} | {result.wrong_fuzzy} | {result.missed_edits} "
            f"| {result.translations_kept}/{result.old_translations} "
            f"| {'ok' if result.msgfmt_ok else 'FAILED'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="paragraph segments (default 2000)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours; the fastest counts")
    parser.add_argument("--no-msgmerge", action="store_true", help="time our merge only")
    parser.add_argument("--keep", type=Path, default=None, help="leave the files in this folder")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON too")
    parser.add_argument("--worker-update", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--worker-merge", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker_update:
        _worker_update(*map(Path, args.worker_update))
        return 0
    if args.worker_merge:
        _worker_merge(*map(Path, args.worker_merge))
        return 0

    scenario = make_scenario(args.n, args.seed)
    work = Path(tempfile.mkdtemp(prefix="merge-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    try:
        project_dir, pot, po = prepare(scenario, work)
        runs = [run_update(project_dir, work, args.repeat), run_merge(pot, po, work, args.repeat)]
        if not args.no_msgmerge:
            runs.append(run_msgmerge(pot, po, work, 1))
        scored = [(run, score(run, scenario)) for run in runs]
        print(table(args.n, scenario, scored))
        print()
        print(machine_line(load_before, os.getloadavg()[0]))
        if args.json:
            print(json.dumps([
                {"tool": r.name, "wall": r.wall, "cpu": r.cpu, "process_wall": r.process_wall,
                 "max_rss_mb": r.max_rss_mb, **s.__dict__}
                for r, s in scored
            ]))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`check` at levels that match harm: no false alarms on what translators do on purpose.

The fixture book tests/fixtures/check_cases holds one catalog entry per case; each entry's
translator comment says what `check --all` must report for it (`expect: kind level ...`
or `expect: -`), so the fixture documents itself.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bilingual_pub.catalogs.checks import CHECKS, finding_kinds, run_checks
from bilingual_pub.catalogs.messages import make_message
from bilingual_pub.catalogs.po_read import read_po
from bilingual_pub.catalogs.prose import prose
from bilingual_pub.config import CHECK_KIND_NAMES
from bilingual_pub.model import Level
from tests.check_clean import write_clean_book
from tests.harness import REPO, assert_one_error, book_toml, cli, make_book

CASES = Path(__file__).parent / "fixtures" / "check_cases"
ES_CATALOG = "locales/es/LC_MESSAGES/01-cases.po"
GOLDEN_RATIO = "The [golden ratio](https://en.wikipedia.org/wiki/Golden_ratio) is close to 1.618."


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CASES, tmp_path / "cases"))


def expected(book: Path) -> dict[tuple[str, int], set[tuple[str, str]]]:
    """(catalog, line) -> the (kind, level) pairs its entry's ``expect:`` comment names."""
    wanted: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for path in sorted(book.glob("locales/*/LC_MESSAGES/*.po")):
        for message in read_po(path).messages():
            (comment,) = [c for c in message.user_comments if c.startswith("expect: ")]
            words = comment.removeprefix("expect: ").split()
            pairs = set(zip(words[::2], words[1::2], strict=True)) if words != ["-"] else set()
            wanted[(str(path.relative_to(book)), message.lineno or 0)] = pairs
    return wanted


def reported(book: Path, *args: str) -> dict[tuple[str, int], set[tuple[str, str]]]:
    run = cli(book, "check", "--json", *args)
    found: dict[tuple[str, int], set[tuple[str, str]]] = defaultdict(set)
    for finding in json.loads(run.stdout):
        found[(finding["path"], finding["line"])].add((finding["kind"], finding["level"]))
    return found


def test_each_case_of_the_fixture_is_found_at_its_level(cases: Path) -> None:
    wanted = expected(cases)
    assert len(wanted) == 25
    found = reported(cases, "--all")
    assert set(found) <= set(wanted)  # no finding outside the fixture's entries
    assert {key: found.get(key, set()) for key in wanted} == wanted


def test_check_without_all_shows_no_info_and_fails_on_the_errors(cases: Path) -> None:
    run = cli(cases, "check")
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert not any("formatting-added" in line or "ignore-link" in line for line in lines)
    assert run.stderr.strip().endswith("4 errors, 7 warnings")
    everything = cli(cases, "check", "--all")
    assert everything.stderr.strip().endswith("4 errors, 7 warnings, 6 info")


def test_check_json_keeps_its_shape(cases: Path) -> None:
    findings = json.loads(cli(cases, "check", "--json").stdout)
    assert findings and all(
        set(finding) == {"path", "line", "level", "kind", "message"} for finding in findings
    )
    assert {finding["level"] for finding in findings} == {Level.ERROR, Level.WARNING}


def test_a_reviewed_localised_link_is_listed_by_check_all(cases: Path) -> None:
    run = cli(cases, "check", "--all")
    flagged = [line for line in run.stdout.splitlines() if "ignore-link" in line]
    assert len(flagged) == 2
    assert "link: turned off by the ignore-link flag: link URL changed: " in flagged[0]
    assert "wiki/Golden_ratio -> https://es.wikipedia.org/" in flagged[0]


def test_removing_the_flag_brings_the_link_error_back(cases: Path) -> None:
    catalog = cases / ES_CATALOG
    text = catalog.read_text(encoding="utf-8")
    assert text.count("#, ignore-link\n") == 2
    catalog.write_text(text.replace("#, ignore-link\n", ""), encoding="utf-8")
    links = [f for f in json.loads(cli(cases, "check", "--json").stdout) if f["kind"] == "link"]
    assert len(links) == 4 and {f["level"] for f in links} == {Level.ERROR}


def test_a_flag_with_nothing_to_turn_off_is_listed() -> None:
    message = make_message("Plain.", "Sencillo.", flags=["ignore-link"], lineno=3)
    found = run_checks(message, path="x.po", source_language="en", target_language="es")
    assert [(f.level, f.kind) for f in found] == [(Level.INFO, "link")]
    assert "turns off a check that finds nothing here" in found[0].message


def test_book_levels_raise_lower_and_turn_off_kinds(cases: Path) -> None:
    toml = (cases / "book.toml").read_text(encoding="utf-8")
    levels = '[checks]\nlink = "warning"\npunctuation = "off"\nformatting-added = "warning"\n'
    (cases / "book.toml").write_text(toml + levels, encoding="utf-8")
    found = json.loads(cli(cases, "check", "--json").stdout)
    by_kind = {(f["kind"], f["level"]) for f in found}
    assert ("link", Level.WARNING) in by_kind and ("link", Level.ERROR) not in by_kind
    assert not any(f["kind"] == "punctuation" for f in found)
    assert ("formatting-added", Level.WARNING) in by_kind
    assert ("markup", Level.ERROR) in by_kind  # kinds [checks] does not name keep their level


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('[checks]\nlinks = "warning"\n', "checks.links: unknown key"),
        ('[checks]\nlink = "fatal"\n', "checks.link: 'fatal': use error, warning, info, off"),
    ],
)
def test_bad_check_levels_name_the_line(tmp_path: Path, table: str, says: str) -> None:
    toml = book_toml()
    book = make_book(tmp_path / "book", {"01-a.md": "# A\n"}, toml=toml + table)
    line = len(toml.splitlines()) + 2
    assert_one_error(cli(book, "check"), f"book.toml:{line}: {says}")


def test_every_kind_check_reports_can_be_named_in_book_toml() -> None:
    assert {kind.name for kind in finding_kinds()} == CHECK_KIND_NAMES
    assert {entry.name for entry in CHECKS} >= {"glossary_terms", "markup_parity"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Use `!if` and `a != b`.", "Use   and  ."),
        ("See <https://example.org/a!> now!", "See  now!"),
        ("Go to https://example.org/x?y=1 today.", "Go to   today."),
        ("A <b>bold</b> word.", "A  bold  word."),
        ("[The guide](https://example.org/2019) and a note.[^1]", "The guide and a note."),
        ("Plain text, nothing to parse.", "Plain text, nothing to parse."),
    ],
)
def test_prose_leaves_out_code_urls_and_raw_html(text: str, words: str) -> None:
    assert prose(text) == words


def test_a_number_in_a_url_is_not_prose() -> None:
    message = make_message(
        "Read about [the strike](https://en.wikipedia.org/wiki/1934_waterfront_strike).",
        "Lea sobre [la huelga](https://es.wikipedia.org/wiki/Huelga_portuaria).",
        flags=["ignore-link"],
        lineno=1,
    )
    found = run_checks(message, path="x.po", source_language="en", target_language="es")
    assert [(f.level, f.kind) for f in found] == [(Level.INFO, "link")]


def test_a_correct_translation_of_300_entries_has_no_findings(tmp_path: Path) -> None:
    project = write_clean_book(tmp_path / "handbook")
    stats = json.loads(cli(project.root, "stats", "--json").stdout)
    assert stats["total"]["segments"] >= 300
    run = cli(project.root, "check")
    assert (run.returncode, run.stdout, run.stderr.strip()) == (0, "", "0 errors, 0 warnings")
    listed = cli(project.root, "check", "--all").stdout.splitlines()
    kinds = Counter(line.split(": ")[1] for line in listed)
    assert kinds == {"formatting-added": 22, "link": 11}  # italics added, reviewed links


def test_the_sample_book_has_no_findings() -> None:
    run = cli(REPO, "check")
    assert (run.returncode, run.stdout, run.stderr.strip()) == (0, "", "0 errors, 0 warnings")

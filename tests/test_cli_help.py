"""What the command line tells a user: --help, shell completion, and which book it works on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib

from bilingual_pub.catalogs.checks import CHECKS
from tests.harness import CliRun, cli, make_book
from tests.po_support import po_path, run_update

COMMANDS = ("align", "build", "check", "init", "preflight", "serve", "stats", "update")


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> CliRun:
    """The installed console script, as a user's shell runs it, 80 columns wide."""
    return cli(None, *args, real=True, cwd=cwd, env={"COLUMNS": "80", **(env or {})})


# -- --help -----------------------------------------------------------------------------


def _command_summaries(help_text: str) -> dict[str, str]:
    """The Commands section of the group's help: name -> its summary, wrapped lines joined."""
    section = help_text.split("\nCommands:\n", 1)[1].split("\n\n", 1)[0]
    summaries: dict[str, str] = {}
    name = ""
    for line in section.splitlines():
        first = re.match(r"  (\S+)\s+(.*)", line)
        if first:
            name = first.group(1)
            summaries[name] = first.group(2)
        else:
            summaries[name] += " " + line.strip()
    return summaries


def test_every_command_summary_reads_whole(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summaries = _command_summaries(result.stdout)
    assert sorted(summaries) == list(COMMANDS)
    for name, summary in summaries.items():
        assert not summary.endswith("..."), (name, summary)
        assert summary.endswith("."), (name, summary)


def test_group_help_shows_examples(tmp_path: Path) -> None:
    text = run("--help", cwd=tmp_path).stdout
    assert "Examples:" in text
    examples = [line.strip() for line in text.split("Examples:", 1)[1].splitlines()]
    for command in COMMANDS:
        assert any(line.startswith(f"bilingual-pub {command}") for line in examples), command


def test_every_registered_check_is_described(tmp_path: Path) -> None:
    """What each check of the registry declares it reports is in `check --help`, in order."""
    help_text = run("check", "--help", cwd=tmp_path).stdout
    listed = re.findall(r"^  (\S+)\s+(error|warning|info): ", help_text, re.MULTILINE)
    declared = [(kind.name, kind.level.value) for entry in CHECKS for kind in entry.kinds]
    assert all(entry.kinds for entry in CHECKS)
    assert listed == [("missing", "warning"), *declared]


def test_check_help_lists_every_kind_a_check_reports_with_its_level(tmp_path: Path) -> None:
    """Every kind (and level) that a real run of `check --json` reports is in `check --help`."""
    book = make_book(tmp_path / "book", {
        "01-a.md": "# Title\n\nPlain *words* here.\n\nSee [the site](https://example.org).\n\n"
        "We saw 42 birds.\n\nIs it so?\n\nTrailing.\n\nNot translated yet.\n\nChanged.\n",
        "02-b.md": "# Second\n",
    })
    run_update(book)
    (po_path(book, "02-b")).unlink()  # a text without a catalog
    catalog = po_path(book, "01-a")
    translations = {
        "Title": "Título",
        "Plain *words* here.": "Palabras llanas aquí.",
        "See [the site](https://example.org).": "Vea [el sitio](https://example.com).",
        "We saw 42 birds.": "Vimos pájaros.",
        "Is it so?": "¿Es así?¿",
        "Trailing.": "Al final. ",
        "Changed.": "Cambiado.",
    }
    po = polib.pofile(str(catalog))
    for entry in po:
        entry.msgstr = translations.get(entry.msgid, "")
        if entry.msgid == "Changed.":
            entry.flags.append("fuzzy")
    po.save()

    findings = json.loads(run("check", "--json", cwd=book).stdout)
    reported = {(finding["kind"], finding["level"]) for finding in findings}
    assert {kind for kind, _ in reported} == {
        "missing", "untranslated", "fuzzy", "formatting", "link", "numbers", "punctuation",
        "whitespace",
    }
    help_text = run("check", "--help", cwd=book).stdout
    assert "Kinds of findings:" in help_text
    for kind, level in reported:
        assert re.search(rf"^  {kind}\s+{level}: \S", help_text, re.MULTILINE), (kind, level)


# -- shell completion -------------------------------------------------------------------


def test_shell_completion_script_and_answers(tmp_path: Path) -> None:
    script = run(cwd=tmp_path, env={"_BILINGUAL_PUB_COMPLETE": "bash_source"})
    assert script.returncode == 0, script.stderr
    assert "_bilingual_pub_completion()" in script.stdout
    assert "complete " in script.stdout

    answer = run(cwd=tmp_path, env={
        "_BILINGUAL_PUB_COMPLETE": "bash_complete",
        "COMP_WORDS": "bilingual-pub build --format ",
        "COMP_CWORD": "3",
    })
    assert answer.stdout.split() == ["plain,pdf", "plain,epub", "plain,cover"]


# -- which book: -C, or the nearest book.toml upward --------------------------------------


def test_commands_find_the_book_from_a_subfolder(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book", {"01-a.md": "# Title\n\nA paragraph.\n"})
    deeper = book / "texts" / "drafts"
    deeper.mkdir()

    updated = run("update", cwd=book / "texts")
    assert updated.returncode == 0, updated.stderr
    assert po_path(book, "01-a").is_file()
    assert not (book / "texts" / "locales").exists()

    checked = run("check", cwd=deeper)
    assert checked.returncode == 0, checked.stderr
    # paths stay relative to the book, not to where the command ran
    assert checked.stdout.splitlines()[0].startswith("locales/es/LC_MESSAGES/01-a.po:")

    stats = run("stats", "--json", cwd=deeper)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["total"]["segments"] == 2


def test_no_book_upward_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-book" / "texts"
    folder.mkdir(parents=True)
    result = run("stats", cwd=folder)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: no book.toml in {folder.resolve()} or any parent folder"
    ]


def test_project_option_still_names_the_book(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book", {"01-a.md": "# Title\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("-C", book, "update", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert po_path(book, "01-a").is_file()
    # -C names the book itself: a folder inside it is not searched upward
    inside = run("-C", book / "texts", "stats", cwd=elsewhere)
    assert inside.returncode == 1
    assert inside.stderr.startswith("error: ")

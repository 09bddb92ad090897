"""Bad input gets one clear line and changes nothing.

Each case puts one bad file from ``tests/bad_inputs/`` (or one made here: binary
files, the 10 MB paragraph, 200 levels of nesting) into a copy of a tiny translated
book, runs the real ``bilingual-pub`` command, and asserts: exit status 1, exactly
one line on stderr, ``error: <file>:<line>: ...``, no traceback, and not one file,
directory or symlink of the project created, changed or removed (``locales/`` and
``build/`` included).  Some inputs are not errors at all and must be read correctly:
a catalog in ISO-8859-1, with a BOM, with CRLF line ends, or with plural entries.

Decisions recorded here (and in the README):

- an empty text is a chapter not yet written: ``update`` and ``build`` work, the
  catalog is empty, and nothing is made up;
- lists and quotes nested deeper than the Markdown reader follows are an error at
  the line where the nesting becomes too deep (never silently dropped text, never
  a RecursionError).
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import polib
import pytest

from tests.po_support import assert_msgfmt_ok
from tests.safety_support import (
    BASE_CATALOG,
    BASE_TEXT,
    CORPUS,
    CliRun,
    assert_one_error,
    copy_project,
    invoke,
    make_base_project,
    run_cli,
    tree_changes,
    tree_state,
)

PO = CORPUS / "po"
TOML = CORPUS / "toml"
TEXTS = CORPUS / "texts"

# Every command that reads catalogs must refuse a broken one in the same words.
CATALOG_COMMANDS = [
    ("update",),
    ("stats",),
    ("check",),
    ("build", "--format", "epub", "--edition", "es"),
]
BUILD_COMMANDS = [
    ("build", "--format", "epub", "--edition", "parallel"),
    ("build", "--format", "pdf", "--edition", "es"),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_base_project(tmp_path_factory.mktemp("base") / "book")


@pytest.fixture
def project(base: Path, tmp_path: Path) -> Path:
    return copy_project(base, tmp_path / "book")


def refused(
    project: Path, *args: str, names: str, line: int | None, says: str = "", real: bool = False
) -> CliRun:
    """Run a command that must fail with one line and leave the project exactly as it was.

    ``real`` runs the installed command in its own process; otherwise click's CliRunner
    runs the same ``main`` in this process (the matrix of cases stays fast).
    """
    before = tree_state(project)
    run = run_cli(project, *args) if real else invoke(project, *args)
    assert_one_error(run, names=names, line=line, says=says)
    assert tree_changes(before, tree_state(project)) == [], str(run)
    return run


# --- catalogs ---------------------------------------------------------------------

PO_ERRORS = [
    ("unterminated_string.po", 8, "unterminated string"),
    ("bad_escape.po", 12, "invalid escape sequence"),
    ("msgstr_without_msgid.po", 11, "msgstr without a msgid"),
    ("duplicate_msgid.po", 15, "duplicate msgid"),
]


@pytest.mark.parametrize("command", CATALOG_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(("name", "line", "says"), PO_ERRORS, ids=[c[0] for c in PO_ERRORS])
def test_malformed_catalog_is_one_line_and_changes_nothing(
    project: Path, name: str, line: int, says: str, command: tuple[str, ...]
) -> None:
    shutil.copyfile(PO / name, project / BASE_CATALOG)
    real = command == ("update",)
    refused(project, *command, names=BASE_CATALOG, line=line, says=says, real=real)


BINARY = bytes(range(256)) * 8  # every byte value, NUL included
NOT_UTF8 = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + (
    b'msgid "The alliance"\nmsgstr "La alianza \xff\xfe"\n'
)


@pytest.mark.parametrize("command", CATALOG_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(
    ("data", "line", "says"),
    [(BINARY, None, "binary"), (NOT_UTF8, 6, "cannot decode")],
    ids=["binary", "not-utf8"],
)
def test_catalog_that_is_not_text(
    project: Path, data: bytes, line: int | None, says: str, command: tuple[str, ...]
) -> None:
    (project / BASE_CATALOG).write_bytes(data)
    refused(project, *command, names=BASE_CATALOG, line=line, says=says)


EXPECTED_ES = [
    "La alianza de Jalapa y Peñón",
    "Los trabajadores de ambos países se reunieron en la frontera.",
    "Primer elemento de la lista, ¿sí?",
    "Segundo elemento de la lista, ¡ya!",
    "Un pequeño diagrama",
    "El último párrafo, con «comillas» y Ñandú.",
]


def _epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith(".xhtml")
        )


@pytest.mark.parametrize("name", ["latin1.po", "bom.po", "crlf.po", "plural.po"])
def test_catalogs_any_po_editor_may_write_are_read_correctly(project: Path, name: str) -> None:
    shutil.copyfile(PO / name, project / BASE_CATALOG)

    stats = invoke(project, "stats", "--json")
    assert stats.returncode == 0 and not stats.stderr, str(stats)
    total = json.loads(stats.stdout)["total"]
    assert (total["translated"], total["fuzzy"], total["untranslated"]) == (6, 0, 0), stats.stdout

    built = invoke(project, "build", "--format", "epub", "--edition", "es")
    assert built.returncode == 0 and not built.stderr, str(built)
    shown = _epub_text(project / "build" / "probe-es.epub")
    for translation in EXPECTED_ES:
        # the whole translation as an element's text: nothing more (a plural's other forms)
        assert f">{translation}</" in shown or f'alt="{translation}"' in shown, translation
    assert "Los últimos párrafos" not in shown

    updated = run_cli(project, "update")
    assert updated.returncode == 0 and not updated.stderr, str(updated)
    catalog = project / BASE_CATALOG
    data = catalog.read_bytes()
    if name == "crlf.po":
        # nothing changed but the line ends: the translator's file is left as it was
        assert data == (PO / name).read_bytes()
    else:
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
        assert b"charset=UTF-8" in data
    entries = {entry.msgid: entry for entry in polib.pofile(str(catalog))}
    for translation in EXPECTED_ES:
        assert any(
            translation in (entry.msgstr or entry.msgstr_plural.get(0, ""))
            for entry in entries.values()
        ), translation
    if name == "plural.po":
        # nothing a translator wrote is lost: every plural form survives, active or obsolete
        everything = polib.pofile(str(catalog))
        plural = {e.msgid: e.msgstr_plural for e in everything if e.msgid_plural}
        assert plural["The last paragraph."][1] == "Los últimos párrafos."
        assert plural["One worker"] == {0: "Un trabajador", 1: "Muchos trabajadores"}
    assert_msgfmt_ok(catalog)
    again = tree_state(project)
    assert invoke(project, "update").returncode == 0
    assert tree_changes(again, tree_state(project)) == [], "a second update changed files"


# --- book.toml -----------------------------------------------------------------------

TOML_ERRORS = [
    ("invalid.toml", 4, "invalid TOML"),
    ("unknown_key.toml", 11, "pdf.page_sise: unknown key"),
    ("unknown_language.toml", 3, "unknown language code 'qq'"),
    ("malformed_language.toml", 3, "'Spanish!' is not a language code"),
    ("missing_title.toml", 6, "missing title for language 'es'"),
    ("missing_text.toml", 5, "no such text 'texts/02-nowhere.md'"),
]


@pytest.mark.parametrize(("name", "line", "says"), TOML_ERRORS, ids=[c[0] for c in TOML_ERRORS])
def test_bad_book_toml(project: Path, name: str, line: int, says: str) -> None:
    shutil.copyfile(TOML / name, project / "book.toml")
    refused(project, "update", names="book.toml", line=line, says=says)


def test_book_toml_with_bom_and_crlf_is_read(project: Path) -> None:
    toml = (project / "book.toml").read_text(encoding="utf-8")
    (project / "book.toml").write_bytes(b"\xef\xbb\xbf" + toml.replace("\n", "\r\n").encode())
    run = invoke(project, "stats", "--json")
    assert run.returncode == 0 and not run.stderr, str(run)


def test_missing_book_toml(project: Path) -> None:
    (project / "book.toml").unlink()
    for command in (("update",), ("build",), ("stats",)):
        refused(project, *command, names="book.toml", line=None, says="no book.toml", real=True)


# --- texts ------------------------------------------------------------------------------

TEXT_ERRORS = [
    ("front_matter_unclosed.md", 1, "front matter is not closed"),
    ("front_matter_bad_line.md", 3, "expected 'key: value'"),
    ("front_matter_wrong_lang.md", 2, "lang 'fr' is not one of the book's languages"),
]


@pytest.mark.parametrize(("name", "line", "says"), TEXT_ERRORS, ids=[c[0] for c in TEXT_ERRORS])
def test_bad_text(project: Path, name: str, line: int, says: str) -> None:
    shutil.copyfile(TEXTS / name, project / BASE_TEXT)
    for command in (("update",), ("build", "--format", "epub")):
        refused(project, *command, names=BASE_TEXT, line=line, says=says)


@pytest.mark.parametrize(
    ("data", "line", "says"),
    [
        (BINARY, None, "not a text file"),
        (b"# Title\n\n\x89PNG\r\n\x1a\n" + bytes(range(1, 256)), 3, "not valid UTF-8"),
    ],
    ids=["nul-bytes", "not-utf8"],
)
def test_binary_text(project: Path, data: bytes, line: int | None, says: str) -> None:
    (project / "texts" / "02-image.md").write_bytes(data)
    refused(project, "update", names="texts/02-image.md", line=line, says=says, real=True)


def test_empty_text_is_a_chapter_not_yet_written(project: Path) -> None:
    (project / "texts" / "02-empty.md").write_bytes(b"")
    run = invoke(project, "update")
    assert run.returncode == 0 and not run.stderr, str(run)
    pot = polib.pofile(str(project / "locales" / "02-empty.pot"))
    assert len(pot) == 0
    catalog = project / "locales" / "es" / "LC_MESSAGES" / "02-empty.po"
    assert len(polib.pofile(str(catalog))) == 0
    assert_msgfmt_ok(catalog)
    built = invoke(project, "build", "--format", "epub", "--edition", "parallel")
    assert built.returncode == 0, str(built)
    assert "Traceback" not in built.stderr


def _nested(kind: str, depth: int) -> str:
    if kind == "quote":
        return "# Deep\n\n" + "> " * depth + "The innermost words.\n"
    lines = ["# Deep", ""]
    lines += ["  " * level + f"- level {level}" for level in range(depth)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("kind", ["quote", "list"])
def test_deep_nesting_is_an_error_not_a_crash_or_lost_text(project: Path, kind: str) -> None:
    (project / "texts" / "02-deep.md").write_text(_nested(kind, 200), encoding="utf-8")
    line = 3 if kind == "quote" else 12  # where the nesting goes past what is read
    run = refused(
        project, "update", names="texts/02-deep.md", line=line, says="nested too deeply", real=True
    )
    assert "RecursionError" not in run.stderr


@pytest.mark.parametrize(("kind", "depth"), [("quote", 19), ("list", 9)])
def test_the_deepest_nesting_read_works_and_keeps_every_word(
    project: Path, kind: str, depth: int
) -> None:
    (project / "texts" / "02-deep.md").write_text(_nested(kind, depth), encoding="utf-8")
    run = invoke(project, "update")
    assert run.returncode == 0, str(run)
    ids = {entry.msgid for entry in polib.pofile(str(project / "locales" / "02-deep.pot"))}
    expected = {"The innermost words."} if kind == "quote" else {f"level {n}" for n in range(depth)}
    assert expected <= ids
    built = invoke(project, "build", "--format", "epub", "--edition", "parallel")
    assert built.returncode == 0, str(built)


def test_ten_megabyte_paragraph_updates_in_bounded_time_and_memory(project: Path) -> None:
    words = ("solidarity across the border " * 60).strip()
    lines = []
    size = 0
    while size < 10 * 1024 * 1024:
        lines.append(words)
        size += len(words) + 1
    (project / "texts" / "02-huge.md").write_text(
        "# A long one\n\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    run = run_cli(project, "update", timeout=60)
    assert run.returncode == 0, str(run)
    print(f"\n10 MB paragraph: update {run.seconds:.1f} s, peak memory {run.max_rss_mb:.0f} MB")
    assert run.seconds < 60
    assert run.max_rss_mb < 1500, f"update of a 10 MB paragraph used {run.max_rss_mb:.0f} MB"
    catalog = project / "locales" / "es" / "LC_MESSAGES" / "02-huge.po"
    assert catalog.stat().st_size > 10 * 1024 * 1024
    assert_msgfmt_ok(catalog)
    again = run_cli(project, "update", timeout=60)
    assert again.returncode == 0 and "(unchanged)" in again.stdout, str(again)


# --- images ---------------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.end_headers()
        self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[int, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def _outside_file(project: Path) -> Path:
    outside = project.parent / "outside.svg"
    shutil.copyfile(project / "images" / "diagram.svg", outside)
    return outside


IMAGE_ERRORS = [
    ("image_missing.md", 8, "not found"),
    ("image_dotdot.md", 8, "outside the project"),
    ("image_absolute.md", 8, "relative to the text"),
    ("image_symlink.md", 8, "outside the project"),
    ("image_remote.md", 8, "is remote"),
    ("image_remote_inline.md", 10, "is remote"),
]


@pytest.mark.parametrize("command", BUILD_COMMANDS, ids=["epub", "pdf"])
@pytest.mark.parametrize(("name", "line", "says"), IMAGE_ERRORS, ids=[c[0] for c in IMAGE_ERRORS])
def test_image_that_is_not_a_local_file_in_the_project(
    project: Path,
    server: tuple[int, list[str]],
    name: str,
    line: int,
    says: str,
    command: tuple[str, ...],
) -> None:
    port, requests = server
    outside = _outside_file(project)
    (project / "images" / "link.svg").symlink_to(outside)
    text = (TEXTS / name).read_text(encoding="utf-8")
    text = text.replace("{outside}", str(outside)).replace("{port}", str(port))
    (project / BASE_TEXT).write_text(text, encoding="utf-8")
    real = name == "image_remote.md"
    refused(project, *command, names=BASE_TEXT, line=line, says=says, real=real)
    assert requests == [], f"the build fetched {requests}"


def test_remote_image_in_a_translation_is_refused_and_never_fetched(
    project: Path, server: tuple[int, list[str]]
) -> None:
    port, requests = server
    catalog = project / BASE_CATALOG
    po = polib.pofile(str(catalog))
    po.find("The last paragraph.").msgstr = f"El último. ![logo](http://127.0.0.1:{port}/x.png)"
    po.save(str(catalog))
    for command in BUILD_COMMANDS:
        refused(project, *command, names=BASE_TEXT, line=10, says="is remote")
    assert requests == []


def test_weasyprint_fetcher_serves_project_files_only(
    project: Path, server: tuple[int, list[str]]
) -> None:
    from bilingual_pub.render.pdf.fetcher import make_url_fetcher

    port, requests = server
    outside = _outside_file(project)
    fetcher = make_url_fetcher([project])
    inside = (project / "images" / "diagram.svg").as_uri()
    fetched = fetcher.fetch(inside)
    assert fetched is not None
    for url in (
        f"http://127.0.0.1:{port}/diagram.svg",
        f"https://127.0.0.1:{port}/diagram.svg",
        f"ftp://127.0.0.1:{port}/diagram.svg",
        "data:image/svg+xml,<svg/>",
        outside.as_uri(),
        (project / "images" / ".." / ".." / "outside.svg").as_uri(),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    (project / "images" / "link.svg").symlink_to(outside)
    with pytest.raises(ValueError):
        fetcher.fetch((project / "images" / "link.svg").as_uri())
    assert requests == []


def test_raw_html_and_css_cannot_reach_the_network_while_building(
    project: Path, server: tuple[int, list[str]]
) -> None:
    """Even trusted raw HTML and a book's own CSS go through the offline fetcher."""
    port, requests = server
    toml = (project / "book.toml").read_text(encoding="utf-8")
    (project / "book.toml").write_text(
        toml.replace(
            'translators = ["T. Translator"]\n',
            'translators = ["T. Translator"]\nraw_html = true\n',
        ),
        encoding="utf-8",
    )
    text = (project / BASE_TEXT).read_text(encoding="utf-8")
    (project / BASE_TEXT).write_text(
        text + f'\n<div><img src="http://127.0.0.1:{port}/raw.png" alt=""/></div>\n',
        encoding="utf-8",
    )
    css = project / "templates" / "pdf" / "extra.css"
    css.parent.mkdir(parents=True)
    css.write_text(
        f'@import url("http://127.0.0.1:{port}/import.css");\n'
        f'body {{ background: url("http://127.0.0.1:{port}/bg.png"); }}\n',
        encoding="utf-8",
    )
    run = run_cli(project, "-q", "build", "--format", "pdf", "--edition", "es")
    assert run.returncode == 0, str(run)
    epub = run_cli(project, "-q", "build", "--format", "epub", "--edition", "es")
    assert epub.returncode == 0, str(epub)
    assert requests == [], f"the build fetched {requests}"
    with zipfile.ZipFile(project / "build" / "probe-es.epub") as package:
        for name in package.namelist():
            if name.endswith(".xhtml"):
                for element in ElementTree.fromstring(package.read(name)).iter():
                    for value in element.attrib.values():
                        assert f"127.0.0.1:{port}" not in value, (name, element.tag)


def test_verbose_shows_the_traceback_for_bug_reports(project: Path) -> None:
    shutil.copyfile(PO / "bad_escape.po", project / BASE_CATALOG)
    run = run_cli(project, "-v", "update")
    assert run.returncode == 1
    assert "Traceback" in run.stderr
    assert run.stderr.rstrip().splitlines()[-1].startswith("error: ")


def test_corpus_files_are_what_they_claim() -> None:
    """The committed corpus keeps its bytes (no editor or git normalised them)."""
    assert (PO / "bom.po").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (PO / "crlf.po").read_bytes()
    latin1 = (PO / "latin1.po").read_bytes()
    assert b"charset=ISO-8859-1" in latin1 and "Ñandú".encode("latin-1") in latin1
    done = subprocess.run(
        ["/usr/bin/msgfmt", "-c", "-o", os.devnull, str(PO / "latin1.po")],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr

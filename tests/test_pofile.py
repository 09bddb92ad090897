"""The PO reader (strict, with line numbers) and writer (gettext's layout, msgfmt-clean)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual_pub.catalogs.headers import header_fields
from bilingual_pub.catalogs.messages import PoFile, make_message
from bilingual_pub.catalogs.po_read import parse_po, read_po
from bilingual_pub.catalogs.po_write import format_string, render_po
from bilingual_pub.errors import CatalogError
from tests.po_support import assert_msgfmt_ok

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Project-Id-Version: test\\n"\n'
    '"PO-Revision-Date: 2026-01-01 00:00+0000\\n"\n'
    '"Last-Translator: Ana <ana@example.org>\\n"\n'
    '"Language-Team: \\n"\n'
    '"Language: es\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset={charset}\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
    "\n"
)


def po_text(body: str, charset: str = "UTF-8") -> str:
    return HEADER.replace("{charset}", charset) + body


# --- errors: each one a CatalogError naming the line ----------------------------------

HEADER_LINES = po_text("").count("\n")  # the body starts on line HEADER_LINES + 1


@pytest.mark.parametrize(
    ("body", "body_line", "message"),
    [
        ('msgid "a\nmsgstr "b"\n', 1, "unterminated string"),
        ('msgid "a"\nmsgstr "b\n', 2, "unterminated string"),
        ('msgid "a"\nmsgstr ""\n"continued\n', 3, "unterminated string"),
        ('msgid "a\\q"\nmsgstr "b"\n', 1, "invalid escape sequence '\\\\q'"),
        ('msgid "a"\nmsgstr "b" extra\n', 2, "unexpected text after the string"),
        ('msgid "a"\nmsgstr "b"\n\nmsgstr "c"\n', 4, "msgstr without a msgid"),
        ('#: texts/a.md:1\nmsgstr "c"\n', 2, "msgstr without a msgid"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, "duplicate msgid 'a'"),
        ('msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 4, "once obsolete, once not"),
        ('#~ msgid "a"\n#~ msgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, "once obsolete, once not"),
        ('#~ msgid "a"\n#~ msgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 4, "duplicate obsolete"),
        ('msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', 1, "missing msgstr"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid_typo "x"\n', 4, "unknown keyword 'msgid_typo'"),
        ('#| msgid "old\nmsgid "a"\nmsgstr "b"\n', 1, "unterminated string"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[5] "c"\n', 1, "Plural-Forms"),
        ('msgid "a"\nmsgstr[0] "b"\n', 2, "msgstr[0] without msgid_plural"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', 3, "msgstr after msgid_plural"),
    ],
)
def test_malformed_po_is_an_error_with_its_line(body: str, body_line: int, message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_po(po_text(body).encode(), "locales/es/LC_MESSAGES/t.po")
    error = caught.value
    assert error.path == "locales/es/LC_MESSAGES/t.po"
    assert error.line == HEADER_LINES + body_line, str(error)
    assert message in error.message
    assert str(error).startswith(f"locales/es/LC_MESSAGES/t.po:{error.line}: ")


def test_long_line_with_a_bad_escape_fails_at_once() -> None:
    """The string check never backtracks (it once took time doubling with each character)."""
    body = 'msgid "' + "a" * 5000 + '\\q"\nmsgstr ""\n'
    with pytest.raises(CatalogError, match="invalid escape sequence") as caught:
        parse_po(po_text(body).encode(), "t.po")
    assert caught.value.line == HEADER_LINES + 1


def test_msgstr_without_msgid_at_the_top() -> None:
    with pytest.raises(CatalogError) as caught:
        parse_po(b'msgstr "lonely"\n', "t.po")
    assert (caught.value.line, caught.value.message) == (1, "msgstr without a msgid")


@pytest.mark.parametrize(
    "data",
    [
        b"\xde\x12\x04\x95\x00\x00\x00\x00\x02\x00\x00\x00",  # a compiled .mo file
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_binary_file_is_not_a_catalog(data: bytes) -> None:
    with pytest.raises(CatalogError, match=r"not a PO file \(binary data\)"):
        parse_po(data, "t.po")


def test_undecodable_text_names_the_line() -> None:
    data = po_text('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "').encode() + b"\xff\xfe\"\n"
    with pytest.raises(CatalogError) as caught:
        parse_po(data, "t.po")
    assert caught.value.line == HEADER_LINES + 5
    assert "cannot decode with the declared charset 'UTF-8'" in caught.value.message


def test_unknown_charset() -> None:
    with pytest.raises(CatalogError, match="unknown charset 'KLINGON-1'"):
        parse_po(po_text('msgid "a"\nmsgstr "b"\n', "KLINGON-1").encode(), "t.po")


def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "dir.po").mkdir()
    with pytest.raises(CatalogError, match="cannot read catalog"):
        read_po(tmp_path / "dir.po", "locales/dir.po")


# --- encodings ---------------------------------------------------------------------


def test_iso_8859_1_catalog_is_decoded_including_its_header() -> None:
    text = po_text('# Revisado por José\nmsgid "año"\nmsgstr "year"\n', "ISO-8859-1")
    text = text.replace("Ana <ana@example.org>", "José Pérez")
    po = parse_po(text.encode("latin-1"), "t.po")
    [message] = po.messages()
    assert (message.id, message.string, message.user_comments) == ("año", "year", ["Revisado por José"])
    assert "Last-Translator: José Pérez\n" in po.header
    assert "charset=ISO-8859-1" in po.header  # the header as read
    # written back as UTF-8, and saying so
    rendered = render_po(po)
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in rendered
    assert parse_po(rendered.encode(), "t.po").messages()[0].id == "año"


def test_bom_and_crlf_are_read() -> None:
    text = po_text('#. type: paragraph\nmsgid "año"\nmsgstr ""\n"line one "\n"line two"\n')
    po = parse_po(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), "t.po")
    [message] = po.messages()
    assert (message.id, message.string) == ("año", "line one line two")
    assert message.auto_comments == ["type: paragraph"]
    assert "\r" not in po.header


def test_charset_placeholder_means_utf8() -> None:
    po = parse_po(po_text('msgid "año"\nmsgstr ""\n', "CHARSET").encode(), "t.pot")
    assert po.messages()[0].id == "año"


# --- what Babel alone would lose ------------------------------------------------------


def test_flags_and_comments_are_kept_exactly() -> None:
    body = (
        "# First note\n#\n# Second note\n#\n"
        "#, fuzzy, python-format\n"
        '#| msgid "An old text"\n'
        'msgid "A plain text"\nmsgstr "Un texto"\n\n'
        'msgid "In 1998, 40% of the members voted"\nmsgstr "En 1998 votó el cuarenta por ciento"\n'
    )
    po = parse_po(po_text(body).encode(), "t.po")
    plain, percent = po.messages()
    assert plain.flags == {"fuzzy", "python-format"}
    assert plain.user_comments == ["First note", "", "Second note", ""]
    assert plain.previous_id == ["An old text"]
    assert percent.flags == set()  # no python-format guessed from "40% of"
    rendered = render_po(po)
    assert "# First note\n#\n# Second note\n#\n#, fuzzy, python-format\n" in rendered
    assert "#, python-format\nmsgid \"In 1998" not in rendered


def test_percent_in_prose_passes_msgfmt(tmp_path: Path) -> None:
    catalog = PoFile(catalog=parse_po(po_text("").encode(), "t.po").catalog,
                     header=parse_po(po_text("").encode(), "t.po").header)
    catalog.catalog["x"] = make_message("In 1998, 40% of the members voted.",
                                        "En 1998 votó el cuarenta por ciento.")
    path = tmp_path / "t.po"
    path.write_text(render_po(catalog), encoding="utf-8")
    assert_msgfmt_ok(path)


def test_short_header_survives() -> None:
    po = parse_po(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n', "t.po")
    assert po.header == "Content-Type: text/plain; charset=UTF-8\n"
    assert render_po(po) == (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    )


def test_unparseable_header_date_is_kept_verbatim() -> None:
    text = po_text('msgid "a"\nmsgstr "b"\n').replace(
        "PO-Revision-Date: 2026-01-01 00:00+0000", "PO-Revision-Date: last Tuesday"
    )
    po = parse_po(text.encode(), "t.po")
    assert "PO-Revision-Date: last Tuesday\n" in po.header


def test_obsolete_previous_msgid_gnu_style() -> None:
    body = (
        'msgid "a"\nmsgstr "b"\n\n'
        '#, fuzzy\n#~| msgid "older"\n#~ msgid "old"\n#~ msgstr "viejo"\n'
    )
    po = parse_po(po_text(body).encode(), "t.po")
    [obsolete] = po.obsolete()
    assert (obsolete.id, obsolete.string, obsolete.previous_id) == ("old", "viejo", ["older"])
    assert obsolete.fuzzy
    assert '#, fuzzy\n#~| msgid "older"\n#~ msgid "old"\n#~ msgstr "viejo"\n' in render_po(po)


def test_gettext_escapes_round_trip() -> None:
    body = 'msgid "bell\\a back\\b form\\f vtab\\v tab\\t quote\\" slash\\\\ octal\\101 hex\\x42"\n'
    po = parse_po(po_text(body + 'msgstr ""\n').encode(), "t.po")
    [message] = po.messages()
    assert message.id == 'bell\a back\b form\f vtab\v tab\t quote" slash\\ octalA hexB'
    again = parse_po(render_po(po).encode(), "t.po")
    assert again.messages()[0].id == message.id


# --- writing -----------------------------------------------------------------------------


def test_long_strings_wrap_like_gettext() -> None:
    text = "word " * 40 + "end"
    lines = format_string("msgid", text)
    assert lines[0] == 'msgid ""'
    assert all(len(line) <= 79 for line in lines)
    assert "".join(line[1:-1] for line in lines[1:]) == text


def test_embedded_newlines_break_lines() -> None:
    assert format_string("msgstr", "one\ntwo\n") == ['msgstr ""', '"one\\n"', '"two\\n"']


def test_previous_msgid_lines_are_each_a_complete_string() -> None:
    text = ('He said "no" \\ and left. ' * 30).strip()
    lines = format_string("msgid", text, prefix="#| ")
    assert all(line.startswith('#| "') and line.endswith('"') for line in lines[1:])
    assert all(not line.endswith('\\"') or line.endswith('\\\\"') or line.endswith(' \\"')
               for line in lines[1:])


SAFE_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\x00"
    ),
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(msgid=SAFE_TEXT.filter(bool), msgstr=SAFE_TEXT, comment=st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40
))
def test_round_trip_property(msgid: str, msgstr: str, comment: str) -> None:
    po = parse_po(po_text("").encode(), "t.po")
    po.catalog[msgid] = make_message(
        msgid, msgstr, locations=[("texts/a.md", 3)], flags=["fuzzy"],
        user_comments=[comment.strip()], previous_id=msgid[::-1] or "x",
    )
    again = parse_po(render_po(po).encode(), "t.po")
    [message] = again.messages()
    assert (message.id, message.string) == (msgid, msgstr)
    assert message.previous_id == [msgid[::-1] or "x"]
    assert message.user_comments == [comment.strip()]
    assert message.flags == {"fuzzy"}


def test_msgfmt_accepts_awkward_strings(tmp_path: Path) -> None:
    """Quotes, backslashes, tabs, newlines, long words and non-ASCII, all in one catalog."""
    po = parse_po(po_text("").encode(), "t.po")
    samples = [
        'He said "no", then "yes".',
        "C:\\union\\minutes\\1992 and a trailing backslash \\",
        "tab\there and\tthere",
        "x" * 200,
        "año, ¿qué?, ¡sí!, “curly” and ‘single’ — dashes… " * 8,
        "\\" * 81,
        '"' * 90,
        "ends with a space ",
    ]
    for index, text in enumerate(samples):
        po.catalog[text] = make_message(
            text, text[::-1], flags=["fuzzy"], previous_id=text + " (before)",
            locations=[("texts/a.md", index + 1)],
        )
        po.catalog.obsolete[f"old {index}"] = make_message(
            f"old {index} {text}", text, flags=["fuzzy"], previous_id=f"older {text}"
        )
    path = tmp_path / "awkward.po"
    path.write_text(render_po(po), encoding="utf-8")
    assert_msgfmt_ok(path)
    back = polib.pofile(str(path))
    assert [e.msgid for e in back if not e.obsolete] == samples
    assert [e.previous_msgid for e in back if not e.obsolete] == [t + " (before)" for t in samples]
    assert len(back.obsolete_entries()) == len(samples)


# --- the reader agrees with polib on what other tools write ----------------------------

TESTS = Path(__file__).parent
FIXTURE_CATALOGS = sorted(
    [*(TESTS / "golden").rglob("*.po"), *(TESTS / "golden").rglob("*.pot")]
    + [TESTS / "bad_inputs" / "po" / name for name in ("good.po", "latin1.po", "bom.po",
                                                       "crlf.po", "plural.po")]
)


def _polib_view(entry: polib.POEntry) -> tuple[object, ...]:
    msgid: object = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid
    string: object = (
        tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        if entry.msgid_plural else entry.msgstr
    )
    locations = [(path, int(line) if line else None) for path, line in entry.occurrences]
    comments = entry.tcomment.split("\n") if entry.tcomment else []
    return (msgid, string, entry.msgctxt, sorted(entry.flags), entry.previous_msgid or None,
            [] if entry.obsolete else locations, comments)


@pytest.mark.parametrize("path", FIXTURE_CATALOGS, ids=lambda p: str(p.relative_to(TESTS)))
def test_reader_agrees_with_polib(path: Path) -> None:
    po = read_po(path)
    ours = [
        (m.id, m.string, m.context, sorted(m.flags),
         m.previous_id[0] if m.previous_id else None, [] if obsolete else list(m.locations),
         m.user_comments)
        for obsolete, messages in ((False, po.messages()), (True, po.obsolete()))
        for m in messages
    ]
    theirs = polib.pofile(str(path))
    expected = [_polib_view(e) for e in theirs if e.msgid and not e.obsolete]
    expected += [_polib_view(e) for e in theirs.obsolete_entries()]
    assert ours == expected
    assert dict(header_fields(po.header)) == theirs.metadata


def test_every_kind_of_line() -> None:
    body = (
        "# translator\n#. extracted\n#: texts/a.md:3 texts/b.md\n"
        "#: \u2068texts/with space.md\u2069:7\n#, fuzzy, no-wrap\n"
        '#| msgctxt "old context"\n#| msgid "old "\n#| "text"\n'
        'msgctxt "context"\nmsgid "new "\n\n"text"\nmsgstr ""\n"nuevo "\n"texto"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "uno"\nmsgstr[1] "muchos"\n\n'
        '# gone\n#~ #, fuzzy\n#~| msgid "older"\n#~ msgid "old "\n#~\n#~ "one"\n'
        '#~ msgstr "viejo"\n'
    )
    text = po_text(body).replace('"Language: es\\n"\n',
                                 '"Language: es\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n')
    po = parse_po(text.encode(), "t.po")
    fuzzy, plural = po.messages()
    assert (fuzzy.id, fuzzy.string, fuzzy.context) == ("new text", "nuevo texto", "context")
    assert fuzzy.user_comments == ["translator"] and fuzzy.auto_comments == ["extracted"]
    assert fuzzy.locations == [("texts/a.md", 3), ("texts/b.md", None),
                               ("texts/with space.md", 7)]
    assert fuzzy.flags == {"fuzzy", "no-wrap"} and fuzzy.previous_id == ["old text"]
    assert fuzzy.lineno == text.split("\n").index('msgid "new "') + 1
    assert (plural.id, plural.string) == (("one", "many"), ("uno", "muchos"))
    [obsolete] = po.obsolete()
    assert (obsolete.id, obsolete.string, obsolete.previous_id) == ("old one", "viejo", ["older"])
    assert obsolete.flags == {"fuzzy"} and obsolete.user_comments == ["gone"]


@pytest.mark.parametrize(
    ("body", "body_line", "message"),
    [
        ('# a comment\n"a string alone"\n', 2, "a string outside msgctxt, msgid and msgstr"),
        ('# note\nmsgid_plural "as"\nmsgstr[0] "b"\n', 2, "msgid_plural without a msgid"),
        ('msgid "a"\nmsgstr "b"\n"c\\q"\n', 3, "invalid escape sequence"),
        ('#~ msgid "a"\n#~ msgstr "b"\n#~ "c\n', 3, "unterminated string"),
    ],
)
def test_more_errors_name_their_line(body: str, body_line: int, message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_po(po_text(body).encode(), "t.po")
    assert (caught.value.line, message in caught.value.message) == (HEADER_LINES + body_line, True)

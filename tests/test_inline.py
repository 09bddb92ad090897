"""Inline rendering: the shortcut for segments without markup agrees with the parser."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual_pub.markdown import inline_parser
from bilingual_pub.render.inline import MARKUP_CHARACTERS, is_plain, plain_text, render_inline

# every ASCII character the shortcut may see, and some beyond ASCII
WORDS_ALPHABET = (
    "".join(ch for ch in string.printable if ch not in MARKUP_CHARACTERS)
    + "\u00a0\u2003\u00e9\u00f1\u00bf\u00a1\u201c\u201d\u2014\u0301\ufeff\U0001f600"
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=WORDS_ALPHABET, max_size=60), st.booleans())
def test_plain_text_parses_to_one_text_token_of_itself(text: str, raw_html: bool) -> None:
    """What the shortcut assumes: words only parse to their own text, unchanged."""
    assert is_plain(text)
    tokens = inline_parser(raw_html=raw_html).parseInline(text)
    children = tokens[0].children or [] if tokens else []
    if text:
        assert [(token.type, token.content) for token in children] == [("text", text)]
    else:
        assert children == []


def test_every_markup_character_defeats_the_shortcut() -> None:
    for character in MARKUP_CHARACTERS:
        assert not is_plain(f"a {character} b")


def test_shortcut_output() -> None:
    assert render_inline("Tom & Jerry") == "Tom &amp; Jerry"  # & is markup: parsed
    assert render_inline("1 < 2 > 0") == "1 &lt; 2 &gt; 0"
    assert render_inline('He said "yes" (50% off) #1 - ok') == 'He said "yes" (50% off) #1 - ok'
    assert plain_text("  spaced words ") == "spaced words"
    assert render_inline("**bold** [^1]", footnote=lambda label: f"<sup>{label}</sup>") == (
        "<strong>bold</strong> <sup>1</sup>"
    )

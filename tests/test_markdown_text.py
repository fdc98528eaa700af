"""md_text: every shopper- or Stripe-supplied text is shown literally by Streamlit Markdown."""
import re
import string

from hypothesis import given
from hypothesis import strategies as st

from tests.markdown_corpus import HOSTILE
from ui.markdown_text import WORD_JOINER, md_text

PUNCTUATION = set(string.punctuation)
# Streamlit's frontend loads its emoji plugin when the Markdown source matches this (its own
# test, read from streamlit/static), then replaces shortcodes in the parsed text.
EMOJI_GATE = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:")
SHORTCODE_IN_TEXT = re.compile(r":[\w+-]+:")
# GFM's bare links, which remark finds in the parsed text (escapes already resolved).
BARE_LINK_IN_TEXT = re.compile(r"https?://|www\.|[-.+\w]+@[-\w]+\.", re.IGNORECASE)


def resolved(markdown: str) -> str:
    """The text a CommonMark parser keeps from markdown made only of literals and escapes;
    fails if any markup character is left unescaped."""
    out, i = [], 0
    while i < len(markdown):
        ch = markdown[i]
        if ch == "\\":
            assert i + 1 < len(markdown) and markdown[i + 1] in PUNCTUATION, markdown
            out.append(markdown[i + 1])
            i += 2
            continue
        assert ch not in PUNCTUATION, f"unescaped {ch!r} in {markdown!r}"
        assert ch != "\n", markdown
        out.append(ch)
        i += 1
    return "".join(out)


def test_every_markup_character_of_the_hostile_corpus_is_escaped():
    for text in HOSTILE:
        shown = md_text(text)
        literal = resolved(shown)
        assert literal.replace(WORD_JOINER, "") == " ".join(
            "".join(c for c in text if c not in "\u202e\u202c\u200b").split())


def test_no_emoji_shortcode_or_bare_link_survives_parsing():
    for text in HOSTILE:
        shown = md_text(text)
        assert not EMOJI_GATE.search(shown), shown
        assert not SHORTCODE_IN_TEXT.search(resolved(shown)), shown
        assert not BARE_LINK_IN_TEXT.search(resolved(shown)), shown


def test_links_images_html_math_and_directives_are_gone():
    shown = md_text("[a](https://evil.example) ![i](x.png) <b> $m$ :red[r] :material/home:")
    for markup in ("](", "![", " <b", "$m$", ":red[", ":material/"):
        assert markup not in shown


def test_line_breaks_and_invisible_controls_are_not_kept():
    assert md_text("Ann\n# Lee\u202e") == "Ann \\# Lee"


def test_plain_names_and_non_ascii_are_unchanged():
    assert md_text("José Müller 山田") == "José Müller 山田"
    assert md_text(42) == "42"


@given(st.text(max_size=80))
def test_any_text_is_escaped_and_read_back(text):
    shown = md_text(text)
    literal = resolved(shown)
    assert not SHORTCODE_IN_TEXT.search(literal)
    assert not BARE_LINK_IN_TEXT.search(literal)
    assert len(literal.replace(WORD_JOINER, "")) <= len(text)

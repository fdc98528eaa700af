"""Text that a shopper or Stripe supplied, made safe to place inside Streamlit Markdown."""
from __future__ import annotations

import re
import unicodedata

from lib.config.redaction import redact_paths

# Every ASCII punctuation character CommonMark lets a backslash escape. Escaping all of them
# (not a hand-picked few) turns links, images, HTML, emphasis, tables, headings, lists,
# autolinks, `$...$` math and Streamlit's `:color[...]` / `:material/...:` directives into
# literal characters, whatever new syntax builds on them later.
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Two rewrites work on the parsed text, after escapes are resolved, so escaping alone does not
# stop them: emoji shortcodes (`:smile:`) and GFM's bare links (`https://...`, `www.x.y`,
# `a@b.c`). An invisible WORD JOINER after the colon, after the @ and inside `www.` breaks
# each pattern and shows nothing.
WORD_JOINER = "\u2060"
_PATTERN_STARTS = re.compile(r"(\\:)(?=\\?[\w+/-])|(\\@)|(?i:(www)(?=\\\.))")


def _printable(ch: str) -> bool:
    """False for control and formatting characters (bidi overrides, zero-width marks)."""
    return unicodedata.category(ch) not in ("Cc", "Cf")


def md_text(value: object) -> str:
    """value as Markdown that Streamlit shows literally: one line, every markup char escaped."""
    # A line break is structure in Markdown (a new paragraph, a heading, a list), not data.
    text = " ".join("".join(ch for ch in str(value) if _printable(ch) or ch.isspace()).split())
    escaped = "".join("\\" + ch if ch in _ESCAPABLE else ch for ch in text)
    return _PATTERN_STARTS.sub(lambda match: match.group(0) + WORD_JOINER, escaped)


def problem_text(exc: object) -> str:
    """An error's message as Markdown any visitor may see: every absolute file path cut to its
    last part (lib.config.redaction), then shown literally like other supplied text."""
    return md_text(redact_paths(str(exc)))

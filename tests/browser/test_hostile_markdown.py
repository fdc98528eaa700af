"""md_text in a real browser: Streamlit's own Markdown renderer shows each hostile text as
exactly its characters, with no link, image, HTML, math, colour, icon or emoji."""
from __future__ import annotations

import unicodedata

import pytest

from harness.processes import free_port, python_module, start
from tests.browser.processes import STREAMLIT_FLAGS
from tests.markdown_corpus import HOSTILE
from ui.markdown_text import WORD_JOINER

# Anything Markdown could have made of the text: links, images, raw HTML, KaTeX, Streamlit's
# coloured spans, badges and material icons, and block structure.
MARKUP = ("a, img, script, .katex, [data-testid='stIconMaterial'], span[class*='stMarkdown'], "
          "h1, h2, h3, h4, ul, ol, blockquote, table, code, strong, em, del, hr")


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    """Streamlit serving the hostile-text page on a free port; stopped by PID after."""
    logs = tmp_path_factory.mktemp("hostile")
    port = free_port()
    server = start("hostile_markdown", python_module(
        "streamlit", "run", "tests/browser/hostile_markdown_app.py", "--server.headless", "true",
        "--server.port", str(port), "--browser.gatherUsageStats", "false", *STREAMLIT_FLAGS),
        {}, logs, "/_stcore/health", port, timeout=60)
    yield server
    server.stop()


def expected(text: str) -> str:
    """What the shopper should see: the text itself, on one line, without invisible controls."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(visible.split())


def rendered(page, key: str) -> dict:
    """The text and the markup elements inside one keyed container."""
    box = page.locator(f".st-key-{key}")
    box.wait_for()
    return box.evaluate(
        "(el, markup) => ({text: el.innerText, markup: [...el.querySelectorAll(markup)]"
        ".map(e => e.outerHTML.slice(0, 80))})", MARKUP)


def test_streamlit_renders_every_escaped_hostile_text_literally(hostile_page, context):
    page = context.new_page()
    page.goto(hostile_page.url)
    # The control, drawn last, shows a link, an image, a coloured span and an emoji once the
    # page and Streamlit's lazily loaded Markdown plugins are in: only then is the check fair.
    page.locator(".st-key-raw_control a").wait_for()
    page.locator(".st-key-raw_control span[class*='stMarkdown']").wait_for()
    control = rendered(page, "raw_control")
    assert "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}" in control["text"], control
    for number, text in enumerate(HOSTILE):
        shown = rendered(page, f"hostile_{number}")
        assert shown["markup"] == [], (text, shown)
        assert shown["text"].replace(WORD_JOINER, "").strip() == expected(text), text

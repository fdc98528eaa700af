"""WCAG AA contrast of what our theme colours: primary buttons and captions, in Chromium."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.shopper import open_app

# Contrast ratio of each element's text colour against a background colour (WCAG 2 formula).
RATIOS_JS = """([selector, background]) => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const over = (fg, bg) => fg.length < 4 ? fg : fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
  return [...document.querySelectorAll(selector)].map(e => {
    const style = getComputedStyle(e);
    const bg = rgb(background || style.backgroundColor).slice(0, 3);
    const fg = over(rgb(style.color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
}"""


def test_primary_buttons_and_captions_meet_wcag_aa(page: Page, storefront):
    """White on the orange buttons and the faded captions, on the main area and the sidebar."""
    open_app(page, storefront.url)
    expect(page.locator("[data-testid=stMain] img")).to_have_count(12)
    # The pictures can show before the buttons, whose script the browser loads on its own.
    expect(page.locator("[data-testid=stBaseButton-primary]")).to_have_count(12)
    buttons = page.evaluate(RATIOS_JS, ["[data-testid=stBaseButton-primary]", None])
    main = page.evaluate(RATIOS_JS, ["[data-testid=stMain] [data-testid=stCaptionContainer]",
                                     "rgb(255, 255, 255)"])
    side = page.locator("[data-testid=stSidebar]").evaluate(
        "e => getComputedStyle(e).backgroundColor")
    aside = page.evaluate(RATIOS_JS, ["[data-testid=stSidebar] [data-testid=stCaptionContainer]",
                                      side])
    assert len(buttons) == 12 and min(buttons) >= 4.5, buttons
    assert main and min(main) >= 4.5, main
    assert "0, 0, 0, 0" not in side, side  # a transparent box would compare with black
    assert aside and min(aside) >= 4.5, (side, aside)

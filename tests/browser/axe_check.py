"""axe-core over a page in Chromium (bundled by axe-playwright-python, so it runs offline): the
serious and critical violations, one line per element, and the known ones that come from
Streamlit itself, each with its upstream issue."""
from __future__ import annotations

import json
from dataclasses import dataclass

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Page, expect

from lib.config.settings import ROOT

RESULTS = ROOT / "test-artifacts" / "axe"
SEVERE = ("serious", "critical")


@dataclass(frozen=True)
class Violation:
    """One element failing one axe rule."""

    rule: str
    impact: str
    target: str
    html: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) {self.target}: {self.html[:160]}"


@dataclass(frozen=True)
class Allowed:
    """A violation we do not render ourselves: an element inside Streamlit's own markup (the CSS
    selector `inside`), failing one rule, on these pages."""

    rule: str
    inside: str
    pages: tuple[str, ...]
    issue: str  # the upstream issue at github.com/streamlit/streamlit
    why: str

    def matches(self, page: Page, name: str, violation: Violation) -> bool:
        """Whether this allowance covers that violation on the page audited under that name."""
        if name not in self.pages or violation.rule != self.rule:
            return False
        return page.evaluate("([target, inside]) => !!document.querySelector(target)"
                             "?.closest(inside)", [violation.target, self.inside])


def settle(page: Page, toasts_gone: bool = True) -> None:
    """Wait until a Streamlit page has drawn: no placeholder left, no script running, no element
    dimmed as stale by a rerun, images loaded, and (toasts_gone) no toast left from an earlier
    click, so a toast is audited where it is meant to be, once."""
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    # A rerun fades the elements it has not drawn again yet; axe reads the faded text as low
    # contrast (seen when a busy machine made a rerun slow).
    expect(page.locator('[data-stale="true"]')).to_have_count(0)
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    if toasts_gone:
        expect(page.get_by_test_id("stToast")).to_have_count(0)


def severe_violations(page: Page, name: str) -> list[Violation]:
    """Run axe-core over the whole page; its serious and critical violations, each element once,
    and the full answer saved as test-artifacts/axe/<name>.json."""
    # Streamlit's pages share one document, so axe-core (572 KB) goes in once per page load.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    answer = page.evaluate("() => axe.run({resultTypes: ['violations']})")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(answer["violations"], indent=1))
    return [Violation(rule["id"], rule["impact"], " ".join(map(str, node["target"])),
                      node["html"])
            for rule in answer["violations"] if rule["impact"] in SEVERE
            for node in rule["nodes"]]

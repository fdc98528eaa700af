"""Browser-test fixtures: Debian's Chromium for pytest-playwright, running Storefronts (one per
process, and one per module for tests that count every order), offline browser contexts at
1280x800, a test that fails when a page asks for a host off this machine, and a screenshot of
every open page when a test fails."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from harness.chromium import CHROMIUM, LAUNCH_ARGS
from tests.browser.processes import Storefront, launch_storefront
from tests.browser.screen import OUTSIDE_REQUESTS, VIEWPORT, offline, save_screenshot

# Streamlit reruns on a busy machine (other workers, other people's jobs) can take many
# seconds; waits are on visible text, so a generous deadline costs nothing when all is well.
expect.set_options(timeout=60_000)


def pytest_collection_modifyitems(items):
    """Mark every test in this folder as a browser test."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            # pytest-playwright's own base_url fixture warns under pytest 9; not ours to fix.
            item.add_marker(pytest.mark.filterwarnings(
                "ignore:Session-scoped fixtures defined as instance methods"))


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Launch Debian's Chromium headless and quiet, resolving no host but this machine's; never
    a Playwright download."""
    if not Path(CHROMIUM).exists():
        message = (f"{CHROMIUM} is missing: `python run.py test` installs Debian's chromium "
                   "(or run `sudo apt-get install chromium`)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {"executable_path": CHROMIUM, "headless": True, "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Every context gets a 1280x800 window, the size a workshop laptop shows."""
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture
def context(new_context) -> BrowserContext:
    """pytest-playwright's context, kept off the internet."""
    return offline(new_context())


def running_storefront(tmp_path_factory):
    """Sandbox, webhook sidecar and Streamlit, started as `python run.py` does, with a throwaway
    DATA_DIR; stopped by PID after."""
    base = tmp_path_factory.mktemp("storefront")
    shop = launch_storefront(base, base / "data")
    yield shop
    shop.stop()


@pytest.fixture(scope="session")
def storefront(tmp_path_factory):
    """One running Storefront for every test of this process that shops under an email of its
    own: a start is three processes and a first script run."""
    yield from running_storefront(tmp_path_factory)


@pytest.fixture(scope="module")
def own_storefront(tmp_path_factory):
    """A running Storefront for one test module, for tests that count every order in the
    store (the sales dashboard, the last purchase)."""
    yield from running_storefront(tmp_path_factory)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a browser test whose pages asked for a host off this machine: nothing there can
    answer, and a page that needs it is broken offline (a font from a CDN, a tracker)."""
    OUTSIDE_REQUESTS.clear()
    result = yield
    assert OUTSIDE_REQUESTS == [], f"requests for hosts off this machine: {OUTSIDE_REQUESTS}"
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, keep a screenshot of each page it had open and show the
    processes' logs."""
    report = yield
    funcargs = getattr(item, "funcargs", {})
    if report.failed and report.when == "call":
        for shop in (v for v in funcargs.values() if isinstance(v, Storefront)):
            report.sections.append(("process logs", shop.logs()))
    browser = funcargs.get("browser")
    if report.failed and report.when == "call" and browser is not None:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name)
        pages = [page for ctx in browser.contexts for page in ctx.pages]
        for number, page in enumerate(pages, 1):
            try:
                path = save_screenshot(page, f"failed-{name}-{number}", settle=False)
                report.sections.append(("screenshot", str(path)))
            except Exception as exc:  # noqa: BLE001 - a closed page must not hide the failure
                report.sections.append(("screenshot", f"page {number}: {exc}"))
    return report

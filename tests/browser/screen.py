"""The browser window of the tests: its size, no requests off this machine, and screenshots
saved to test-artifacts/screenshots/."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, expect

from lib.settings import ROOT

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def offline(context: BrowserContext) -> BrowserContext:
    """Abort requests to any host but this machine, so no page waits on a CDN; give actions
    20 s, since a Streamlit rerun on a busy 2-core machine can take several."""
    def route(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    context.set_default_timeout(20_000)
    return context


def save_screenshot(page: Page, name: str, settle: bool = True) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png, once no Streamlit
    placeholder is left and every image has loaded (settle=False: as it is, for failures)."""
    if settle:
        expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        page.mouse.move(VIEWPORT["width"] - 10, VIEWPORT["height"] - 10)  # no hover effects
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def origins_seen(page: Page) -> set[str]:
    """Record the origin of every request and WebSocket the browser makes to this machine from
    now on (the offline context aborts anything else, such as a font from the internet)."""
    seen: set[str] = set()

    def note(url: str) -> None:
        parts = urlsplit(url)
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
        if scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS:
            seen.add(f"{scheme}://{parts.netloc}")

    page.context.on("request", lambda request: note(request.url))
    page.context.on("page", lambda new: new.on("websocket", lambda ws: note(ws.url)))
    page.on("websocket", lambda ws: note(ws.url))
    return seen

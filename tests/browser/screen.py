"""The browser window of the tests: its size, a record of any request off this machine,
screenshots saved to test-artifacts/screenshots/, and the README's pictures saved to
docs/pictures/."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from harness.chromium import LOCAL_HOSTS, leaves_machine
from lib.config.settings import ROOT

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PICTURES = ROOT / "docs" / "pictures"
VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The requests off this machine that are let fail quietly, each with what offline loses.
LET_FAIL = (
    # Streamlit's favicon for a `:material/...:` page_icon: the tab shows no icon.
    "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/",
    # Pico CSS on oidc-provider-mock's pages (the test's identity provider): they are unstyled.
    "https://cdn.jsdelivr.net/npm/@picocss/pico@2/",
)
# The URLs off this machine that the running test's pages asked for (Chromium's launch flags
# fail each at once); the browser tests' conftest empties it before a test and fails the test
# when it is not empty after.
OUTSIDE_REQUESTS: list[str] = []


def offline(context: BrowserContext) -> BrowserContext:
    """Note in OUTSIDE_REQUESTS every request the context makes to a host off this machine (but
    those in LET_FAIL); give actions 60 s, since a Streamlit rerun on a busy machine can take many
    seconds."""
    def note(url: str) -> None:
        if leaves_machine(url) and not url.startswith(LET_FAIL):
            OUTSIDE_REQUESTS.append(url)

    context.on("request", lambda request: note(request.url))
    context.set_default_timeout(60_000)
    return context


def wait_settled(page: Page) -> None:
    """Wait until no Streamlit placeholder is left and every image has loaded, and move the
    mouse to a corner (no hover effects)."""
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    size = page.viewport_size or VIEWPORT
    page.mouse.move(size["width"] - 10, size["height"] - 10)


def save_screenshot(page: Page, name: str, settle: bool = True) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png, once the page has
    settled (settle=False: as it is, for failures)."""
    if settle:
        wait_settled(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def origins_seen(page: Page) -> set[str]:
    """Record the origin of every request and WebSocket the browser makes to this machine from
    now on (Chromium cannot resolve any other host, and the offline context notes any request
    for one)."""
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


def save_picture(page: Page, name: str) -> Path:
    """Save what the window shows, once settled, as docs/pictures/<name>.png for the README:
    the visible part only, reduced to 256 colours with Pillow (which Streamlit brings): about
    40% of the bytes, the same look for a page of flat colours."""
    wait_settled(page)
    PICTURES.mkdir(parents=True, exist_ok=True)
    path = PICTURES / f"{name}.png"
    page.screenshot(path=path, animations="disabled", caret="hide")
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
    return path

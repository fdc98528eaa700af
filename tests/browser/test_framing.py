"""Another site cannot frame the shop (clickjacking): Chromium refuses to show it in a frame
on a page of another origin, while the shop opened on its own works."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from harness.processes import free_port
from tests.browser.shopper import open_app


@pytest.fixture
def other_site(storefront):
    """A page on another origin (another port of 127.0.0.1) that frames the shop."""
    html = (f'<h1>Win a prize</h1><iframe id="shop" src="{storefront.url}/" '
            'width="800" height="600"></iframe>').encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_another_site_cannot_frame_the_shop(page: Page, storefront, other_site):
    # goto waits for the page's load event, which waits for its frame's navigation to end.
    page.goto(other_site, wait_until="load")
    expect(page.get_by_role("heading", name="Win a prize")).to_be_visible()
    framed = [f.url for f in page.frames if f != page.main_frame]
    # Chromium puts its own error page where a refused frame would be.
    assert framed == ["chrome-error://chromewebdata/"], framed
    expect(page.frame_locator("#shop").get_by_role("heading", name="Shop")).to_have_count(0)
    open_app(page, storefront.url)  # on its own origin the shop opens as ever

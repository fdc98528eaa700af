"""The shop served as run.py serves it (`streamlit run app_server.py`) cannot be framed by
another site: every response carries frame-ancestors 'self' and X-Frame-Options."""
import pytest
import requests

from devtools.demo import streamlit_command
from harness.processes import free_port, start
from lib.config.settings import build_settings
from ui.response_headers import FRAME_HEADERS


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """The Streamlit process alone, started with run.py's own command line."""
    base = tmp_path_factory.mktemp("headers")
    port = free_port()
    env = {"DATA_DIR": str(base / "data"), "APP_PORT": str(port),
           "APP_URL": f"http://127.0.0.1:{port}", "STRIPE_SECRET_KEY": ""}
    server = start(f"streamlit_{port}", streamlit_command(build_settings(env)), env, base,
                   "/_stcore/health", port, timeout=60)
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["/", "/basket", "/_stcore/health",
                                  "/app/static/storefront.css"])
def test_every_response_forbids_other_sites_frames(shop, path):
    response = requests.get(shop.url + path, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_headers_are_the_ones_the_middleware_adds():
    assert dict(FRAME_HEADERS) == {b"content-security-policy": b"frame-ancestors 'self'",
                                   b"x-frame-options": b"SAMEORIGIN"}

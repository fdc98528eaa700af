"""Debian's headless Chromium as the tests and the benchmarks launch it: kept on this machine by
its own host resolver, with no request handler in between."""
from __future__ import annotations

from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"  # Debian's; never a Playwright download
LOCAL_HOSTS = ("127.0.0.1", "localhost")
# Every host name but the loopback ones fails to resolve inside Chromium, so a font from a CDN
# fails at once instead of waiting on a network this machine does not have. A Playwright route
# handler would do the same from Python, one round trip per request, and under Playwright it
# also turns Chromium's HTTP cache off: every page load would fetch Streamlit's bundles again.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
               "--host-resolver-rules=MAP * ~NOTFOUND, "
               + ", ".join(f"EXCLUDE {host}" for host in LOCAL_HOSTS)]


def leaves_machine(url: str) -> bool:
    """Whether a browser request to url is for a host other than this machine's loopback
    names (data:, blob: and about: URLs go nowhere)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS

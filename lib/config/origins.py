"""Which address a shopper uses: the origins the app knows, and where Stripe sends them back."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_origin(url: str) -> str | None:
    """scheme://host[:port] of an http(s) URL, lower-cased, default port dropped; None if it
    is not one (a path, a user name or an odd port makes it no origin of ours)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host or parts.username or parts.password:
        return None
    if ":" in host:  # an IPv6 literal keeps its brackets in an origin
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def known_origins(app_url: str, app_port: int, public_urls: Iterable[str] = ()) -> list[str]:
    """Every origin a shopper may reach this app at: APP_URL (and its other loopback name),
    both loopback names of the port the app listens on, and the configured public URLs."""
    found: list[str] = []

    def add(url: str) -> None:
        origin = normalise_origin(url)
        if origin and origin not in found:
            found.append(origin)

    add(app_url)
    parts = urlsplit(app_url)
    if (parts.hostname or "").lower() in ("localhost", "127.0.0.1", "::1"):
        # localhost and 127.0.0.1 are one machine but two cookie jars: know both.
        for name in LOOPBACK_NAMES:
            add(f"{parts.scheme}://{name}:{parts.port or DEFAULT_PORTS.get(parts.scheme, 80)}")
    for name in LOOPBACK_NAMES:
        add(f"http://{name}:{app_port}")
    for url in public_urls:
        add(url)
    return found


def request_origin(headers: Mapping[str, str]) -> str | None:
    """The origin the browser says it is on: its Origin header, else the (forwarded) host and
    scheme; None when the headers name none."""
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    origin = lowered.get("origin", "")
    if origin and origin != "null":
        return normalise_origin(origin)
    # A proxy may list several hops ("a, b"); the first is the one the browser spoke to.
    host = lowered.get("x-forwarded-host") or lowered.get("host", "")
    host = host.split(",")[0].strip()
    if not host:
        return None
    scheme = (lowered.get("x-forwarded-proto") or "http").split(",")[0].strip()
    return normalise_origin(f"{scheme}://{host}")


def return_origin(app_url: str, known: Iterable[str], headers: Mapping[str, str]) -> str:
    """Where Stripe should send this shopper back: the origin they are using when the app
    knows it, else APP_URL (so a forged Host header never sends anyone to another site)."""
    origin = request_origin(headers)
    app_url = app_url.rstrip("/")
    if origin is None or origin not in set(known):
        return app_url
    # An app served under a path (a proxy's /shop) is under that path at each of its origins.
    return origin + urlsplit(app_url).path.rstrip("/")

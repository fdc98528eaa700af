"""GitHub Codespaces: the forwarded https addresses of the app and the sandbox's hosted page."""
from __future__ import annotations

from collections.abc import Mapping

# Documented by GitHub ("Default environment variables for your codespace").
NAME = "CODESPACE_NAME"
DOMAIN = "GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN"


def forwarded_url(values: Mapping[str, str], port: int) -> str:
    """https://{codespace}-{port}.{domain}, the address a codespace forwards a port to; '' when
    this is not a codespace."""
    name, domain = values.get(NAME, "").strip(), values.get(DOMAIN, "").strip().strip(".")
    if not name or not domain:
        return ""
    return f"https://{name}-{port}.{domain}"


def codespace_defaults(values: Mapping[str, str], app_port: int,
                       sandbox_port: int) -> dict[str, str]:
    """APP_URL and SANDBOX_PUBLIC_URL for a codespace, for those not set explicitly ({} outside
    one), so a purchase comes back through the forwarding with no settings at all."""
    defaults = {}
    app, sandbox = forwarded_url(values, app_port), forwarded_url(values, sandbox_port)
    if app and not values.get("APP_URL"):
        defaults["APP_URL"] = app
    if sandbox and not values.get("SANDBOX_PUBLIC_URL"):
        defaults["SANDBOX_PUBLIC_URL"] = sandbox
    return defaults

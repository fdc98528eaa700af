"""What this browser session's request says about where the shopper is (Streamlit-only)."""
from __future__ import annotations

import streamlit as st

from lib.config.origins import return_origin
from lib.config.settings import Settings


def request_headers() -> dict[str, str]:
    """The headers of the request that opened this session ({} where there are none, as in
    AppTest)."""
    try:
        return dict(st.context.headers.to_dict())
    except Exception:  # noqa: BLE001 - AppTest and some hosts give no request context
        return {}


def shopper_return_origin(settings: Settings) -> str:
    """Where Stripe should send this shopper back: the address they are using when the app
    knows it, else APP_URL."""
    return return_origin(settings.app_url, settings.known_origins, request_headers())

"""The shopper cookie in the browser: read what it sent, ask it to keep a new value."""
from __future__ import annotations

import streamlit as st

from lib.shoppers import identity


def read_cookie_shopper(cookie_key: bytes, sign_outs) -> identity.Shopper | None:
    """The shopper named by a valid signed cookie the browser sent, not revoked by a sign-out."""
    try:
        token = st.context.cookies.get(identity.COOKIE_NAME)
    except Exception:  # noqa: BLE001 - AppTest and some hosts give no cookie context
        token = None
    return identity.cookie_shopper(token, cookie_key, sign_outs)


def write_cookie(shopper: identity.Shopper, cookie_key: bytes, app_url: str,
                 generation: int = 0) -> None:
    """Ask the browser to keep the shopper cookie, so a new tab or a refresh finds the shopper
    (Secure when APP_URL is https)."""
    token = identity.make_token(shopper, cookie_key, generation)
    st.html(
        "<script>document.cookie = "
        f"'{identity.COOKIE_NAME}={token}; {identity.cookie_attributes(app_url)}';</script>",
        unsafe_allow_javascript=True,
    )

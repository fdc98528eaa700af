"""Per-run context for pages: settings and services built once, and who is shopping."""
from __future__ import annotations

import json
import os

import streamlit as st

from lib import identity
from lib.basket import merge_lines
from lib.services import Services, build_services
from lib.settings import Settings, load_settings


def secrets_dict() -> dict:
    """st.secrets as a plain dict ({} when there is no secrets file)."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except (FileNotFoundError, KeyError, st.errors.StreamlitAPIException):
        return {}
    except Exception:  # noqa: BLE001 - a malformed secrets.toml must not take the shop down
        return {}


def settings() -> Settings:
    """Settings from the environment, .env files and secrets (raises SettingsError)."""
    return load_settings(os.environ, secrets_dict())


@st.cache_resource(show_spinner=False)
def _services(_settings: Settings, fingerprint: str) -> Services:
    # The fingerprint keys the cache, so changed settings (or a test's DATA_DIR) build anew.
    return build_services(_settings)


def services() -> Services:
    """The app's services for the current settings, built once per configuration."""
    current = settings()
    fingerprint = json.dumps(current.sources, sort_keys=True, default=str)
    fingerprint += f"|oidc={current.oidc_configured}"
    return _services(current, fingerprint)


def _write_cookie(token: str) -> None:
    """Ask the browser to keep the shopper cookie, so a new tab or a refresh finds the shopper."""
    st.html(
        "<script>document.cookie = "
        f"'{identity.COOKIE_NAME}={token}; path=/; max-age=2592000; SameSite=Lax';</script>",
        unsafe_allow_javascript=True,
    )


def _cookie_shopper(svc: Services) -> identity.Shopper | None:
    """The shopper named by a valid signed cookie, if the browser sent one."""
    try:
        token = st.context.cookies.get(identity.COOKIE_NAME)
    except Exception:  # noqa: BLE001 - AppTest and some hosts give no cookie context
        token = None
    return identity.read_token(token, svc.cookie_secret)


def current_shopper(svc: Services) -> identity.Shopper:
    """Who is shopping in this session: OIDC user, demo user, or guest (created if needed)."""
    state = st.session_state
    if svc.settings.oidc_configured and getattr(st.user, "is_logged_in", False):
        email = st.user.get("email") or ""
        if email:
            shopper = identity.oidc_shopper(email, st.user.get("name") or "")
            previous = state.get("shopper")
            if previous is None or previous.key != shopper.key:
                guest = previous if previous and not previous.signed_in else _cookie_shopper(svc)
                if guest is not None and not guest.signed_in:
                    merge_guest_basket(svc, guest, shopper)
                state["shopper"] = shopper
            return shopper
    shopper = state.get("shopper")
    if shopper is not None and not (shopper.kind == "oidc" or
                                    (svc.settings.oidc_configured and shopper.kind == "demo")):
        return shopper
    shopper = _cookie_shopper(svc)
    if shopper is None or (svc.settings.oidc_configured and shopper.signed_in):
        shopper = identity.guest()
    state["shopper"] = shopper
    state["cookie_pending"] = True
    return shopper


def flush_cookie(svc: Services) -> None:
    """Write the shopper cookie once after it changed (called by the frame at the end of a run)."""
    shopper = st.session_state.get("shopper")
    if shopper is not None and st.session_state.pop("cookie_pending", False):
        if shopper.kind in ("guest", "demo"):
            _write_cookie(identity.make_token(shopper, svc.cookie_secret))


def merge_guest_basket(svc: Services, guest: identity.Shopper, user: identity.Shopper) -> None:
    """Move a guest's basket into the signed-in shopper's basket."""
    taken = svc.baskets.take(guest.key)
    if taken.lines:
        svc.baskets.update(user.key, lambda lines: merge_lines(lines, taken.lines, svc.catalog))


def sign_in_demo(svc: Services, name: str, email: str) -> identity.Shopper:
    """Demo sign-in: validate, merge the guest basket, remember the shopper (IdentityError)."""
    if svc.settings.oidc_configured:
        raise identity.IdentityError("Demo sign-in is switched off: this shop uses real sign-in.")
    user = identity.demo_sign_in(name, email)
    guest = st.session_state.get("shopper")
    if guest is not None and not guest.signed_in:
        merge_guest_basket(svc, guest, user)
    st.session_state["shopper"] = user
    st.session_state["cookie_pending"] = True
    return user


def sign_out(svc: Services) -> None:
    """Forget the shopper in this browser; a fresh guest takes over."""
    st.session_state["shopper"] = identity.guest()
    st.session_state["cookie_pending"] = True
    if svc.settings.oidc_configured and getattr(st.user, "is_logged_in", False):
        st.logout()

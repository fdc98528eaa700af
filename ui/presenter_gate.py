"""The presenter pages' gate for one page run: decided from whatever loaded, closed when the
settings did not; what went wrong goes to the terminal, not to the page."""
from __future__ import annotations

import logging
import time

import streamlit as st

from lib.config.redaction import redact_paths
from lib.config.settings import Settings, SettingsError
from lib.services import Services
from lib.shoppers.identity import Shopper, oidc_shopper
from lib.shoppers.presenter_access import CANNOT_DECIDE, local_store, presenter_refusal
from ui import cached_services

LOG = logging.getLogger("storefront.app")
# Each distinct problem is told at most once a minute: every visitor's page run meets it.
REPEAT_SECONDS = 60.0
_told: dict[str, float] = {}


def tell_terminal(text: str, clock=time.monotonic) -> None:
    """Log a problem for whoever runs the app (the terminal or the host's log), once a minute."""
    now = clock()
    if now - _told.get(text, -REPEAT_SECONDS) >= REPEAT_SECONDS:
        _told[text] = now
        LOG.warning("%s", text)


def loaded_settings() -> Settings | None:
    """The settings, or None (the problems told to the terminal) when they do not load."""
    try:
        return cached_services.settings()
    except SettingsError as exc:
        tell_terminal(f"Storefront's settings do not load; fix them and reload:\n{exc}")
        return None


def oidc_user(settings: Settings) -> Shopper | None:
    """The identity provider's signed-in user, read without the app's services."""
    if settings.oidc_configured and getattr(st.user, "is_logged_in", False):
        return oidc_shopper(st.user.get("email") or "", st.user.get("name") or "")
    return None


def refusal(svc: Services | None, shopper: Shopper | None) -> str:
    """"" when this session may open presenter pages, else what the page says. Without
    services the gate decides from the settings and real sign-in alone; without settings it
    stays closed."""
    if svc is not None:
        return presenter_refusal(svc.settings, shopper)
    settings = loaded_settings()
    if settings is None:
        return CANNOT_DECIDE
    return presenter_refusal(settings, oidc_user(settings))


def broken_shop_text(exc: Exception) -> str:
    """What a shop page says when the services cannot be built: the problem itself only where
    presenter pages are open to all (sandbox mode, local store), else a pointer to the terminal."""
    tell_terminal(f"Storefront cannot start with this configuration:\n{exc}")
    settings = None if isinstance(exc, SettingsError) else loaded_settings()
    if settings is not None and settings.stripe_mode == "sandbox" and local_store(settings):
        return f"Storefront cannot start with this configuration:\n\n{redact_paths(str(exc))}"
    return ("The shop cannot open right now. Its presenter finds why in the terminal running "
            "the app, or with `python run.py check`.")

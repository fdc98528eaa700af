"""Who is shopping in this Streamlit session: reads st.user, the cookie and session state, and
carries out what lib.shopper_decision decides."""
from __future__ import annotations

import streamlit as st

from lib import identity
from lib.basket import merge_guest_basket
from lib.services import Services
from lib.shopper_decision import (
    ShopperDecision,
    decide_demo_sign_in,
    decide_shopper,
    decide_sign_out,
)
from lib.sign_in_policy import demo_sign_in
from ui.shopper_cookie import read_cookie_shopper, write_cookie


def _oidc_identity(svc: Services) -> tuple[str, str]:
    """(email, name) of the OIDC user Streamlit has logged in, or ("", "")."""
    if not (svc.settings.oidc_configured and getattr(st.user, "is_logged_in", False)):
        return "", ""
    return st.user.get("email") or "", st.user.get("name") or ""


def _apply(svc: Services, decision: ShopperDecision) -> identity.Shopper:
    """Carry out a decision: merge the guest basket, remember the shopper, mark the cookie."""
    if decision.merge_from is not None:
        merge_guest_basket(svc.baskets, svc.catalog, decision.merge_from.key,
                           decision.shopper.key)
    if decision.remember:
        st.session_state["shopper"] = decision.shopper
    if decision.write_cookie:
        st.session_state["cookie_pending"] = True
    return decision.shopper


def current_shopper(svc: Services) -> identity.Shopper:
    """Who is shopping in this session: OIDC user, demo user, or guest (created if needed)."""
    email, name = _oidc_identity(svc)
    decision = decide_shopper(st.session_state.get("shopper"), email, name,
                              read_cookie_shopper(svc.cookie_secret),
                              svc.settings.oidc_configured,
                              demo_allowed=demo_sign_in(svc.settings).allowed)
    return _apply(svc, decision)


def flush_cookie(svc: Services) -> None:
    """Write the shopper cookie once after it changed (called by the frame at the end of a run)."""
    shopper = st.session_state.get("shopper")
    if shopper is not None and st.session_state.pop("cookie_pending", False):
        if shopper.kind in ("guest", "demo"):
            write_cookie(shopper, svc.cookie_secret, svc.settings.app_url)


def sign_in_demo(svc: Services, name: str, email: str) -> identity.Shopper:
    """Demo sign-in: validate, merge the guest basket, remember the shopper (IdentityError)."""
    decision = decide_demo_sign_in(st.session_state.get("shopper"), name, email,
                                   svc.settings.oidc_configured,
                                   demo_sign_in(svc.settings).refusal)
    return _apply(svc, decision)


def sign_out(svc: Services) -> None:
    """Forget the shopper in this browser; a fresh guest takes over."""
    _apply(svc, decide_sign_out())
    if svc.settings.oidc_configured and getattr(st.user, "is_logged_in", False):
        st.logout()

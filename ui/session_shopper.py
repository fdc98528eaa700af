"""Who is shopping in this Streamlit session: reads st.user, the cookie and session state, and
carries out what lib.shoppers.decision decides."""
from __future__ import annotations

import streamlit as st

from lib.services import Services
from lib.shop.basket import merge_lines
from lib.shop.catalog import Catalog
from lib.shoppers import identity
from lib.shoppers.decision import (
    ShopperDecision,
    decide_demo_sign_in,
    decide_shopper,
    decide_sign_out,
)
from lib.shoppers.sign_in_policy import demo_sign_in
from lib.stores.baskets import BasketStore
from ui.shopper_cookie import read_cookie_shopper, write_cookie


def _oidc_identity(svc: Services) -> tuple[str, str]:
    """(email, name) of the OIDC user Streamlit has logged in, or ("", "")."""
    if not (svc.settings.oidc_configured and getattr(st.user, "is_logged_in", False)):
        return "", ""
    return st.user.get("email") or "", st.user.get("name") or ""


def merge_guest_basket(baskets: BasketStore, catalog: Catalog, guest_key: str,
                       user_key: str) -> None:
    """Move a guest's basket into a signed-in shopper's basket (the guest's is left empty), in
    one store operation: a failure part-way leaves both baskets as they were."""
    baskets.merge(guest_key, user_key, lambda mine, theirs: merge_lines(mine, theirs, catalog))


def _apply(svc: Services, decision: ShopperDecision) -> identity.Shopper:
    """Carry out a decision: merge the guest basket, remember the shopper, mark the cookie."""
    if decision.merge_from is not None:
        merge_guest_basket(svc.baskets, svc.catalog, decision.merge_from.key,
                           decision.shopper.key)
    if decision.remember:
        st.session_state["shopper"] = decision.shopper
        st.session_state["shopper_generation"] = svc.sign_outs.generation(decision.shopper.key)
    if decision.write_cookie:
        st.session_state["cookie_pending"] = True
    return decision.shopper


def _signed_out_elsewhere(svc: Services, previous: identity.Shopper | None) -> bool:
    """True if this session's demo shopper signed out (in any tab or browser) since this
    session took them on: a session opened with a copied cookie ends with the owner's."""
    if previous is None or previous.kind != identity.ShopperKind.DEMO:
        return False
    current = svc.sign_outs.generation(previous.key)
    return st.session_state.setdefault("shopper_generation", current) != current


def acting_for(svc: Services, shopper: identity.Shopper) -> bool:
    """Whether a widget's callback may still act for this session's shopper: a callback runs
    before the page, so before the page's own sign-out check; False once a demo shopper has
    signed out in another tab or browser (the run that follows then takes on a guest)."""
    return not _signed_out_elsewhere(svc, shopper)


SIGNED_OUT = "You were signed out in another tab or browser, so nothing was changed."


def current_shopper(svc: Services) -> identity.Shopper:
    """Who is shopping in this session: OIDC user, demo user, or guest (created if needed)."""
    email, name = _oidc_identity(svc)
    previous = st.session_state.get("shopper")
    if _signed_out_elsewhere(svc, previous):
        previous = None  # and the cookie, from the same generation, is refused too
    decision = decide_shopper(previous, email, name,
                              read_cookie_shopper(svc.cookie_key, svc.sign_outs),
                              svc.settings.oidc_configured,
                              demo_allowed=demo_sign_in(svc.settings).allowed)
    return _apply(svc, decision)


def flush_cookie(svc: Services) -> None:
    """Write the shopper cookie once after it changed (called by the frame at the end of a run)."""
    shopper = st.session_state.get("shopper")
    if shopper is not None and st.session_state.pop("cookie_pending", False):
        if shopper.kind in (identity.ShopperKind.GUEST, identity.ShopperKind.DEMO):
            write_cookie(shopper, svc.cookie_key, svc.settings.app_url,
                         svc.sign_outs.generation(shopper.key))


def sign_in_demo(svc: Services, name: str, email: str) -> identity.Shopper:
    """Demo sign-in: validate, merge the guest basket, remember the shopper (IdentityError)."""
    decision = decide_demo_sign_in(st.session_state.get("shopper"), name, email,
                                   svc.settings.oidc_configured,
                                   demo_sign_in(svc.settings).refusal)
    return _apply(svc, decision)


def sign_out(svc: Services) -> None:
    """Forget the shopper; a fresh guest takes over this browser, and the shopper's sign-out
    generation moves on, so every cookie and session issued to them before is revoked."""
    shopper = st.session_state.get("shopper")
    if shopper is not None and shopper.kind == identity.ShopperKind.DEMO:
        svc.sign_outs.sign_out(shopper.key)
    _apply(svc, decide_sign_out())
    if svc.settings.oidc_configured and getattr(st.user, "is_logged_in", False):
        st.logout()

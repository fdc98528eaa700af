"""Who is shopping, decided from plain values: previous shopper, OIDC identity, cookie, settings."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lib.shoppers.identity import (
    IdentityError,
    Shopper,
    ShopperKind,
    demo_shopper,
    guest,
    oidc_shopper,
)


@dataclass(frozen=True)
class ShopperDecision:
    """The shopper for this run and what the UI must do about it: remember them in the session,
    merge a guest's basket into theirs, and (re)write the shopper cookie."""

    shopper: Shopper
    remember: bool = False
    merge_from: Shopper | None = None
    write_cookie: bool = False


def _guest_or_none(candidate: Shopper | None) -> Shopper | None:
    """candidate if it is a guest (whose basket may be merged), else None."""
    return candidate if candidate is not None and not candidate.signed_in else None


def decide_shopper(previous: Shopper | None, oidc_email: str, oidc_name: str,
                   cookie_shopper: Shopper | None, oidc_configured: bool,
                   new_guest: Callable[[], Shopper] = guest,
                   demo_allowed: bool | None = None) -> ShopperDecision:
    """Who is shopping in this run. previous: the session's shopper so far; oidc_email and
    oidc_name: what the identity provider vouched for ("" when nobody is logged in);
    cookie_shopper: the guest or demo shopper a valid signed cookie names; demo_allowed: whether
    the demo sign-in is on (lib.shoppers.sign_in_policy; by default, whenever OIDC is not configured)."""
    if demo_allowed is None:
        demo_allowed = not oidc_configured
    if oidc_configured and oidc_email:
        shopper = oidc_shopper(oidc_email, oidc_name)
        if previous is not None and previous.key == shopper.key:
            return ShopperDecision(shopper)
        # Just signed in: the guest basket of this session (or of the cookie's guest) comes along.
        merge_from = _guest_or_none(previous) or _guest_or_none(cookie_shopper)
        return ShopperDecision(shopper, remember=True, merge_from=merge_from)
    # OIDC shoppers exist only while the provider says so; demo shoppers only while the demo
    # sign-in is on (a session or cookie from before real keys were set is a guest now).
    if previous is not None and not (previous.kind == ShopperKind.OIDC
                                     or (not demo_allowed and previous.kind == ShopperKind.DEMO)):
        return ShopperDecision(previous)
    shopper = cookie_shopper
    if shopper is None or (oidc_configured and shopper.signed_in) or (
            not demo_allowed and shopper.kind == ShopperKind.DEMO):
        shopper = new_guest()
    return ShopperDecision(shopper, remember=True, write_cookie=True)


def decide_demo_sign_in(previous: Shopper | None, name: str, email: str,
                        oidc_configured: bool, refusal: str = "") -> ShopperDecision:
    """The demo sign-in form's result, or IdentityError (refused, or a bad name or email);
    refusal: why the demo sign-in is off for these settings ("" when it is on)."""
    if oidc_configured:
        raise IdentityError("Demo sign-in is switched off: this shop uses real sign-in.")
    if refusal:
        raise IdentityError(refusal)
    user = demo_shopper(name, email)
    return ShopperDecision(user, remember=True, merge_from=_guest_or_none(previous),
                           write_cookie=True)


def decide_sign_out(new_guest: Callable[[], Shopper] = guest) -> ShopperDecision:
    """Signing out: a fresh guest takes over this browser, cookie included."""
    return ShopperDecision(new_guest(), remember=True, write_cookie=True)

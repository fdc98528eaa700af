"""decide_shopper and the sign-in/out decisions, one table row per situation a session can be in."""
from __future__ import annotations

import pytest

from lib.shoppers.decision import (
    ShopperDecision,
    decide_demo_sign_in,
    decide_shopper,
    decide_sign_out,
)
from lib.shoppers.identity import IdentityError, demo_shopper, guest, oidc_shopper

TAB_GUEST = guest("tab")          # the guest this session has been so far
COOKIE_GUEST = guest("cookie")    # the guest a signed cookie names (another tab's)
NEW_GUEST = guest("new")          # the guest made when nobody is known
DEMO_ADA = demo_shopper("Ada Lovelace", "ada@example.com")
DEMO_EVE = demo_shopper("Eve", "eve@example.com")
OIDC_ADA = oidc_shopper("Ada@Example.com", "Ada Lovelace")
OIDC_BOB = oidc_shopper("bob@example.com", "Bob")


def new(shopper, merge_from=None, cookie=True):
    """The decision for a shopper this session did not have before."""
    return ShopperDecision(shopper, remember=True, merge_from=merge_from, write_cookie=cookie)


def kept(shopper):
    """The decision that changes nothing."""
    return ShopperDecision(shopper)


# (previous, OIDC email, OIDC name, cookie shopper, OIDC configured) -> decision
ROWS = {
    # Without OIDC: the session's shopper, else the cookie's, else a new guest.
    "first_run_nobody": ((None, "", "", None, False), new(NEW_GUEST)),
    "first_run_cookie_guest": ((None, "", "", COOKIE_GUEST, False), new(COOKIE_GUEST)),
    "first_run_cookie_demo": ((None, "", "", DEMO_ADA, False), new(DEMO_ADA)),
    "guest_kept": ((TAB_GUEST, "", "", COOKIE_GUEST, False), kept(TAB_GUEST)),
    "demo_kept": ((DEMO_ADA, "", "", COOKIE_GUEST, False), kept(DEMO_ADA)),
    "oidc_left_over_goes": ((OIDC_ADA, "", "", DEMO_EVE, False), new(DEMO_EVE)),
    "oidc_left_over_no_cookie": ((OIDC_ADA, "", "", None, False), new(NEW_GUEST)),
    "identity_ignored_unless_configured": ((TAB_GUEST, "ada@example.com", "Ada", None, False),
                                           kept(TAB_GUEST)),
    # With OIDC and a logged-in user: that user; a guest basket comes along once.
    "sign_in_merges_tab_guest": ((TAB_GUEST, "ada@example.com", "Ada Lovelace", COOKIE_GUEST,
                                  True), new(OIDC_ADA, TAB_GUEST, cookie=False)),
    "sign_in_new_tab_merges_cookie_guest": ((None, "ada@example.com", "Ada Lovelace",
                                             COOKIE_GUEST, True),
                                            new(OIDC_ADA, COOKIE_GUEST, cookie=False)),
    "sign_in_nothing_to_merge": ((None, "ada@example.com", "Ada Lovelace", None, True),
                                 new(OIDC_ADA, cookie=False)),
    "sign_in_demo_cookie_not_merged": ((None, "ada@example.com", "Ada Lovelace", DEMO_EVE, True),
                                       new(OIDC_ADA, cookie=False)),
    "same_user_again": ((OIDC_ADA, "ada@example.com", "Ada Lovelace", COOKIE_GUEST, True),
                        kept(OIDC_ADA)),
    # Same key as a demo shopper of this session: nothing to merge, the session keeps its own.
    "same_key_as_demo": ((DEMO_ADA, "ada@example.com", "Ada Lovelace", None, True),
                         kept(OIDC_ADA)),
    "another_user_merges_cookie_guest": ((OIDC_ADA, "bob@example.com", "Bob", COOKIE_GUEST, True),
                                         new(OIDC_BOB, COOKIE_GUEST, cookie=False)),
    "provider_sends_no_name": ((None, "bob@example.com", "", None, True),
                               new(oidc_shopper("bob@example.com", "bob@example.com"),
                                   cookie=False)),
    # With OIDC but nobody logged in: guests only; demo and OIDC shoppers do not survive.
    "configured_guest_kept": ((TAB_GUEST, "", "", None, True), kept(TAB_GUEST)),
    "configured_demo_dropped_for_cookie_guest": ((DEMO_ADA, "", "", COOKIE_GUEST, True),
                                                 new(COOKIE_GUEST)),
    "configured_demo_cookie_ignored": ((None, "", "", DEMO_ADA, True), new(NEW_GUEST)),
    "logged_out_oidc_becomes_guest": ((OIDC_ADA, "", "", None, True), new(NEW_GUEST)),
    "logged_in_without_email_is_not_signed_in": ((TAB_GUEST, "", "Ada", None, True),
                                                 kept(TAB_GUEST)),
}


@pytest.mark.parametrize("given, expected", ROWS.values(), ids=ROWS.keys())
def test_decide_shopper(given, expected):
    previous, email, name, cookie, configured = given
    assert decide_shopper(previous, email, name, cookie, configured,
                          new_guest=lambda: NEW_GUEST) == expected


def test_a_new_guest_is_made_only_when_nobody_is_known():
    made = []

    def make():
        made.append(guest())
        return made[-1]

    assert decide_shopper(TAB_GUEST, "", "", None, False, new_guest=make).shopper == TAB_GUEST
    first = decide_shopper(None, "", "", None, False, new_guest=make).shopper
    assert made == [first] and first.kind == "guest"


# (previous, OIDC configured) -> decision, for the demo form filled with Ada's name and email
SIGN_IN_ROWS = {
    "guest_basket_merged": ((TAB_GUEST, False), new(DEMO_ADA, TAB_GUEST)),
    "first_run": ((None, False), new(DEMO_ADA)),
    "switching_demo_users_merges_nothing": ((DEMO_EVE, False), new(DEMO_ADA)),
}


@pytest.mark.parametrize("given, expected", SIGN_IN_ROWS.values(), ids=SIGN_IN_ROWS.keys())
def test_decide_demo_sign_in(given, expected):
    previous, configured = given
    assert decide_demo_sign_in(previous, "Ada  Lovelace", " ADA@example.com",
                               configured) == expected


def test_demo_sign_in_is_refused_when_oidc_is_configured():
    with pytest.raises(IdentityError, match="switched off"):
        decide_demo_sign_in(TAB_GUEST, "Ada", "ada@example.com", oidc_configured=True)


@pytest.mark.parametrize("name, email, message", [
    ("", "ada@example.com", "Enter your name"),
    ("Ada", "not-an-email", "not a valid email"),
])
def test_a_bad_demo_form_is_refused_with_a_message(name, email, message):
    with pytest.raises(IdentityError, match=message):
        decide_demo_sign_in(TAB_GUEST, name, email, oidc_configured=False)


def test_sign_out_hands_the_browser_to_a_fresh_guest():
    assert decide_sign_out(new_guest=lambda: NEW_GUEST) == new(NEW_GUEST)

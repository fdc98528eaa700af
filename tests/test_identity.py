"""Identity: demo sign-in validation and the signed shopper cookie."""
import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from lib.shoppers.identity import (
    COOKIE_MAX_AGE_SECONDS,
    COOKIE_SALT,
    IdentityError,
    Shopper,
    cookie_attributes,
    demo_shopper,
    guest,
    make_token,
    oidc_shopper,
    read_token,
)

SECRET = b"0" * 64


def test_demo_sign_in_normalises_name_and_email():
    shopper = demo_shopper("  Ada   Lovelace ", " Ada@Example.COM ")
    assert shopper == Shopper("demo", "user:ada@example.com", "ada@example.com", "Ada Lovelace")
    assert shopper.signed_in


@pytest.mark.parametrize("email", ["", "   ", "ada", "ada@", "@example.com", "ada@example",
                                   "ada @example.com", "ada@exa mple.com", "ada@@example.com",
                                   "a" * 250 + "@example.com"])
def test_demo_sign_in_refuses_bad_emails(email):
    with pytest.raises(IdentityError, match="email"):
        demo_shopper("Ada", email)


def test_bad_email_message_quotes_what_was_typed():
    with pytest.raises(IdentityError, match=r"'ada@example' is not a valid email address"):
        demo_shopper("Ada", " ada@example ")
    with pytest.raises(IdentityError, match="Enter your email address"):
        demo_shopper("Ada", None)


@pytest.mark.parametrize("name", ["", "   ", None, "\t\n"])
def test_demo_sign_in_refuses_an_empty_name(name):
    with pytest.raises(IdentityError, match="Enter your name"):
        demo_shopper(name, "ada@example.com")


def test_demo_sign_in_refuses_a_very_long_name():
    with pytest.raises(IdentityError, match="too long"):
        demo_shopper("A" * 81, "ada@example.com")


def test_guests_and_oidc_shoppers():
    one, two = guest(), guest()
    assert one.key.startswith("guest:") and one.key != two.key
    assert not one.signed_in
    assert guest("abc").key == "guest:abc"
    user = oidc_shopper(" Ada@Example.com", "")
    assert user == Shopper("oidc", "user:ada@example.com", "ada@example.com", "ada@example.com")
    # The same person signed in either way shares one basket key.
    assert user.key == demo_shopper("Ada", "ada@example.com").key


@pytest.mark.parametrize("shopper", [guest("g1"), demo_shopper("Ada Ł", "ada@example.com")])
def test_token_round_trip(shopper):
    token = make_token(shopper, SECRET)
    assert read_token(token, SECRET) == shopper


def test_token_signed_with_another_secret_is_rejected():
    token = make_token(demo_shopper("Ada", "ada@example.com"), b"1" * 64)
    assert read_token(token, SECRET) is None


def test_tampered_body_is_rejected():
    token = make_token(demo_shopper("Ada", "ada@example.com"), SECRET)
    _, stamp, sig = token.rsplit(".", 2)
    eve = URLSafeTimedSerializer(b"attacker", salt=COOKIE_SALT).dumps(
        {"k": "demo", "key": "user:eve@example.com", "e": "eve@example.com", "n": "Eve"})
    assert read_token(f"{eve.rsplit('.', 2)[0]}.{stamp}.{sig}", SECRET) is None


def test_tampered_signature_is_rejected():
    token = make_token(guest("g1"), SECRET)
    body, stamp, sig = token.rsplit(".", 2)
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    assert read_token(f"{body}.{stamp}.{flipped}", SECRET) is None
    assert read_token(f"{body}.{stamp}.", SECRET) is None


def test_a_cookie_older_than_its_age_is_refused_by_the_server():
    token = make_token(guest("g1"), SECRET)
    assert read_token(token, SECRET, max_age=3600) == guest("g1")
    time.sleep(1.1)  # itsdangerous stamps whole seconds
    assert read_token(token, SECRET, max_age=0) is None
    assert COOKIE_MAX_AGE_SECONDS == 30 * 24 * 3600


def test_a_value_signed_with_the_same_secret_for_another_purpose_is_refused():
    other = URLSafeTimedSerializer(SECRET, salt="another-purpose").dumps(
        {"k": "demo", "key": "user:ada@example.com", "e": "ada@example.com", "n": "Ada"})
    assert read_token(other, SECRET) is None


def test_the_cookie_is_secure_when_the_shop_is_served_over_https():
    assert "Secure" in cookie_attributes("https://shop.example")
    assert "Secure" not in cookie_attributes("http://localhost:8501")
    assert "SameSite=Lax" in cookie_attributes("https://shop.example")


def test_oidc_shoppers_cannot_be_carried_by_the_cookie():
    # Only the identity provider vouches for OIDC users, never our own cookie.
    token = make_token(oidc_shopper("ada@example.com"), SECRET)
    assert read_token(token, SECRET) is None


@pytest.mark.parametrize("mixed", [
    Shopper("demo", "user:ada@example.com", "bob@example.com", "Bob"),  # Ada's basket, Bob's email
    Shopper("demo", "guest:g1", "bob@example.com", "Bob"),  # a guest's basket under an email
    Shopper("demo", "user:Ada@Example.com", "Ada@Example.com", "Ada"),  # not as sign-in keeps it
    Shopper("demo", "user:", "", "Nobody"),
    Shopper("demo", "user:not an email", "not an email", "Ada"),
    Shopper("guest", "user:ada@example.com", "", ""),  # a guest holding a shopper's basket
    Shopper("guest", "guest:g1", "ada@example.com", ""),
], ids=["basket-of-one-email-of-another", "guest-basket-with-email", "not-normalised",
        "no-email", "not-an-email", "guest-with-user-key", "guest-with-email"])
def test_a_signed_cookie_whose_fields_disagree_is_refused(mixed):
    assert read_token(make_token(mixed, SECRET), SECRET) is None


@pytest.mark.parametrize("token", [None, "", "nodot", "a.b.c", ".", "!!!.???", "é.é"])
def test_malformed_tokens_are_rejected(token):
    assert read_token(token, SECRET) is None


def test_correctly_signed_but_malformed_bodies_are_rejected():
    signer = URLSafeTimedSerializer(SECRET, salt=COOKIE_SALT)
    for payload in ("not a dict", [1, 2], {"k": "demo"}, {"k": 1, "key": 2}):
        assert read_token(signer.dumps(payload), SECRET) is None


def test_email_longer_than_stripes_client_reference_id_limit_is_refused():
    local = "a" * 64
    fits = f"{local}@{'b' * (200 - len(local) - 5)}.com"
    assert len(fits) == 200 and demo_shopper("Ada", fits).email == fits
    with pytest.raises(IdentityError):
        demo_shopper("Ada", "x" + fits)

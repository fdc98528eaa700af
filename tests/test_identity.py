"""Identity: demo sign-in validation and the signed shopper cookie."""
import base64
import json

import pytest

from lib.identity import (
    IdentityError,
    Shopper,
    demo_sign_in,
    guest,
    make_token,
    oidc_shopper,
    read_token,
)

SECRET = b"0" * 64


def test_demo_sign_in_normalises_name_and_email():
    shopper = demo_sign_in("  Ada   Lovelace ", " Ada@Example.COM ")
    assert shopper == Shopper("demo", "user:ada@example.com", "ada@example.com", "Ada Lovelace")
    assert shopper.signed_in


@pytest.mark.parametrize("email", ["", "   ", "ada", "ada@", "@example.com", "ada@example",
                                   "ada @example.com", "ada@exa mple.com", "ada@@example.com",
                                   "a" * 250 + "@example.com"])
def test_demo_sign_in_refuses_bad_emails(email):
    with pytest.raises(IdentityError, match="email"):
        demo_sign_in("Ada", email)


def test_bad_email_message_quotes_what_was_typed():
    with pytest.raises(IdentityError, match=r"'ada@example' is not a valid email address"):
        demo_sign_in("Ada", " ada@example ")
    with pytest.raises(IdentityError, match="Enter your email address"):
        demo_sign_in("Ada", None)


@pytest.mark.parametrize("name", ["", "   ", None, "\t\n"])
def test_demo_sign_in_refuses_an_empty_name(name):
    with pytest.raises(IdentityError, match="Enter your name"):
        demo_sign_in(name, "ada@example.com")


def test_demo_sign_in_refuses_a_very_long_name():
    with pytest.raises(IdentityError, match="too long"):
        demo_sign_in("A" * 81, "ada@example.com")


def test_guests_and_oidc_shoppers():
    one, two = guest(), guest()
    assert one.key.startswith("guest:") and one.key != two.key
    assert not one.signed_in
    assert guest("abc").key == "guest:abc"
    user = oidc_shopper(" Ada@Example.com", "")
    assert user == Shopper("oidc", "user:ada@example.com", "ada@example.com", "ada@example.com")
    # The same person signed in either way shares one basket key.
    assert user.key == demo_sign_in("Ada", "ada@example.com").key


@pytest.mark.parametrize("shopper", [guest("g1"), demo_sign_in("Ada Ł", "ada@example.com")])
def test_token_round_trip(shopper):
    token = make_token(shopper, SECRET)
    assert read_token(token, SECRET) == shopper


def test_token_signed_with_another_secret_is_rejected():
    token = make_token(demo_sign_in("Ada", "ada@example.com"), b"1" * 64)
    assert read_token(token, SECRET) is None


def _forge(payload: dict, sig: str) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"{body}.{sig}"


def test_tampered_body_is_rejected():
    token = make_token(demo_sign_in("Ada", "ada@example.com"), SECRET)
    _, sig = token.split(".")
    forged = _forge({"k": "demo", "key": "user:eve@example.com", "e": "eve@example.com",
                     "n": "Eve"}, sig)
    assert read_token(forged, SECRET) is None


def test_tampered_signature_is_rejected():
    token = make_token(guest("g1"), SECRET)
    body, sig = token.split(".")
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    assert read_token(f"{body}.{flipped}", SECRET) is None
    assert read_token(f"{body}.", SECRET) is None


def test_oidc_shoppers_cannot_be_carried_by_the_cookie():
    # Only the identity provider vouches for OIDC users, never our own cookie.
    token = make_token(oidc_shopper("ada@example.com"), SECRET)
    assert read_token(token, SECRET) is None


@pytest.mark.parametrize("token", [None, "", "nodot", "a.b.c", ".", "!!!.???", "é.é"])
def test_malformed_tokens_are_rejected(token):
    assert read_token(token, SECRET) is None


def test_correctly_signed_but_malformed_bodies_are_rejected():
    import hashlib
    import hmac

    for payload in (b"not json", b"[1, 2]", b'{"k": "demo"}', b"\xff\xfe"):
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        sig = base64.urlsafe_b64encode(
            hmac.new(SECRET, body.encode(), hashlib.sha256).digest()).decode().rstrip("=")
        assert read_token(f"{body}.{sig}", SECRET) is None


def test_email_longer_than_stripes_client_reference_id_limit_is_refused():
    local = "a" * 64
    fits = f"{local}@{'b' * (200 - len(local) - 5)}.com"
    assert len(fits) == 200 and demo_sign_in("Ada", fits).email == fits
    with pytest.raises(IdentityError):
        demo_sign_in("Ada", "x" + fits)

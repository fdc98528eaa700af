"""Who is shopping: guests, the demo sign-in, OIDC users, and the signed cookie that keeps them."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass

COOKIE_NAME = "storefront_shopper"
# A plain, practical email shape: one @, a dot in the domain, no spaces; not RFC 5322 in full.
EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class IdentityError(ValueError):
    """A sign-in that is refused, with a message fit to show the shopper."""


@dataclass(frozen=True)
class Shopper:
    """A shopper; key is what their basket is stored under."""

    kind: str  # "guest", "demo" or "oidc"
    key: str
    email: str = ""
    name: str = ""

    @property
    def signed_in(self) -> bool:
        """True for demo and OIDC shoppers, who may check out."""
        return self.kind != "guest"


def normalise_email(email: str) -> str:
    """Trim and lower-case an email so one person has one key."""
    return email.strip().lower()


def check_email(email: str) -> str:
    """The normalised email, or IdentityError saying what is wrong with it."""
    value = normalise_email(email or "")
    if not value:
        raise IdentityError("Enter your email address.")
    # 200, not RFC 5321's 254: the email is also Stripe's client_reference_id (200 at most).
    if len(value) > 200 or not EMAIL_RE.match(value):
        raise IdentityError(f"{email.strip()!r} is not a valid email address.")
    return value


def guest(guest_id: str | None = None) -> Shopper:
    """A guest shopper with a random (or given) id."""
    return Shopper("guest", f"guest:{guest_id or secrets.token_urlsafe(16)}")


def demo_sign_in(name: str, email: str) -> Shopper:
    """Validate the demo sign-in form and return the signed-in shopper."""
    clean_name = " ".join((name or "").split())
    if not clean_name:
        raise IdentityError("Enter your name.")
    if len(clean_name) > 80:
        raise IdentityError("Your name is too long (80 characters at most).")
    address = check_email(email)
    return Shopper("demo", f"user:{address}", address, clean_name)


def oidc_shopper(email: str, name: str = "") -> Shopper:
    """The shopper an identity provider vouched for."""
    address = normalise_email(email)
    return Shopper("oidc", f"user:{address}", address, name or address)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(shopper: Shopper, secret: bytes) -> str:
    """A signed cookie value that carries a guest or demo shopper to a new tab."""
    body = _b64(json.dumps({"k": shopper.kind, "key": shopper.key, "e": shopper.email,
                            "n": shopper.name}, separators=(",", ":")).encode())
    sig = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    return f"{body}.{sig}"


def read_token(token: str | None, secret: bytes) -> Shopper | None:
    """The shopper a cookie value vouches for, or None if it is missing, forged or malformed."""
    if not token or token.count(".") != 1:
        return None
    body, sig = token.split(".")
    expected = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    # Compare bytes: a cookie is browser-controlled, and compare_digest refuses non-ASCII str.
    if not hmac.compare_digest(sig.encode(), expected.encode()):
        return None
    try:
        data = json.loads(_unb64(body))
        shopper = Shopper(data["k"], data["key"], data.get("e", ""), data.get("n", ""))
    except (ValueError, KeyError, TypeError):
        return None
    return shopper if shopper.kind in ("guest", "demo") else None

"""Who is shopping: guests, the demo sign-in, OIDC users, and the signed cookie that keeps them."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from enum import StrEnum

from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE_NAME = "storefront_shopper"
COOKIE_SALT = "storefront.shopper-cookie"
COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600  # a month, on the server as in the browser
# A plain, practical email shape: one @, a dot in the domain, no spaces; not RFC 5322 in full.
EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class IdentityError(ValueError):
    """A sign-in that is refused, with a message fit to show the shopper."""


class ShopperKind(StrEnum):
    """How a shopper came to be: a guest, the demo sign-in, or an identity provider (OIDC)."""

    GUEST = "guest"
    DEMO = "demo"
    OIDC = "oidc"


@dataclass(frozen=True)
class Shopper:
    """A shopper; key is what their basket is stored under."""

    kind: ShopperKind
    key: str
    email: str = ""
    name: str = ""

    @property
    def signed_in(self) -> bool:
        """True for demo and OIDC shoppers, who may check out."""
        return self.kind != ShopperKind.GUEST


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
    return Shopper(ShopperKind.GUEST, f"guest:{guest_id or secrets.token_urlsafe(16)}")


def demo_shopper(name: str, email: str) -> Shopper:
    """The demo shopper the sign-in form names, validated (IdentityError says what is wrong)."""
    clean_name = " ".join((name or "").split())
    if not clean_name:
        raise IdentityError("Enter your name.")
    if len(clean_name) > 80:
        raise IdentityError("Your name is too long (80 characters at most).")
    address = check_email(email)
    return Shopper(ShopperKind.DEMO, f"user:{address}", address, clean_name)


def oidc_shopper(email: str, name: str = "") -> Shopper:
    """The shopper an identity provider vouched for."""
    address = normalise_email(email)
    return Shopper(ShopperKind.OIDC, f"user:{address}", address, name or address)


def make_token(shopper: Shopper, cookie_key: bytes, generation: int = 0) -> str:
    """A signed, timestamped cookie value that carries a guest or demo shopper to a new tab;
    generation: the shopper's sign-out generation it was issued in."""
    return _serializer(cookie_key).dumps({"k": shopper.kind, "key": shopper.key,
                                          "e": shopper.email, "n": shopper.name,
                                          "g": generation})


def read_cookie(token: str | None, cookie_key: bytes,
                max_age: int = COOKIE_MAX_AGE_SECONDS) -> tuple[Shopper, int] | None:
    """(shopper, sign-out generation) a cookie value vouches for, or None if it is missing,
    forged, malformed or older than max_age (checked here: the browser's max-age is a hint)."""
    if not token:
        return None
    try:
        data = _serializer(cookie_key).loads(token, max_age=max_age)
        shopper = Shopper(data["k"], data["key"], data.get("e", ""), data.get("n", ""))
        generation = data.get("g", 0)
    except (BadData, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not all(isinstance(v, str) for v in (shopper.kind, shopper.key, shopper.email,
                                            shopper.name)) or type(generation) is not int:
        return None
    if not _one_shopper(shopper):
        return None
    return replace(shopper, kind=ShopperKind(shopper.kind)), generation


def _one_shopper(shopper: Shopper) -> bool:
    """Whether a cookie's fields name one guest or demo shopper: a guest key with no email or
    name, or a demo shopper whose basket key is their own email's, as sign-in writes them. A
    signed cookie mixing one shopper's basket with another's email is refused."""
    if shopper.kind == ShopperKind.GUEST:
        return shopper.key.startswith("guest:") and shopper.key != "guest:" \
            and not shopper.email and not shopper.name
    if shopper.kind != ShopperKind.DEMO or not shopper.name:
        return False
    try:
        email = check_email(shopper.email)
    except IdentityError:
        return False
    return email == shopper.email and shopper.key == f"user:{email}"


def read_token(token: str | None, cookie_key: bytes,
               max_age: int = COOKIE_MAX_AGE_SECONDS) -> Shopper | None:
    """The shopper a valid cookie value names (its generation unchecked), or None."""
    found = read_cookie(token, cookie_key, max_age)
    return found[0] if found else None


def cookie_shopper(token: str | None, cookie_key: bytes, sign_outs) -> Shopper | None:
    """The shopper a cookie names, unless they signed out since it was issued (sign_outs: the
    SignOutStore port): a copied cookie dies with its owner's sign-out."""
    found = read_cookie(token, cookie_key)
    if found is None:
        return None
    shopper, generation = found
    return shopper if generation == sign_outs.generation(shopper.key) else None


def _serializer(cookie_key: bytes) -> URLSafeTimedSerializer:
    """itsdangerous with a salt of this purpose alone: no other value signed with the
    cookie key passes as a shopper cookie."""
    return URLSafeTimedSerializer(cookie_key, salt=COOKIE_SALT)


def cookie_attributes(app_url: str) -> str:
    """The shopper cookie's attributes; Secure when the shop is served over https."""
    attributes = f"path=/; max-age={COOKIE_MAX_AGE_SECONDS}; SameSite=Lax"
    return attributes + ("; Secure" if app_url.lower().startswith("https://") else "")

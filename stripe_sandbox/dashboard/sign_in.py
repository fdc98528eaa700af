"""The Dashboard's own sign-in and the checks every Dashboard form passes.

The sandbox's key is typed once into the sign-in form; the browser then holds an HttpOnly,
SameSite=Strict session cookie, which it sends only on requests its own pages make. Unlike HTTP
Basic credentials, which a browser attaches to any request to the address, including a form
another site submits, nothing here reaches the API routes. Each Dashboard form carries a token
that works once.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

from itsdangerous import BadData, URLSafeTimedSerializer

from ..hosted_page import form_token

SESSION_COOKIE = "sandbox_dashboard"
SESSION_SALT = "stripe-sandbox.dashboard.session"
SESSION_SECONDS = 12 * 3600  # a workshop day
# A posted form's token is recorded here when it is used, so a resubmitted form does nothing.
SPENT_SCHEMA = """
CREATE TABLE IF NOT EXISTS spent_form_tokens (digest TEXT PRIMARY KEY, spent_at REAL NOT NULL);
"""


def _sessions(api_key: str) -> URLSafeTimedSerializer:
    """Session values signed with the sandbox's key: a new key signs every browser out."""
    return URLSafeTimedSerializer(api_key, salt=SESSION_SALT)


def key_matches(api_key: str, typed: str) -> bool:
    """Whether the key typed into the sign-in form is the sandbox's."""
    return bool(typed) and hmac.compare_digest(typed.strip().encode(), api_key.encode())


def new_session(api_key: str) -> str:
    """A signed, timestamped session cookie value for one signed-in browser."""
    return _sessions(api_key).dumps(secrets.token_urlsafe(16))


def is_signed_in(api_key: str, cookie: str | None) -> bool:
    """Whether the browser's session cookie was issued by this sandbox, with this key, lately."""
    if not cookie:
        return False
    try:
        _sessions(api_key).loads(cookie, max_age=SESSION_SECONDS)
    except BadData:
        return False
    return True


def session_cookie(api_key: str, secure: bool) -> dict:
    """set_cookie's arguments for a new session: HttpOnly, SameSite=Strict, the Dashboard only."""
    return {"key": SESSION_COOKIE, "value": new_session(api_key), "max_age": SESSION_SECONDS,
            "httponly": True, "samesite": "Strict", "secure": secure, "path": "/dashboard"}


def from_own_page(headers: Mapping[str, str]) -> bool:
    """Whether a form post came from one of the sandbox's own pages: Sec-Fetch-Site same-origin
    (or none); clients that send no Sec-Fetch-Site still need the session and a token."""
    return headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")


def spend(conn, token: str, now: float | None = None) -> bool:
    """Record a form token as used; True the first time only (forgotten once it has expired)."""
    now = time.time() if now is None else now
    conn.execute("DELETE FROM spent_form_tokens WHERE spent_at < ?",
                 (now - form_token.MAX_AGE_SECONDS,))
    digest = hashlib.sha256(token.encode()).hexdigest()
    return conn.execute("INSERT OR IGNORE INTO spent_form_tokens (digest, spent_at) VALUES (?, ?)",
                        (digest, now)).rowcount == 1

"""The hosted page's per-page form token: only a form this sandbox served, to the same browser,
can pay a session (a cross-site POST carries neither the token nor the browser's cookie)."""
from __future__ import annotations

import secrets

from itsdangerous import BadData, URLSafeTimedSerializer

BROWSER_COOKIE = "sandbox_browser"
# A purpose of its own, so no other value signed with the same secret passes as a form token.
SALT = "stripe-sandbox.hosted-page.form-token"
# Stripe's sessions live at most 24 hours; a page left open longer is shown again, fresh.
MAX_AGE_SECONDS = 24 * 3600


def new_browser_id() -> str:
    """A random id for the browser's cookie, the other half of every token."""
    return secrets.token_urlsafe(24)


def issue(secret: str, session_id: str, browser_id: str) -> str:
    """A signed, timestamped token for one rendering of one session's page in one browser."""
    nonce = secrets.token_urlsafe(8)  # every page gets its own token
    return URLSafeTimedSerializer(secret, salt=SALT).dumps([session_id, browser_id, nonce])


def is_valid(secret: str, token: str, session_id: str, browser_id: str,
             max_age: int = MAX_AGE_SECONDS) -> bool:
    """True if token was issued by this sandbox for this session and browser, within max_age."""
    if not token or not browser_id:
        return False
    try:
        signed_session, signed_browser, _ = URLSafeTimedSerializer(secret, salt=SALT).loads(
            token, max_age=max_age)
    except (BadData, ValueError, TypeError):
        return False
    return secrets.compare_digest(signed_session, session_id) and secrets.compare_digest(
        signed_browser, browser_id)

"""Expiring sessions: on request (POST .../expire) or when expires_at passes; both emit checkout.session.expired."""
from __future__ import annotations

import time

from ..api.errors import invalid
from ..context import Sandbox
from ..events import log as event_log
from .store import due_expiries, load_session, require_session, update_session


def expire(sandbox: Sandbox, session_id: str, request_id: str | None = None,
           idempotency_key: str | None = None) -> dict:
    """Expire an open session and emit checkout.session.expired; Stripe refuses for any other status."""
    with sandbox.db.transaction() as conn:
        stored = require_session(conn, session_id)
        session = stored.session
        if session["status"] != "open":
            raise invalid("Only Checkout Sessions with a status of `open` can be expired. This Checkout "
                          f"Session has a status of `{session['status']}`.", code="checkout_session_not_open")
        mark_expired(conn, sandbox, session, request_id, idempotency_key)
    sandbox.notify()
    return session


def expire_due(sandbox: Sandbox) -> int:
    """Expire every open session past its expires_at; return how many."""
    conn = sandbox.db.connection()
    count = 0
    for session_id in due_expiries(conn, time.time()):
        with sandbox.db.transaction() as tx:
            stored = load_session(tx, session_id)
            if stored and stored.session["status"] == "open":
                mark_expired(tx, sandbox, stored.session)
                count += 1
    if count:
        sandbox.notify()
    return count


def mark_expired(conn, sandbox: Sandbox, session: dict, request_id=None, idempotency_key=None) -> None:
    """Set status expired, drop the url (it only exists while open), save, and record the event."""
    session["status"] = "expired"
    session["url"] = None
    update_session(conn, session)
    event_log.record_event(conn, sandbox.settings.webhook_urls, "checkout.session.expired", session,
                           request_id, idempotency_key)

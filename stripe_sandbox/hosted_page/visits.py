"""When a shopper opened a session's hosted page and was sent back to success_url: the two
moments of a purchase only the page sees, kept for the app's purchase timeline.

GET /_sandbox/sessions/{id}/visits (sandbox-only, like the inspector's endpoints) answers
{"opened": unix seconds or null, "returned": unix seconds or null}.
"""
from __future__ import annotations

import sqlite3
import time

from flask import Blueprint, current_app

from ..api.http_json import json_response, only_params, request_params
from ..checkout.store import require_session

bp = Blueprint("page_visits", __name__)
TABLE = """CREATE TABLE IF NOT EXISTS page_visits (
    session_id TEXT PRIMARY KEY,
    opened     REAL,  -- the first time the page was shown for the open session
    returned   REAL   -- when the paid shopper was redirected to success_url
)"""
KINDS = ("opened", "returned")


def note_visit(box, session_id: str, kind: str) -> None:
    """Record the first `kind` moment for this session (later ones keep the first)."""
    if kind not in KINDS:
        raise ValueError(kind)
    with box.db.transaction() as conn:
        conn.execute(TABLE)
        conn.execute(f"INSERT INTO page_visits (session_id, {kind}) VALUES (?, ?) "
                     f"ON CONFLICT (session_id) DO UPDATE "
                     f"SET {kind} = COALESCE({kind}, excluded.{kind})", (session_id, time.time()))


def visits(conn: sqlite3.Connection, session_id: str) -> dict:
    """{"opened": ..., "returned": ...} for the session, None where nothing was recorded."""
    try:
        row = conn.execute("SELECT opened, returned FROM page_visits WHERE session_id = ?",
                           (session_id,)).fetchone()
    except sqlite3.OperationalError:
        row = None  # nothing was ever recorded, so the table is not there yet
    return {kind: (row[n] if row else None) for n, kind in enumerate(KINDS)}


@bp.get("/_sandbox/sessions/<session_id>/visits")
def session_visits(session_id: str):
    """The hosted page's moments for one session (404 for an unknown session)."""
    only_params(request_params(), ())
    conn = current_app.extensions["stripe_sandbox"].db.connection()
    require_session(conn, session_id)
    return json_response({"session": session_id, **visits(conn, session_id)})

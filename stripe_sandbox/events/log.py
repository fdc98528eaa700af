"""Events and their delivery bookkeeping: record an event, queue it per endpoint, log every attempt."""
from __future__ import annotations

import json
import sqlite3
import time

import stripe

from ..api.ids import new_id
from ..stripecli.destination import destinations
from .backdating import shift


def record_event(conn: sqlite3.Connection, urls, event_type: str, obj: dict,
                 request_id: str | None = None, idempotency_key: str | None = None) -> dict:
    """Store a Stripe-shaped event for obj and queue one delivery per webhook URL (and for
    `stripe listen`, once one has connected); return the event."""
    urls = [*urls, *destinations(conn)]
    event = {
        "id": new_id("evt", 24),
        "object": "event",
        "api_version": stripe.api_version,
        # A backdated session's events are stamped as far back as the session was moved.
        "created": int(time.time()) - shift(conn, obj.get("id")),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": len(urls),
        "request": {"id": request_id, "idempotency_key": idempotency_key},
        "type": event_type,
    }
    body = json.dumps(event, indent=2)
    conn.execute("INSERT INTO events (id, type, created, object_id, body) VALUES (?, ?, ?, ?, ?)",
                 (event["id"], event_type, event["created"], obj.get("id"), body))
    queue_deliveries(conn, event["id"], urls)
    return event


def queue_deliveries(conn: sqlite3.Connection, event_id: str, urls) -> None:
    """(Re)queue delivery of an event to each URL, due now, with a fresh attempt budget."""
    now = time.time()
    for url in urls:
        conn.execute(
            "INSERT INTO deliveries (event_id, url, state, attempts, next_attempt_at) VALUES (?, ?, 'pending', 0, ?) "
            "ON CONFLICT (event_id, url) DO UPDATE SET state = 'pending', attempts = 0, next_attempt_at = ?",
            (event_id, url, now, now))


def resume_pending(conn: sqlite3.Connection) -> int:
    """After a restart, make every pending delivery due now (including any a crash left mid-request)."""
    return conn.execute("UPDATE deliveries SET next_attempt_at = ? WHERE state = 'pending'", (time.time(),)).rowcount


def claim_due(conn: sqlite3.Connection, now: float, lease_seconds: float, limit: int = 16) -> list[dict]:
    """Take pending deliveries that are due, pushing their due time past the lease so no one else takes them."""
    rows = conn.execute(
        "SELECT d.id, d.event_id, d.url, d.attempts, e.body FROM deliveries d JOIN events e ON e.id = d.event_id "
        "WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?",
        (now, limit)).fetchall()
    for row in rows:
        # If the process dies mid-request the lease runs out and the delivery is tried again.
        conn.execute("UPDATE deliveries SET next_attempt_at = ? WHERE id = ?", (now + lease_seconds, row["id"]))
    return [dict(row) for row in rows]


def record_attempt(conn: sqlite3.Connection, delivery: dict, status_code: int | None, latency_ms: float,
                   error: str | None, retry_delay: float, max_attempts: int = 0,
                   retry_window: float = float("inf"), received: bool = False) -> str:
    """Log one attempt and move the delivery on: delivered (a 2xx, or received with no answer to
    give, as `stripe listen` does with an event it does not forward), retried later, or failed
    (only once the next try would fall outside the retry window, or past max_attempts when that
    is set). Returns the new state."""
    now = time.time()
    first = conn.execute("SELECT MIN(at) AS t FROM attempts WHERE event_id = ? AND url = ?",
                         (delivery["event_id"], delivery["url"])).fetchone()["t"]
    conn.execute("INSERT INTO attempts (event_id, url, status_code, latency_ms, error, at) VALUES (?, ?, ?, ?, ?, ?)",
                 (delivery["event_id"], delivery["url"], status_code, round(latency_ms, 1), error, now))
    attempts = delivery["attempts"] + 1
    if received or (status_code is not None and 200 <= status_code < 300):
        state = "delivered"
    elif (max_attempts and attempts >= max_attempts) or (
            now + retry_delay - (first if first is not None else now) > retry_window):
        state = "failed"
    else:
        state = "pending"
    conn.execute("UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ? WHERE id = ?",
                 (state, attempts, now + retry_delay, delivery["id"]))
    return state


def next_due(conn: sqlite3.Connection) -> float | None:
    """When the earliest pending delivery is due, if any."""
    row = conn.execute("SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE state = 'pending'").fetchone()
    return row["t"]


def event_exists(conn: sqlite3.Connection, event_id: str) -> bool:
    """Whether an event with this id was recorded."""
    return conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None


def recent_events(conn: sqlite3.Connection, limit: int) -> list[dict]:
    """Newest events first, each with its deliveries, attempts and an overall delivery state."""
    rows = conn.execute("SELECT id, body FROM events ORDER BY seq DESC LIMIT ?", (limit,)).fetchall()
    return [describe_event(conn, row["id"], row["body"]) for row in rows]


def describe_event(conn: sqlite3.Connection, event_id: str, body: str | None = None) -> dict:
    """One event as the inspector shows it."""
    if body is None:
        body = conn.execute("SELECT body FROM events WHERE id = ?", (event_id,)).fetchone()["body"]
    event = json.loads(body)
    deliveries = [dict(r) for r in conn.execute(
        "SELECT url, state, attempts, next_attempt_at FROM deliveries WHERE event_id = ? ORDER BY id", (event_id,))]
    attempts = [dict(r) for r in conn.execute(
        "SELECT url, status_code, latency_ms, error, at FROM attempts WHERE event_id = ? ORDER BY id", (event_id,))]
    for delivery in deliveries:
        if delivery["state"] != "pending":
            delivery["next_attempt_at"] = None
    return {
        "id": event_id, "type": event["type"], "created": event["created"],
        "object_id": event["data"]["object"].get("id"), "state": overall_state(deliveries),
        "deliveries": deliveries, "attempts": attempts, "event": event,
    }


def overall_state(deliveries: list[dict]) -> str:
    """pending while any endpoint is being tried, else failed if any gave up, else delivered (none: no endpoints)."""
    states = {d["state"] for d in deliveries}
    for state in ("pending", "failed", "delivered"):
        if state in states:
            return state
    return "none"


def load_event(conn: sqlite3.Connection, event_id: str) -> dict | None:
    """One recorded event as the API shows it, or None."""
    row = conn.execute("SELECT body FROM events WHERE id = ?", (event_id,)).fetchone()
    return with_pending_count(conn, json.loads(row["body"])) if row else None


def with_pending_count(conn: sqlite3.Connection, event: dict) -> dict:
    """The event with pending_webhooks as it stands now: the endpoints that have not yet had it."""
    waiting = conn.execute("SELECT COUNT(*) AS n FROM deliveries WHERE event_id = ? AND state != 'delivered'",
                           (event["id"],)).fetchone()["n"]
    return {**event, "pending_webhooks": waiting}

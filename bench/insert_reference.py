"""The write-floor reference receiver: verify, then one durable insert of the event, and 200.

What no durable receiver can go below on one machine: Stripe's sample (`construct_event`) plus
one insert keyed by the event id, in the same store the sidecar uses (STORE): a SQLite row with
synchronous=FULL, one commit per delivery, or a Firestore create() of a document holding the
same fields as the sidecar's inbox document; an event already in is a duplicate, answered 200.
Nothing else: no memory of seen ids, no log line, no fulfilment. Serve it like the sidecar:
gunicorn -w 2 --threads 4 'bench.insert_reference:create_app()'.
"""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import stripe
from flask import Flask, jsonify, request

from lib.config.settings import load_settings

COLLECTION = "reference_events"
SCHEMA = "CREATE TABLE IF NOT EXISTS events (event_id TEXT PRIMARY KEY, fields TEXT NOT NULL," \
         " payload BLOB NOT NULL)"


def _fields(event: dict, now: datetime) -> dict:
    """The fields the sidecar's inbox keeps beside the body, so both write the same size."""
    session = (event.get("data") or {}).get("object") or {}
    return {"event_type": event["type"], "session_id": str(session.get("id", "")),
            "received_at": now, "state": "received", "attempts": 0, "next_attempt_at": now,
            "last_error": "", "done_at": None, "token": "", "due_at": now}


def sqlite_insert(settings):
    """insert(event_id, fields, payload) -> bool: one autocommitted, fsync'd row per call."""
    from lib.stores.sqlite.connections import ThreadConnections

    conns = ThreadConnections(settings.data_dir / "insert_reference.sqlite3", synchronous="FULL")
    conns.get().execute(SCHEMA)

    def insert(event_id: str, fields: dict, payload: bytes) -> bool:
        """INSERT OR IGNORE: True when the row is new."""
        return conns.get().execute(
            "INSERT OR IGNORE INTO events VALUES (?,?,?)",
            (event_id, json.dumps(fields, default=str), payload)).rowcount == 1

    return insert


def firestore_insert(settings):
    """insert(event_id, fields, payload) -> bool: one document create() per call."""
    from google.api_core import exceptions as api_errors

    from lib.stores.firestore.connection import FirestoreConnection

    conn = FirestoreConnection(project=settings.google_cloud_project,
                               emulator_host=settings.firestore_emulator_host)
    events = conn.client.collection(COLLECTION)

    def insert(event_id: str, fields: dict, payload: bytes) -> bool:
        """create(): False when the document exists."""
        try:
            events.document(event_id).create({**fields, "payload": payload}, **conn.calls())
        except api_errors.AlreadyExists:
            return False
        return True

    return insert


def create_app() -> Flask:
    """A one-route Flask app: verify with STRIPE_WEBHOOK_SECRET, insert into STORE, answer."""
    settings = load_settings(os.environ)
    insert = (firestore_insert if settings.store == "firestore" else sqlite_insert)(settings)
    app = Flask(__name__)

    @app.post("/webhook")
    def webhook():
        """Verify as Stripe's sample does, then the one insert, then 200."""
        payload = request.get_data(cache=False)
        try:
            stripe.Webhook.construct_event(
                payload=payload, sig_header=request.headers.get("Stripe-Signature"),
                secret=settings.stripe_webhook_secret)
        except (ValueError, stripe.SignatureVerificationError) as exc:
            return jsonify(error=str(exc)), 400
        event = json.loads(payload)  # plain values for the stored fields, as the sidecar reads
        new = insert(event["id"], _fields(event, datetime.now(UTC)), payload)
        return jsonify(status="success", outcome="stored" if new else "duplicate")

    @app.get("/healthz")
    def healthz():
        """Liveness for the benchmark's start-up wait."""
        return jsonify(ok=True)

    return app

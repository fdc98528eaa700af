"""Idempotency-Key handling: replay the stored result for the same key and params, refuse different params."""
from __future__ import annotations

import hashlib
import json
import threading
import time
from functools import wraps

from flask import Response, current_app, request

from .errors import ApiError
from .http_json import error_response

KEEP_SECONDS = 24 * 60 * 60  # Stripe keeps keys for at least 24 hours
_lock = threading.Lock()  # one keyed POST at a time, so two racing retries cannot both run


def fingerprint() -> str:
    """A digest of what makes two requests 'the same': method, path and the exact form params."""
    pairs = sorted(request.form.items(multi=True))
    return hashlib.sha256(json.dumps([request.method, request.path, pairs]).encode()).hexdigest()


def idempotent(view):
    """Wrap a POST view so a repeated Idempotency-Key replays its first result, as Stripe does."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        """Replay, refuse, or run and remember."""
        key = request.headers.get("Idempotency-Key")
        if not key:
            return view(*args, **kwargs)
        db = current_app.extensions["stripe_sandbox"].db
        digest = fingerprint()
        with _lock:
            row = db.connection().execute(
                "SELECT fingerprint, status, body FROM idempotency WHERE key = ?", (key,)).fetchone()
            if row is not None:
                if row["fingerprint"] != digest:
                    raise ApiError(400, "Keys for idempotent requests can only be used with the same parameters "
                                        f"they were first used with. Try using a key other than '{key}' if you "
                                        "meant to execute a different request.", type="idempotency_error")
                replay = Response(row["body"], status=row["status"], mimetype="application/json")
                replay.headers["Idempotent-Replayed"] = "true"
                return replay
            try:
                response = view(*args, **kwargs)
            except ApiError as exc:
                # Like Stripe, keep results only for requests that ran: a decline is kept, a 400 is not.
                if exc.status != 402:
                    raise
                response = error_response(exc)
            with db.transaction() as conn:
                conn.execute("DELETE FROM idempotency WHERE created < ?", (time.time() - KEEP_SECONDS,))
                conn.execute("INSERT INTO idempotency (key, fingerprint, status, body, created) VALUES (?, ?, ?, ?, ?)",
                             (key, digest, response.status_code, response.get_data(as_text=True), time.time()))
            return response
    return wrapper

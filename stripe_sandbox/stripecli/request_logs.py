"""`stripe logs tail`: a request_log_event for every API request, sent to each tailer whose filters let it through.

The CLI prints each one as `[200] POST /v1/checkout/sessions [req_...]`, and an error's fields below it.
"""
from __future__ import annotations

import json
import queue
import threading
import time

from flask import Flask, g, request
from websockets.exceptions import ConnectionClosed

from .hub import REQUEST_LOGS, CliHub

ERROR_FIELDS = ("type", "charge", "code", "decline_code", "message", "param")


def log_entry(method: str, path: str, status: int, request_id: str, body: bytes) -> dict:
    """The payload Stripe sends a tailer for one request (an error's fields from its JSON body)."""
    error = {}
    if status >= 400:
        try:
            found = json.loads(body).get("error") or {}
        except (ValueError, AttributeError):
            found = {}
        error = {k: str(found[k]) for k in ERROR_FIELDS if found.get(k) is not None}
    return {"created_at": int(time.time()), "livemode": False, "method": method, "request_id": request_id,
            "status": status, "url": path, "error": error}


def status_class(status: int) -> str:
    """'2XX' for 200 to 299, and so on, as --filter-status-code-type names them."""
    return f"{status // 100}XX"


def wanted(filters: dict, entry: dict) -> bool:
    """Whether an entry passes a tailer's --filter-* options (those about accounts, IPs and sources
    pass everything: every request here is the one account's, from this machine, through the API)."""
    def allows(name: str, value: str) -> bool:
        chosen = filters.get(name)
        return not chosen or value in [str(c).upper() for c in chosen]
    outcome = "FAILED" if entry["status"] >= 400 else "SUCCEEDED"
    return (allows("filter_http_method", entry["method"].upper())
            and allows("filter_request_path", entry["url"].upper())
            and allows("filter_request_status", outcome)
            and allows("filter_status_code", str(entry["status"]))
            and allows("filter_status_code_type", status_class(entry["status"])))


class RequestLogFeed:
    """Sends entries from a thread of its own, so a slow tailer never holds up an API answer."""

    def __init__(self, hub: CliHub):
        self.hub = hub
        self.entries: queue.Queue = queue.Queue(maxsize=10_000)
        threading.Thread(target=self.run, name="stripecli-request-logs", daemon=True).start()

    def publish(self, entry: dict) -> None:
        """Queue one entry when someone is tailing (dropped when the queue is full)."""
        if self.hub.connected(REQUEST_LOGS):
            try:
                self.entries.put_nowait(entry)
            except queue.Full:
                pass

    def run(self) -> None:
        """Send each queued entry to every tailer that wants it."""
        while True:
            entry = self.entries.get()
            message = json.dumps({"type": "request_log_event", "request_log_id": entry["request_id"],
                                  "event_payload": json.dumps(entry)})
            for listener in self.hub.connected(REQUEST_LOGS):
                if wanted(listener.session.filters, entry):
                    try:
                        listener.connection.send(message)
                    except ConnectionClosed:
                        pass


def install(app: Flask, feed: RequestLogFeed) -> None:
    """Publish every /v1 request the app answers."""
    @app.after_request
    def tail(response):
        """Hand this request's log entry to the feed."""
        if request.path.startswith("/v1/"):
            feed.publish(log_entry(request.method, request.path, response.status_code,
                                   g.get("request_id", ""),
                                   response.get_data() if response.status_code >= 400 else b""))
        return response

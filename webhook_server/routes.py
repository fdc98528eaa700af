"""The sidecar's routes: POST /webhook verifies a delivery, stores it in the inbox and answers;
/healthz says whether the order store answers. HTTP_STATUS is the one place an outcome
becomes an HTTP status."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify, request

from lib.config.redaction import redact_paths, store_id
from lib.config.settings import Settings
from lib.stores.errors import StoreError
from lib.stores.inbox import Inbox
from lib.stores.orders import OrderStore
from lib.stores.webhook_log import LoggedEvent, WebhookLog
from lib.webhooks.delivery_log import DeliveryLogWriter
from lib.webhooks.events import Verdict, WebhookOutcome
from lib.webhooks.intake import AnswersInFlight, SeenEvents, accept_webhook
from lib.webhooks.workers import InboxWorkers
from webhook_server.console import Console

MAX_BODY = 1024 * 1024  # Stripe's events are a few KB; anything near 1 MiB is not one.

# The one place an outcome becomes an HTTP status. Stripe reads 2xx as "stop sending", 4xx as
# "resending cannot help" and 5xx as "retry later", which is what an outage needs.
HTTP_STATUS = {
    WebhookOutcome.ORDER_CREATED: 200,
    WebhookOutcome.STATUS_UPDATED: 200,
    WebhookOutcome.ALREADY_RECORDED: 200,
    WebhookOutcome.QUEUED: 200,
    WebhookOutcome.IGNORED: 200,
    WebhookOutcome.REJECTED: 400,
    WebhookOutcome.TOO_LARGE: 413,
    WebhookOutcome.ERROR: 500,
}

routes = Blueprint("webhook", __name__)


@dataclass
class Sidecar:
    """What the routes work with, built once by create_app (app.extensions["storefront"])."""

    settings: Settings
    store: OrderStore
    event_log: WebhookLog
    inbox: Inbox
    workers: InboxWorkers
    console: Console
    clock: Callable[[], datetime]
    owns_inbox: bool  # create_app opened the inbox, so shutdown() closes it
    seen: SeenEvents
    in_flight: AnswersInFlight
    log_writer: DeliveryLogWriter  # writes each answer's log line after the answer, in batches
    at_exit: Callable[[], None]  # shutdown(app), registered with atexit
    shut_down: bool = False


def sidecar() -> Sidecar:
    """The running app's Sidecar."""
    return current_app.extensions["storefront"]


def answer(verdict: Verdict):
    """The JSON reply and HTTP status for a verdict, from HTTP_STATUS."""
    status = HTTP_STATUS[verdict.outcome]
    return jsonify(received=status < 400, outcome=verdict.outcome,
                   detail=verdict.detail), status


def log_entry(verdict: Verdict, latency_ms: float) -> LoggedEvent:
    """The webhook log's line for one answered delivery."""
    return LoggedEvent(datetime.now(UTC), verdict.event_id, verdict.event_type,
                       verdict.session_id, verdict.signature, verdict.outcome,
                       HTTP_STATUS[verdict.outcome], latency_ms, verdict.detail)


@routes.post("/webhook")
def webhook():
    """Verify the raw body, store it in the inbox and answer with the status HTTP_STATUS
    gives; a worker fulfils it after the answer (Stripe: answer 2xx before any logic)."""
    parts = sidecar()
    with parts.in_flight:
        payload = request.get_data(cache=False)  # raw bytes: the signature is over these
        start = time.perf_counter()
        verdict = accept_webhook(payload, request.headers.get("Stripe-Signature"),
                                 parts.settings.stripe_webhook_secret, parts.inbox,
                                 parts.clock, parts.seen, parts.workers.handoff)
        latency_ms = (time.perf_counter() - start) * 1000
        entry = log_entry(verdict, latency_ms)
        if parts.console.shows(entry):
            parts.console.delivery(verdict, HTTP_STATUS[verdict.outcome], latency_ms)
        parts.log_writer.put(entry)
        return answer(verdict)


@routes.app_errorhandler(413)
def too_large(error):
    """A body over MAX_BODY is refused unread (and not logged: it is not a delivery)."""
    return answer(Verdict(WebhookOutcome.TOO_LARGE, f"the body is over the {MAX_BODY} byte limit"))


@routes.get("/healthz")
def healthz():
    """Which store the orders go to (as an id: /healthz is public, file paths are not) and
    whether it answers now."""
    parts = sidecar()
    store = parts.store
    try:
        store.ping()
        reachable, detail = True, "ok"
    except StoreError as exc:
        reachable, detail = False, redact_paths(str(exc))
    return jsonify(ok=reachable, store=store.backend, store_id=store_id(store.describe()),
                   reachable=reachable, detail=detail,
                   webhook_secret_set=bool(parts.settings.stripe_webhook_secret),
                   stripe_mode=parts.settings.stripe_mode), \
        200 if reachable else 503


@routes.app_errorhandler(404)
@routes.app_errorhandler(405)
def http_error(error):
    """Errors as short JSON, like the rest of the sidecar."""
    return jsonify(received=False, error=error.name), error.code

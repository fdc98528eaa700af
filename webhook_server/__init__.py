"""The webhook sidecar: a Flask app that verifies Stripe's deliveries and hands them to lib."""
from __future__ import annotations

import os
import time
from datetime import UTC, datetime

from flask import Flask, jsonify, request

from lib.clock import utc_now
from lib.config.redaction import redact_paths, store_id
from lib.config.settings import Settings, load_settings
from lib.stores.errors import StoreError
from lib.stores.inbox import Inbox, InboxEvent
from lib.stores.orders import OrderStore
from lib.stores.webhook_log import LoggedEvent, WebhookLog
from lib.webhooks.delivery_log import log_delivery
from lib.webhooks.events import SettledOrders, Verdict, WebhookOutcome, handle_event
from lib.webhooks.intake import AnswersInFlight, SeenEvents, accept_webhook
from lib.webhooks.workers import InboxWorkers, RetryPolicy

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


def delivery_line(verdict: Verdict, latency_ms: float) -> str:
    """The console line for one answered delivery, like `stripe listen` prints."""
    return (f"webhook <- {verdict.event_type or '-'} {verdict.event_id or '-'}"
            f" {verdict.session_id or '-'}: {HTTP_STATUS[verdict.outcome]} {verdict.outcome}"
            f" in {latency_ms:.1f} ms")


def fulfilment_line(event: InboxEvent, verdict: Verdict, state: str, now: datetime) -> str:
    """The console line for one fulfilment attempt, with the lag from receipt."""
    lag_ms = (now - event.received_at).total_seconds() * 1000
    return (f"webhook => {event.event_type} {event.event_id} {event.session_id}:"
            f" {verdict.outcome} ({state}, attempt {event.attempts})"
            f" {lag_ms:.0f} ms after receipt" + (f": {verdict.detail}" if state != "fulfilled"
                                                  else ""))


def shutdown(app: Flask, timeout: float = 5.0) -> None:
    """Stop the app's inbox workers (each finishes the event in hand) and close the inbox if
    create_app opened it; what a claimed event still needs waits in the inbox for a restart."""
    parts = app.extensions["storefront"]
    parts["workers"].stop(timeout)
    if parts["owns_inbox"]:
        parts["inbox"].close()


def create_app(settings: Settings | None = None, store: OrderStore | None = None,
               stripe_client=None, event_log: WebhookLog | None = None,
               clock=utc_now, inbox: Inbox | None = None,
               worker_threads: int | None = None, say=print) -> Flask:
    """Build the sidecar from settings (read from the environment when not given) and start
    its inbox workers (settings.inbox_workers threads unless worker_threads says; shutdown()
    stops them)."""
    from lib.config.stripe_client import make_stripe_client
    from lib.stores.factory import make_inbox, make_order_store, make_webhook_log

    settings = settings or load_settings(os.environ)
    store = store or make_order_store(settings)
    stripe_client = stripe_client or make_stripe_client(settings)
    event_log = event_log or make_webhook_log(settings)
    owns_inbox = inbox is None
    inbox = inbox or make_inbox(settings)

    settled = SettledOrders()  # per process: duplicates answered from memory
    seen = SeenEvents()
    in_flight = AnswersInFlight()

    def tell(line: str) -> None:
        """One line on the sidecar's output; a closed console must not stop the sidecar."""
        try:
            # One write per line: print's separate write of its end let two threads' lines run
            # together on the console ("...queued in 7.1 mswebhook => ...").
            say(line + "\n", end="", flush=True)
        except (OSError, ValueError):
            pass

    workers = InboxWorkers(
        inbox, lambda event: handle_event(event, stripe_client, store, clock, settled),
        threads=worker_threads or settings.inbox_workers, clock=clock,
        idle_seconds=settings.inbox_poll_seconds or inbox.poll_seconds,
        # How soon a crashed process's claimed events go to another worker.
        policy=RetryPolicy(lease_seconds=settings.inbox_lease_seconds),
        report=lambda event, verdict, state: tell(
            fulfilment_line(event, verdict, state, clock())),
        answering=lambda: bool(in_flight)).start()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.extensions["storefront"] = {"settings": settings, "store": store,
                                    "event_log": event_log, "inbox": inbox,
                                    "workers": workers, "owns_inbox": owns_inbox}

    @app.post("/webhook")
    def webhook():
        """Verify the raw body, store it in the inbox and answer with the status HTTP_STATUS
        gives; a worker fulfils it after the answer (Stripe: answer 2xx before any logic)."""
        with in_flight:
            payload = request.get_data(cache=False)  # raw bytes: the signature is over these
            start = time.perf_counter()
            verdict = accept_webhook(payload, request.headers.get("Stripe-Signature"),
                                     settings.stripe_webhook_secret, inbox, clock, seen)
            latency_ms = (time.perf_counter() - start) * 1000
            if verdict.outcome == WebhookOutcome.QUEUED:
                workers.wake()
            tell(delivery_line(verdict, latency_ms))
            try:
                log_delivery(event_log, log_entry(verdict, latency_ms))
            except Exception as exc:  # noqa: BLE001 - the log must never cost Stripe an order
                app.logger.warning("could not log webhook delivery: %s", exc)
            return answer(verdict)

    @app.errorhandler(413)
    def too_large(error):
        """A body over MAX_BODY is refused unread (and not logged: it is not a delivery)."""
        return answer(Verdict(WebhookOutcome.TOO_LARGE,
                              f"the body is over the {MAX_BODY} byte limit"))

    @app.get("/healthz")
    def healthz():
        """Which store the orders go to (as an id: /healthz is public, file paths are not) and
        whether it answers now."""
        try:
            store.ping()
            reachable, detail = True, "ok"
        except StoreError as exc:
            reachable, detail = False, redact_paths(str(exc))
        return jsonify(ok=reachable, store=store.backend, store_id=store_id(store.describe()),
                       reachable=reachable, detail=detail,
                       webhook_secret_set=bool(settings.stripe_webhook_secret),
                       stripe_mode=settings.stripe_mode), \
            200 if reachable else 503

    @app.errorhandler(404)
    @app.errorhandler(405)
    def http_error(error):
        """Errors as short JSON, like the rest of the sidecar."""
        return jsonify(received=False, error=error.name), error.code

    return app

"""The last purchase as a timeline, from the records the sandbox, the sidecar and the store keep."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote_plus

import stripe

from lib.config.redaction import store_name
from lib.config.settings import Settings
from lib.orders.stored import is_demo
from lib.presenter.sandbox_admin import SandboxError, recent_deliveries
from lib.stores.inbox import Inbox, InboxEvent, InboxState
from lib.stores.orders import OrderStore
from lib.stores.webhook_log import WebhookLog

COMPLETED = "checkout.session.completed"


@dataclass(frozen=True)
class Step:
    """One moment of a purchase: what happened, when (None if nothing recorded it), which of
    our files handled it, and a detail from the record."""

    name: str
    at: datetime | None
    handled_by: str
    detail: str = ""


def _utc(seconds: float | None) -> datetime | None:
    """Unix seconds as a UTC datetime (None stays None)."""
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None


def last_purchase(orders: OrderStore) -> tuple[str, str] | None:
    """(email, session_id) of the newest stored order that is not generated demo data."""
    for stored in orders.stored_orders(limit=50):
        if not is_demo(stored.document):
            return stored.document["email"], stored.document["session_id"]
    return None


def _sandbox_steps(settings: Settings, visits: dict, session_id: str) -> list:
    """Hosted page opened, paid, event sent: what only the sandbox saw (real Stripe keeps
    these in its Dashboard, not here)."""
    if settings.stripe_mode != "sandbox":
        where = "Stripe's Dashboard (Payments, Events) has this; this app does not"
        return [Step("Hosted page opened", None, "Stripe Checkout", where),
                Step("Paid", None, "Stripe Checkout", where),
                Step("Event sent", None, "Stripe", where)]
    events = [d for d in recent_deliveries(settings, 100)
              if d.session_id == session_id and d.event_type == COMPLETED]
    event = events[-1] if events else None  # the oldest of them: the first completion
    attempts = event.attempts if event else []
    sent = attempts[0] if attempts else {}
    opened_detail = "" if visits.get("opened") else "not opened in a browser (paid by a test helper)"
    return [
        Step("Hosted page opened", _utc(visits.get("opened")), "stripe_sandbox/hosted_page/routes.py",
             opened_detail),
        Step("Paid", event.created if event else None, "stripe_sandbox/checkout/payments.py",
             f"{COMPLETED} {event.event_id}" if event else "no completion event"),
        Step("Event sent", _utc(sent.get("at")), "stripe_sandbox/events/delivery.py",
             f"HTTP {sent.get('status_code')} in {sent.get('latency_ms', 0):.0f} ms, "
             f"{len(attempts)} attempt(s)" if sent else "not delivered yet"),
    ]


def _fulfilled_from_inbox(inbox: Inbox | None, logged: list) -> InboxEvent | None:
    """The first of these deliveries that the inbox's workers fulfilled, if any."""
    if inbox is None:
        return None
    for entry in logged:
        event = inbox.get(entry.event_id) if entry.event_id else None
        if event is not None and event.state == InboxState.FULFILLED and event.done_at is not None:
            return event
    return None


def build_timeline(settings: Settings, client: stripe.StripeClient, orders: OrderStore,
                   webhook_log: WebhookLog, email: str, session_id: str,
                   inbox: Inbox | None = None) -> list[Step]:
    """Every step of one purchase, in the order it happens."""
    session = client.v1.checkout.sessions.retrieve(session_id)
    steps = [Step("Checkout Session created", _utc(session.created), "lib/checkout/session.py",
                  f"from the Basket page (pages/basket.py), {session_id}")]
    visits: dict = {}
    try:
        if settings.stripe_mode == "sandbox":
            visits = client.raw_request(
                "get", f"/_sandbox/sessions/{quote_plus(session_id)}/visits").data
        steps += _sandbox_steps(settings, visits, session_id)
    except (SandboxError, stripe.StripeError) as exc:
        steps.append(Step("Sandbox records", None, "stripe_sandbox/", f"unavailable: {exc}"))
    logged = webhook_log.for_session(session_id)  # the first delivery first
    first = logged[0] if logged else None
    steps.append(Step(
        "Webhook received and verified",
        first.received_at - timedelta(milliseconds=first.latency_ms) if first else None,
        "webhook_server/__init__.py, lib/webhooks/events.py",
        f"signature {first.signature}, {first.event_type}, {len(logged)} delivery(ies)"
        if first else "no delivery logged for this session"))
    created = next((e for e in logged if e.outcome == "order_created"), None)
    worked = _fulfilled_from_inbox(inbox, logged)
    order = orders.get_order(email, session_id)
    if created is not None:
        steps.append(Step("Order stored", created.received_at, "lib/checkout/fulfilment.py",
                          f"by the webhook, in {store_name(orders)}"))
    elif order and worked is not None:
        # The sidecar answers after the inbox write; a worker stores the order afterwards.
        steps.append(Step("Order stored", worked.done_at, "lib/checkout/fulfilment.py",
                          f"by the webhook's inbox worker (lib/webhooks/workers.py), in "
                          f"{store_name(orders)}"))
    else:
        steps.append(Step("Order stored", None, "lib/checkout/fulfilment.py",
                          f"by the success page, in {store_name(orders)}" if order
                          else "no order stored"))
    returned = visits.get("returned")
    steps.append(Step("Shopper back on the success page", _utc(returned), "pages/success.py",
                      "when the hosted page sent the shopper to success_url" if returned
                      else "not recorded (no browser took this path, or real Stripe)"))
    return steps

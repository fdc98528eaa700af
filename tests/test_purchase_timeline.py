"""The timeline's webhook steps come from the log's lines for the one session, however old."""
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from lib.config.settings import Settings
from lib.presenter.purchase_timeline import build_timeline
from lib.stores.sqlite.orders import SqliteOrderStore
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from lib.stores.webhook_log import LoggedEvent

START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
SESSION = "cs_test_ada"
# Test keys, so the timeline asks the Stripe client only for the session (no sandbox records).
SETTINGS = Settings(stripe_secret_key="sk_test_51AbCdEf")


def line(n: int, session_id: str) -> LoggedEvent:
    """The n-th delivery, n seconds after START: an order created for session_id."""
    return LoggedEvent(received_at=START + timedelta(seconds=n), event_id=f"evt_{n}",
                       event_type="checkout.session.completed", session_id=session_id,
                       signature="valid", outcome="order_created", status=200, latency_ms=20.0,
                       detail="paid")


class OneSessionStripe:
    """The one Stripe call the timeline makes with test keys: retrieve the Checkout Session."""

    def __init__(self, created: int):
        sessions = SimpleNamespace(retrieve=lambda session_id: SimpleNamespace(created=created))
        self.v1 = SimpleNamespace(checkout=SimpleNamespace(sessions=sessions))


def test_a_delivery_older_than_500_other_lines_is_still_on_the_timeline(tmp_path):
    """The old timeline read the newest 500 lines and filtered them: this one fell off.
    SQLite only: both logs' for_session is the contract suite's; 501 emulator writes take 5 s."""
    webhook_log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    orders = SqliteOrderStore(tmp_path / "orders.sqlite3")
    ours = line(1, SESSION)
    try:
        webhook_log.record(ours)
        for n in range(2, 503):
            webhook_log.record(line(n, f"cs_test_other_{n}"))
        steps = {s.name: s for s in build_timeline(
            SETTINGS, OneSessionStripe(int(START.timestamp())), orders, webhook_log,
            "ada@example.com", SESSION)}
    finally:
        orders.close()
        webhook_log.close()
    received = steps["Webhook received and verified"]
    assert received.at == ours.received_at - timedelta(milliseconds=20), received
    assert "signature valid" in received.detail and "1 delivery(ies)" in received.detail
    assert steps["Order stored"].at == ours.received_at

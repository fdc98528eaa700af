"""The Webhook inspector: logged events newest first; a resent event is seen as a duplicate."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest

from harness.waiting import wait_until
from lib.checkout.session import start_checkout
from lib.config.stripe_client import make_stripe_client
from lib.presenter.sandbox_admin import recent_deliveries
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.factory import make_webhook_log
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from lib.stores.webhook_log import LoggedEvent
from tests.environments import environment
from tests.fixtures_pages import open_page

COMPLETED = "checkout.session.completed"


def events_page() -> AppTest:
    """The app, switched to the Webhook inspector and run."""
    return open_page("pages/webhook_inspector.py")


def table(at: AppTest) -> list[dict]:
    """The received-events table as rows."""
    return at.dataframe[0].value.to_dict("records")


def outcomes(log: SqliteWebhookLog) -> list[str]:
    """Logged outcomes, newest first."""
    return [e.outcome for e in log.recent(20)]


def test_logged_events_newest_first(monkeypatch, tmp_path):
    environment(monkeypatch, tmp_path)
    log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    start = datetime.now(UTC) - timedelta(minutes=1)
    log.record(LoggedEvent(start, "evt_first", COMPLETED, "cs_test_1", "valid",
                           "order_created", 200, 41.5, "paid"))
    log.record(LoggedEvent(start + timedelta(seconds=5), "", "", "", "invalid", "rejected", 400,
                           0.8, "signature: no match"))
    at = events_page()
    rows = table(at)
    assert [(r["outcome"], r["signature"]) for r in rows] == [("rejected", "invalid"),
                                                             ("order_created", "valid")]
    assert rows[1]["event id"] == "evt_first" and rows[1]["session id"] == "cs_test_1"
    assert rows[1]["type"] == COMPLETED and rows[1]["latency ms"] == 41.5
    # The sandbox is not running here: the page says so instead of failing.
    assert "does not answer" in at.warning[0].value


def test_resent_event_shows_as_already_recorded(monkeypatch, tmp_path, stack_factory):
    stack = stack_factory()
    environment(monkeypatch, tmp_path, **stack.env, WEBHOOK_URL=stack.sidecar.url)
    settings = stack.settings
    shopper = demo_shopper("Ada Lovelace", "ada@example.com")
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    session = start_checkout(make_stripe_client(settings), Basket({"aurora-kettle": 1}, 1),
                             catalog, shopper, settings)
    log = make_webhook_log(settings)

    at = open_page("pages/webhook_inspector.py", shopper)  # pay from its own "Simulate payment" control
    at.selectbox(key="simulate_session").select(session.id)
    at.button(key="simulate_pay").click().run()
    assert not at.exception and "Paid." in at.success[0].value
    wait_until(lambda: "queued" in outcomes(log))  # answered once it was in the inbox
    event = wait_until(lambda: [d for d in recent_deliveries(settings)
                                if d.event_type == COMPLETED and d.state == "delivered"])[0]

    at.run()
    at.button(key=f"resend_{event.event_id}").click().run()
    assert not at.exception
    wait_until(lambda: outcomes(log)[0] == "already_recorded")
    at.run()
    rows = [r for r in table(at) if r["event id"] == event.event_id]
    assert [r["outcome"] for r in rows] == ["already_recorded", "queued"]
    assert [r["inbox"] for r in rows] == ["fulfilled", "fulfilled"]
    assert all(r["to order ms"] >= 0 for r in rows)
    assert rows[0]["session id"] == session.id and rows[0]["signature"] == "valid"


def test_refused_deliveries_show_as_counts_below_the_real_events(monkeypatch, tmp_path):
    environment(monkeypatch, tmp_path)
    log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    now = datetime.now(UTC)
    log.record(LoggedEvent(now, "evt_real", COMPLETED, "cs_test_1", "valid", "order_created",
                           200, 12.0, "paid"))
    minute = now.replace(second=0, microsecond=0)
    for _ in range(300):
        log.count_rejected(minute, "rejected: signature missing",
                           LoggedEvent(now, "", "", "", "missing", "rejected", 400, 0.5,
                                       "signature: missing"))
    at = events_page()
    assert [r["event id"] for r in table(at)] == ["evt_real"]
    counts = at.dataframe[1].value.to_dict("records")
    assert [(c["reason"], c["count"]) for c in counts] == [("rejected: signature missing", 300)]


def test_the_sandbox_dashboard_is_linked_from_the_inspector(monkeypatch, tmp_path):
    environment(monkeypatch, tmp_path)
    at = events_page()
    [link] = at.get("link_button")
    assert link.proto.url.startswith("http://127.0.0.1:") and link.proto.url.endswith("/dashboard")
    assert "Dashboard" in link.proto.label

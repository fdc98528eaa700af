"""Unsigned junk posted to /webhook in bulk: counted, bounded, and never hiding real events."""
from harness.webhook_signing import checkout_event, signed
from lib.config.settings import build_settings
from lib.setup_check import check_last_event
from lib.stores.sqlite.orders import SqliteOrderStore
from lib.stores.sqlite.webhook_log import SqliteWebhookLog

SECRET = "whsec_test_secret_for_the_flood"


def test_300_unsigned_posts_leave_the_real_event_in_view_and_one_row_per_reason(tmp_path, sidecar_app):
    settings = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": SECRET})
    log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    app = sidecar_app(settings, store=SqliteOrderStore(tmp_path / "orders.sqlite3"),
                      stripe_client=object(), event_log=log)
    client = app.test_client()
    real = checkout_event("cs_test_real", event_type="checkout.session.expired")
    body, headers = signed(real, SECRET)
    assert client.post("/webhook", data=body, headers=headers).status_code == 200
    junk, _ = signed(checkout_event("cs_test_junk"), SECRET)
    for n in range(300):
        extra = {"Stripe-Signature": f"t=1,v1={n:064x}"} if n % 2 else {}
        assert client.post("/webhook", data=junk, headers=extra).status_code == 400

    lines = log.recent(1000)
    assert [e.event_id for e in lines] == [real["id"]]  # the real event, and nothing else
    counts = {c.reason: c.count for c in log.rejected()}
    assert sum(counts.values()) == 300 and len(log.rejected()) <= 4  # a row per reason per minute
    assert set(counts) == {"rejected: signature missing", "rejected: signature invalid"}
    # The Setup check still tells a learner that deliveries are being refused.
    check = check_last_event(settings, log, lambda: lines[0].received_at)
    assert check.status == "red" and "refused" in check.message


def test_signed_events_of_unhandled_types_are_counted_not_listed(tmp_path, sidecar_app):
    """An endpoint subscribed to every type gets many the shop has nothing to do with: each is
    answered 200 and counted per minute, and the console shows the first of the minute only."""
    settings = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": SECRET})
    log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    printed = []
    app = sidecar_app(settings, store=SqliteOrderStore(tmp_path / "orders.sqlite3"),
                      stripe_client=object(), event_log=log,
                      say=lambda line, **kwargs: printed.append(line))
    client = app.test_client()
    real = checkout_event("cs_test_real", event_type="checkout.session.expired")
    assert client.post("/webhook", data=signed(real, SECRET)[0],
                       headers=signed(real, SECRET)[1]).status_code == 200
    for n in range(300):
        body, headers = signed(checkout_event(f"cs_test_{n}", event_type=f"customer.kind_{n}"),
                               SECRET)
        assert client.post("/webhook", data=body, headers=headers).status_code == 200

    assert [e.event_id for e in log.recent(1000)] == [real["id"]]
    counts = {c.reason: c.count for c in log.rejected()}
    assert set(counts) == {"ignored: event type not handled"} and sum(counts.values()) == 300
    assert len(log.rejected()) <= 2  # one row a minute (the run may cross a minute's end)
    told = [line for line in printed if line.startswith("webhook <-")]
    assert 2 <= len(told) <= 3  # the real event, then the first unhandled one of each minute
    check = check_last_event(settings, log, lambda: log.rejected()[0].last_at)
    assert check.status == "green" and check.name == "Last webhook"

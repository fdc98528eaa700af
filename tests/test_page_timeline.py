"""The Last purchase page through AppTest: a purchase paid in the hosted page, step by step."""
from harness.waiting import wait_until
from lib.checkout.session import start_checkout
from lib.config.stripe_client import make_stripe_client
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.factory import make_inbox
from lib.stores.inbox import InboxState
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_pages import open_page
from tests.hosted_page import pay_in_the_page

ADA = demo_shopper("Ada Lovelace", "ada@example.com")
STEPS = ["Checkout Session created", "Hosted page opened", "Paid", "Event sent",
         "Webhook received and verified", "Order stored", "Shopper back on the success page"]


def test_every_step_with_its_time_and_file(stack_factory, app_env, monkeypatch):
    stack = stack_factory({"ORDER_STORE": "sqlite"})
    for name, value in stack.env.items():
        monkeypatch.setenv(name, value)
    settings = stack.settings
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    session = start_checkout(make_stripe_client(settings), Basket({"aurora-kettle": 1}, 1),
                             catalog, ADA, settings)
    assert pay_in_the_page(session.url).status_code == 303
    store = SqliteOrderStore(settings.data_dir / "orders.sqlite3")
    inbox = make_inbox(settings)
    try:
        wait_until(lambda: store.get_order(ADA.email, session.id))
        # The sidecar's worker marks its inbox event fulfilled just after it stores the order.
        wait_until(lambda: any(e.session_id == session.id and e.state == InboxState.FULFILLED
                               for e in inbox.recent(50)))
    finally:
        store.close()
        inbox.close()
    at = open_page("pages/timeline.py")
    assert at.code[0].value == f"{ADA.email} · {session.id}"
    rows = at.dataframe[0].value.to_dict("records")
    assert [r["step"] for r in rows] == STEPS
    assert all(r["time (UTC)"] != "not recorded" for r in rows), rows
    files = {r["step"]: r["handled by"] for r in rows}
    assert files["Checkout Session created"] == "lib/checkout/session.py"
    assert files["Order stored"] == "lib/checkout/fulfilment.py"
    assert files["Shopper back on the success page"] == "pages/success.py"
    assert "signature valid" in rows[4]["detail"] and "by the webhook" in rows[5]["detail"]
    assert rows[-1]["after"].startswith("+") and rows[-1]["time (UTC)"] >= rows[0]["time (UTC)"]


def test_no_purchase_yet(app_env):
    at = open_page("pages/timeline.py")
    assert "No purchase yet" in at.info[0].value

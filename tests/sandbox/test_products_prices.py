"""Products and Prices through the unmodified SDK, checked against its types; sessions selling a Price by id."""
from decimal import Decimal

import pytest
import stripe

from tests.fixtures_sandbox import complete_session, session_params


def declared_only(obj, resource) -> None:
    """Every field the sandbox returned is one the SDK's resource class declares."""
    assert set(obj.to_dict()) - set(resource.__annotations__) == set()


def new_product(client, **params) -> stripe.Product:
    """A product named Kettle unless params say otherwise."""
    return client.v1.products.create(params={"name": "Kettle", **params})


def test_create_retrieve_update_a_product(sandbox_client):
    product = new_product(sandbox_client, description="Copper, 1.2 l", images=["https://example.com/k.png"],
                          metadata={"sku": "K-1"})
    assert isinstance(product, stripe.Product) and product.id.startswith("prod_")
    assert (product.active, product.default_price, product.livemode) == (True, None, False)
    declared_only(product, stripe.Product)
    assert sandbox_client.v1.products.retrieve(product.id).description == "Copper, 1.2 l"
    updated = sandbox_client.v1.products.update(product.id, params={
        "active": False, "metadata": {"sku": "", "colour": "copper"}, "name": "Copper kettle"})
    assert (updated.active, updated.name) == (False, "Copper kettle")
    assert updated.metadata.to_dict() == {"colour": "copper"}


def test_custom_product_ids_are_unique(sandbox_client):
    product = new_product(sandbox_client, id="shop-kettle-1")
    assert product.id == "shop-kettle-1"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        new_product(sandbox_client, id="shop-kettle-1")
    assert caught.value.code == "resource_already_exists"


def test_prices_one_time_in_the_shops_currencies(sandbox_client):
    product = new_product(sandbox_client)
    for currency, amount in (("inr", 499900), ("usd", 5999), ("jpy", 8980)):
        price = sandbox_client.v1.prices.create(params={
            "product": product.id, "currency": currency, "unit_amount": amount,
            "lookup_key": f"kettle-{product.id}-{currency}"})
        assert isinstance(price, stripe.Price) and price.id.startswith("price_")
        assert (price.type, price.unit_amount, price.currency, price.product) == (
            "one_time", amount, currency, product.id)
        assert price.unit_amount_decimal == Decimal(amount)  # the SDK decodes Stripe's decimal string
        declared_only(price, stripe.Price)
    listed = sandbox_client.v1.prices.list(params={"product": product.id})
    assert sorted(p.currency for p in listed.data) == ["inr", "jpy", "usd"]
    expanded = sandbox_client.v1.prices.retrieve(listed.data[0].id, params={"expand": ["product"]})
    assert isinstance(expanded.product, stripe.Product) and expanded.product.name == "Kettle"


def test_list_prices_by_lookup_keys_and_active(sandbox_client):
    product = new_product(sandbox_client)
    keys = [f"{product.id}-{i}" for i in range(3)]
    prices = [sandbox_client.v1.prices.create(params={"product": product.id, "currency": "gbp",
                                                      "unit_amount": 100 * (i + 1), "lookup_key": key})
              for i, key in enumerate(keys)]
    found = sandbox_client.v1.prices.list(params={"lookup_keys": keys[:2], "expand": ["data.product"]})
    assert {p.id for p in found.data} == {prices[0].id, prices[1].id}
    assert all(p.product.id == product.id for p in found.data)
    sandbox_client.v1.prices.update(prices[2].id, params={"active": False})
    active = sandbox_client.v1.prices.list(params={"product": product.id, "active": True})
    assert prices[2].id not in {p.id for p in active.data} and len(active.data) == 2
    inactive = sandbox_client.v1.prices.list(params={"product": product.id, "active": False})
    assert [p.id for p in inactive.data] == [prices[2].id]
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.prices.list(params={"lookup_keys": [f"k{i}" for i in range(11)]})
    assert caught.value.param == "lookup_keys"


def test_a_lookup_key_belongs_to_one_price_unless_transferred(sandbox_client):
    product = new_product(sandbox_client)
    key = f"{product.id}-standard"
    first = sandbox_client.v1.prices.create(params={"product": product.id, "currency": "eur",
                                                    "unit_amount": 500, "lookup_key": key})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.prices.create(params={"product": product.id, "currency": "eur",
                                                "unit_amount": 600, "lookup_key": key})
    assert caught.value.param == "lookup_key" and first.id in str(caught.value)
    second = sandbox_client.v1.prices.create(params={"product": product.id, "currency": "eur", "unit_amount": 600,
                                                     "lookup_key": key, "transfer_lookup_key": True})
    assert sandbox_client.v1.prices.retrieve(first.id).lookup_key is None
    assert [p.id for p in sandbox_client.v1.prices.list(params={"lookup_keys": [key]}).data] == [second.id]


def test_default_price_data_and_expand(sandbox_client):
    product = new_product(sandbox_client, default_price_data={"currency": "usd", "unit_amount": 2500})
    assert product.default_price.startswith("price_")
    expanded = sandbox_client.v1.products.retrieve(product.id, params={"expand": ["default_price"]})
    assert isinstance(expanded.default_price, stripe.Price) and expanded.default_price.unit_amount == 2500
    listed = sandbox_client.v1.products.list(params={"ids": [product.id], "expand": ["data.default_price"]})
    assert listed.data[0].default_price.id == product.default_price
    with pytest.raises(stripe.InvalidRequestError) as caught:
        new_product(sandbox_client, default_price_data={"currency": "usd"})
    assert caught.value.param == "default_price_data[unit_amount]"


def test_list_products_by_active_and_ids(sandbox_client):
    keep, archived = new_product(sandbox_client), new_product(sandbox_client)
    sandbox_client.v1.products.update(archived.id, params={"active": False})
    both = sandbox_client.v1.products.list(params={"ids": [keep.id, archived.id]})
    assert {p.id for p in both.data} == {keep.id, archived.id}
    active = sandbox_client.v1.products.list(params={"ids": [keep.id, archived.id], "active": True})
    assert [p.id for p in active.data] == [keep.id]
    walked = list(sandbox_client.v1.products.list(params={"limit": 2}).auto_paging_iter())
    assert {keep.id, archived.id} <= {p.id for p in walked}


def test_delete_only_a_product_without_prices(sandbox_client):
    lonely = new_product(sandbox_client)
    deleted = sandbox_client.v1.products.delete(lonely.id)
    assert deleted.deleted is True
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.products.retrieve(lonely.id)
    assert caught.value.http_status == 404
    priced = new_product(sandbox_client, default_price_data={"currency": "usd", "unit_amount": 100})
    with pytest.raises(stripe.InvalidRequestError):
        sandbox_client.v1.products.delete(priced.id)


BAD_PRICES = {
    "recurring (not implemented)": ({"recurring": {"interval": "month"}}, "recurring"),
    "no currency": ({"currency": None}, "currency"),
    "bad currency": ({"currency": "xyz"}, "currency"),
    "negative amount": ({"unit_amount": -1}, "unit_amount"),
    "unknown product": ({"product": "prod_missing"}, "product"),
    "lookup key too long": ({"lookup_key": "k" * 201}, "lookup_key"),
    "unknown tax behavior": ({"tax_behavior": "maybe"}, "tax_behavior"),
}


@pytest.mark.parametrize("overrides,param", BAD_PRICES.values(), ids=BAD_PRICES.keys())
def test_bad_price_params_are_400s_naming_the_param(sandbox_client, overrides, param):
    product = new_product(sandbox_client)
    params = {"product": product.id, "currency": "usd", "unit_amount": 100, **overrides}
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.prices.create(params={k: v for k, v in params.items() if v is not None})
    assert caught.value.http_status in (400, 404) and caught.value.param == param


def test_checkout_with_a_price_id_as_stripes_docs_show(sandbox_client):
    product = new_product(sandbox_client, images=["https://example.com/k.png"])
    price = sandbox_client.v1.prices.create(params={"product": product.id, "currency": "usd", "unit_amount": 4200})
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        line_items=[{"price": price.id, "quantity": 2}]))
    assert (session.amount_subtotal, session.currency) == (8400, "usd")
    items = sandbox_client.v1.checkout.sessions.line_items.list(session.id, params={"expand": ["data.price.product"]})
    item = items.data[0]
    assert (item.price.id, item.description, item.quantity) == (price.id, "Kettle", 2)
    assert item.price.product.id == product.id and item.price.product.images == ["https://example.com/k.png"]
    assert set(item.to_dict()["price"]) <= set(stripe.Price.__annotations__)
    paid = complete_session(sandbox_client, session.id)
    assert (paid.status, paid.amount_total) == ("complete", 8400)


def test_inactive_unknown_or_mixed_prices_are_refused_in_sessions(sandbox_client):
    product = new_product(sandbox_client)
    usd = sandbox_client.v1.prices.create(params={"product": product.id, "currency": "usd", "unit_amount": 100})
    eur = sandbox_client.v1.prices.create(params={"product": product.id, "currency": "eur", "unit_amount": 100})
    cases = [([{"price": "price_missing", "quantity": 1}], "line_items[0][price]"),
             ([{"price": usd.id, "quantity": 1}, {"price": eur.id, "quantity": 1}], "line_items[1][price]"),
             ([{"price": usd.id, "price_data": {"currency": "usd"}, "quantity": 1}], "line_items[0]")]
    sandbox_client.v1.prices.update(eur.id, params={"active": False})
    cases.append(([{"price": eur.id, "quantity": 1}], "line_items[0][price]"))
    for line_items, param in cases:
        with pytest.raises(stripe.InvalidRequestError) as caught:
            sandbox_client.v1.checkout.sessions.create(params=session_params(line_items=line_items))
        assert caught.value.param == param

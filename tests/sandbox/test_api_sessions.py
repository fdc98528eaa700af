"""The real SDK against a real sandbox process: create, retrieve, line items, list, expire, shipping rates."""
import stripe

from tests.fixtures_sandbox import session_params
from tests.sdk_types import undeclared_fields

SHIPPING = [
    {"shipping_rate_data": {"display_name": "Standard", "type": "fixed_amount",
                            "fixed_amount": {"amount": 500, "currency": "usd"},
                            "delivery_estimate": {"minimum": {"unit": "business_day", "value": 3},
                                                  "maximum": {"unit": "business_day", "value": 5}}}},
    {"shipping_rate_data": {"display_name": "Express", "fixed_amount": {"amount": 1500, "currency": "usd"}}},
]


def test_create_returns_an_open_session_with_stripe_shapes(sandbox, sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        customer_email="ada@example.com", client_reference_id="basket-1", metadata={"basket_id": "b1"},
        shipping_address_collection={"allowed_countries": ["US", "GB"]}, shipping_options=SHIPPING))
    assert isinstance(session, stripe.checkout.Session)
    assert session.id.startswith("cs_test_") and len(session.id) == len("cs_test_") + 58
    assert session.object == "checkout.session" and session.mode == "payment"
    assert (session.status, session.payment_status, session.livemode) == ("open", "unpaid", False)
    assert session.amount_subtotal == 2 * 1500 + 899
    # The first shipping option is preselected and included in the total, as on Stripe.
    assert session.shipping_cost.amount_total == 500
    assert session.total_details.amount_shipping == 500
    assert session.amount_total == 3899 + 500
    assert [o.shipping_amount for o in session.shipping_options] == [500, 1500]
    assert session.shipping_options[0].shipping_rate.startswith("shr_")
    assert session.url == f"{sandbox.url}/pay/{session.id}"
    assert session.metadata.to_dict() == {"basket_id": "b1"} and session.client_reference_id == "basket-1"
    assert session.customer_email == "ada@example.com"
    assert session.success_url.endswith("session_id={CHECKOUT_SESSION_ID}")
    assert session.shipping_address_collection.allowed_countries == ["US", "GB"]
    assert session.expires_at - session.created == 24 * 3600
    assert session.payment_intent is None and session.customer_details is None
    assert "line_items" not in session


def test_retrieve_with_expand_gives_typed_line_items(sandbox_client):
    created = sandbox_client.v1.checkout.sessions.create(params=session_params())
    session = sandbox_client.v1.checkout.sessions.retrieve(
        created.id, params={"expand": ["line_items", "line_items.data.price.product"]})
    items = session.line_items
    assert isinstance(items, stripe.ListObject) and items.has_more is False
    assert all(isinstance(item, stripe.LineItem) for item in items.data)
    mug = items.data[0]
    assert (mug.description, mug.quantity, mug.amount_subtotal, mug.currency) == ("Enamel mug", 2, 3000, "usd")
    assert mug.price.unit_amount == 1500
    assert mug.price.product.images == ["https://example.com/mug.png"]
    plain = sandbox_client.v1.checkout.sessions.retrieve(created.id)
    assert "line_items" not in plain


def test_line_items_paginate(sandbox_client):
    items = [{"price_data": {"currency": "eur", "unit_amount": 100 + i, "product_data": {"name": f"Item {i}"}},
              "quantity": 1} for i in range(12)]
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(line_items=items))
    first = sandbox_client.v1.checkout.sessions.line_items.list(session.id, params={"limit": 5})
    assert [li.description for li in first.data] == [f"Item {i}" for i in range(5)] and first.has_more
    second = sandbox_client.v1.checkout.sessions.line_items.list(
        session.id, params={"limit": 5, "starting_after": first.data[-1].id})
    assert [li.description for li in second.data] == [f"Item {i}" for i in range(5, 10)] and second.has_more
    walked = list(sandbox_client.v1.checkout.sessions.line_items.list(
        session.id, params={"limit": 5}).auto_paging_iter())
    assert len(walked) == 12 and walked[-1].description == "Item 11"
    expanded = sandbox_client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["line_items"]})
    assert len(expanded.line_items.data) == 10 and expanded.line_items.has_more


def test_list_sessions_newest_first_with_limit(sandbox_client):
    ids = [sandbox_client.v1.checkout.sessions.create(params=session_params()).id for _ in range(3)]
    page = sandbox_client.v1.checkout.sessions.list(params={"limit": 2})
    assert [s.id for s in page.data] == ids[::-1][:2] and page.has_more
    following = sandbox_client.v1.checkout.sessions.list(params={"limit": 1, "starting_after": ids[1]})
    assert following.data[0].id == ids[0]


def test_expire_an_open_session_then_refuse_again(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params())
    expired = sandbox_client.v1.checkout.sessions.expire(session.id)
    assert (expired.status, expired.url) == ("expired", None)
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).status == "expired"
    try:
        sandbox_client.v1.checkout.sessions.expire(session.id)
    except stripe.InvalidRequestError as exc:
        assert "status of `expired`" in str(exc)
    else:
        raise AssertionError("expiring twice should fail")


def test_shipping_rate_ids_work_in_sessions(sandbox_client):
    rate = sandbox_client.v1.shipping_rates.create(params={
        "display_name": "Parcel", "type": "fixed_amount", "fixed_amount": {"amount": 450, "currency": "gbp"}})
    assert isinstance(rate, stripe.ShippingRate) and rate.id.startswith("shr_")
    assert sandbox_client.v1.shipping_rates.retrieve(rate.id).fixed_amount.amount == 450
    assert rate.id in [r.id for r in sandbox_client.v1.shipping_rates.list().data]
    items = [{"price_data": {"currency": "gbp", "unit_amount": 1000, "product_data": {"name": "Tea"}}, "quantity": 1}]
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        line_items=items, shipping_options=[{"shipping_rate": rate.id}]))
    assert session.shipping_cost.shipping_rate == rate.id and session.amount_total == 1450
    expanded = sandbox_client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["shipping_cost.shipping_rate"]})
    assert expanded.shipping_cost.shipping_rate.display_name == "Parcel"


def test_unknown_ids_and_routes_are_stripe_404s(sandbox, sandbox_client):
    try:
        sandbox_client.v1.checkout.sessions.retrieve("cs_test_nope")
    except stripe.InvalidRequestError as exc:
        assert exc.http_status == 404 and exc.code == "resource_missing"
    else:
        raise AssertionError("expected a 404")
    import requests

    response = requests.get(f"{sandbox.url}/v1/nothing_here", auth=(sandbox.api_key, ""))
    assert response.status_code == 404 and response.json()["error"]["type"] == "invalid_request_error"


def test_fidelity_every_returned_field_is_declared_on_the_sdk_resource(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        shipping_address_collection={"allowed_countries": ["US"]}, shipping_options=SHIPPING))
    declared = set(stripe.checkout.Session.__annotations__)
    from tests.fixtures_sandbox import complete_session

    paid = complete_session(sandbox_client, session.id)
    expanded = sandbox_client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["line_items"]})
    for obj in (session, paid, expanded):
        assert set(obj.to_dict()) - declared == set()
    paid_dict, item = paid.to_dict(), expanded.to_dict()["line_items"]["data"][0]
    assert set(paid_dict["customer_details"]) <= set(stripe.checkout.Session.CustomerDetails.__annotations__)
    assert set(paid_dict["collected_information"]) <= set(
        stripe.checkout.Session.CollectedInformation.__annotations__)
    assert set(item) <= set(stripe.LineItem.__annotations__)
    assert set(item["price"]) <= set(stripe.Price.__annotations__)


def test_price_data_keeps_tax_behavior_tax_code_unit_label_and_the_line_items_metadata(sandbox_client):
    kept = {"price_data": {"currency": "usd", "unit_amount": 1500, "tax_behavior": "exclusive",
                           "product_data": {"name": "Enamel mug", "tax_code": "txcd_99999999", "unit_label": "mug"}},
            "quantity": 2, "metadata": {"sku": "MUG-1"}}
    plain = {"price_data": {"currency": "usd", "unit_amount": 899, "product_data": {"name": "Sticker pack"}},
             "quantity": 1}
    created = sandbox_client.v1.checkout.sessions.create(params=session_params(line_items=[kept, plain]))
    session = sandbox_client.v1.checkout.sessions.retrieve(
        created.id, params={"expand": ["line_items", "line_items.data.price.product"]})
    listed = sandbox_client.v1.checkout.sessions.line_items.list(created.id, params={"expand": ["data.price.product"]})
    for items in (session.line_items.data, listed.data):
        mug, stickers = items
        assert mug.metadata.to_dict() == {"sku": "MUG-1"} and stickers.metadata.to_dict() == {}
        assert (mug.price.tax_behavior, stickers.price.tax_behavior) == ("exclusive", "unspecified")
        assert (mug.price.product.tax_code, mug.price.product.unit_label) == ("txcd_99999999", "mug")
        assert (stickers.price.product.tax_code, stickers.price.product.unit_label) == (None, None)
        # A product made from product_data is a whole product: marketing_features is always there.
        assert mug.price.product.marketing_features == [] == stickers.price.product.marketing_features
        assert set(stripe.Product.__annotations__) - set(mug.price.product.to_dict()) <= {
            "OBJECT_NAME", "deleted", "tax_details"}
    assert undeclared_fields(session.to_dict(), stripe.checkout.Session) == []
    assert undeclared_fields(listed.to_dict(), stripe.LineItem) == []

"""Every validation case answers a Stripe-style 400 naming the param, so the SDK raises InvalidRequestError."""
import pytest
import requests
import stripe

from tests.fixtures_sandbox import session_params


def item(**price_data) -> dict:
    """One line item whose price_data fields can be overridden (None removes one)."""
    data = {"currency": "usd", "unit_amount": 1000, "product_data": {"name": "Mug"}, **price_data}
    return {"price_data": {k: v for k, v in data.items() if v is not None}, "quantity": 1}


CASES = {
    "non-integer unit_amount": (dict(line_items=[item(unit_amount="12.5")]),
                                "line_items[0][price_data][unit_amount]"),
    "negative unit_amount": (dict(line_items=[item(unit_amount=-1)]), "line_items[0][price_data][unit_amount]"),
    "unknown currency": (dict(line_items=[item(currency="xyz")]), "line_items[0][price_data][currency]"),
    "mixed currencies": (dict(line_items=[item(), item(currency="eur")]), "line_items[1][price_data][currency]"),
    "missing unit_amount": (dict(line_items=[item(unit_amount=None)]), "line_items[0][price_data][unit_amount]"),
    "missing product name": (dict(line_items=[item(product_data={"description": "x"})]),
                             "line_items[0][price_data][product_data][name]"),
    "zero quantity": (dict(line_items=[{**item(), "quantity": 0}]), "line_items[0][quantity]"),
    "missing line_items": (dict(line_items=None), "line_items"),
    "missing success_url": (dict(success_url=None), "success_url"),
    "missing mode": (dict(mode=None), "mode"),
    "bad mode": (dict(mode="donation"), "mode"),
    "unknown top-level param": (dict(colour="blue"), "colour"),
    "unknown nested param": (dict(line_items=[{**item(), "flavour": "x"}]), "line_items[0][flavour]"),
    "unimplemented Stripe param": (dict(automatic_tax={"enabled": True}), "automatic_tax"),
    "bad success_url": (dict(success_url="not a url"), "success_url"),
    "ftp cancel_url": (dict(cancel_url="ftp://example.com/x"), "cancel_url"),
    "bad image URL": (dict(line_items=[item(product_data={"name": "M", "images": ["nope"]})]),
                      "line_items[0][price_data][product_data][images][0]"),
    "bad email": (dict(customer_email="not-an-email"), "customer_email"),
    "too many metadata keys": (dict(metadata={f"k{i}": "v" for i in range(51)}), "metadata"),
    "metadata key too long": (dict(metadata={"k" * 41: "v"}), "metadata[" + "k" * 41 + "]"),
    "metadata value too long": (dict(metadata={"note": "v" * 501}), "metadata[note]"),
    "product metadata value too long": (
        dict(line_items=[item(product_data={"name": "M", "metadata": {"a": "v" * 501}})]),
        "line_items[0][price_data][product_data][metadata][a]"),
    "unknown price_data tax_behavior": (dict(line_items=[item(tax_behavior="maybe")]),
                                        "line_items[0][price_data][tax_behavior]"),
    "malformed product tax_code": (dict(line_items=[item(product_data={"name": "M", "tax_code": "food"})]),
                                   "line_items[0][price_data][product_data][tax_code]"),
    "product unit_label too long": (dict(line_items=[item(product_data={"name": "M", "unit_label": "u" * 13})]),
                                    "line_items[0][price_data][product_data][unit_label]"),
    "line item metadata value too long": (dict(line_items=[{**item(), "metadata": {"sku": "v" * 501}}]),
                                          "line_items[0][metadata][sku]"),
    "unknown country": (dict(shipping_address_collection={"allowed_countries": ["US", "QQ"]}),
                        "shipping_address_collection[allowed_countries][1]"),
    "unknown shipping rate": (dict(shipping_options=[{"shipping_rate": "shr_missing"}]),
                              "shipping_options[0][shipping_rate]"),
    "shipping in another currency": (
        dict(shipping_options=[{"shipping_rate_data": {"display_name": "S", "type": "fixed_amount",
                                                       "fixed_amount": {"amount": 1, "currency": "eur"}}}]),
        "shipping_options[0]"),
    "expires_at too soon": (dict(expires_at=1), "expires_at"),
    "fractional ISK": (dict(line_items=[item(currency="isk", unit_amount=4010)]),
                       "line_items[0][price_data][unit_amount]"),
    "KWD amount not ending in 0": (dict(line_items=[item(currency="kwd", unit_amount=5124)]),
                                   "line_items[0][price_data][unit_amount]"),
    "fractional ISK shipping": (
        dict(line_items=[item(currency="isk", unit_amount=4000)],
             shipping_options=[{"shipping_rate_data": {
                 "display_name": "S", "type": "fixed_amount",
                 "fixed_amount": {"amount": 150, "currency": "isk"}}}]),
        "shipping_options[0][shipping_rate_data][fixed_amount][amount]"),
}


@pytest.mark.parametrize("overrides,param", CASES.values(), ids=CASES.keys())
def test_invalid_create_params_name_the_param(sandbox_client, overrides, param):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.checkout.sessions.create(params=session_params(**overrides))
    assert caught.value.http_status == 400
    assert caught.value.param == param
    assert caught.value.json_body["error"]["type"] == "invalid_request_error"


def test_metadata_at_the_limits_is_accepted(sandbox_client):
    metadata = {f"{i:02d}" + "k" * 38: "v" * 500 for i in range(50)}
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(metadata=metadata))
    assert len(session.metadata.to_dict()) == 50


def test_zero_decimal_currency_and_free_items_are_fine(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        line_items=[item(currency="JPY", unit_amount=500), item(currency="jpy", unit_amount=0)]))
    assert (session.currency, session.amount_total) == ("jpy", 500)


def test_whole_isk_and_kwd_ending_in_zero_are_charged(sandbox_client):
    isk = sandbox_client.v1.checkout.sessions.create(params=session_params(
        line_items=[item(currency="isk", unit_amount=4000)]))
    kwd = sandbox_client.v1.checkout.sessions.create(params=session_params(
        line_items=[item(currency="kwd", unit_amount=5120)]))
    assert (isk.amount_total, kwd.amount_total) == (4000, 5120)


def test_fractional_isk_gets_stripes_error_code(sandbox_client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.checkout.sessions.create(params=session_params(
            line_items=[item(currency="isk", unit_amount=4010)]))
    assert caught.value.code == "invalid_charge_amount_no_decimal_compatible"
    assert "evenly divisible by 100" in caught.value.user_message


def test_health_and_hosted_page_need_no_key(sandbox):
    assert requests.get(sandbox.url + "/healthz").json() == {"ok": True}
    assert requests.get(sandbox.url + "/pay/cs_test_unknown").status_code == 404

"""Checkout Session parameters: checked against the SDK's own types and Stripe's limits."""
import json
import types
import typing
from decimal import Decimal

import pytest
import stripe
import typing_extensions
from stripe.params.checkout import SessionCreateParams

from lib.checkout.session import (
    CheckoutError,
    build_session_params,
    explain,
    idempotency_key,
    image_urls,
)
from lib.checkout.shipping import plan_for
from lib.config.settings import build_settings
from lib.shop.basket import MAX_QUANTITY, Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper, guest

SHOPPER = demo_shopper("Ada Lovelace", "ada@example.com")
BANK = "pebblecell-power-bank"        # INR 1299.00
BOARD = "cedarline-chopping-board"    # INR 749.00
ROPE = "comet-skipping-rope"          # INR 349.50


@pytest.fixture(scope="module")
def inr(shipped_catalog):
    """The shipped catalog in INR."""
    return shipped_catalog("INR")


@pytest.fixture(scope="module")
def sandbox():
    return build_settings({})


# --- Checking a value against the SDK's TypedDicts ----------------------------------------

# SessionCreateParams inherits RequestOptions' keys, whose annotations name things that its own
# module does not import (StripeContext only under TYPE_CHECKING, Mapping, ...): supply them,
# from the SDK's public names only.
_NAMES = {"StripeContext": stripe.StripeContext, "Mapping": typing.Mapping,
          "Optional": typing.Optional, "Any": typing.Any, "Tuple": tuple}


def _hints(typed_dict) -> dict:
    return typing.get_type_hints(typed_dict, localns=_NAMES)


def conforms(value, tp, path="params") -> list[str]:
    """Every way value fails to be a tp, as 'path: why' strings (empty when it conforms)."""
    if typing_extensions.is_typeddict(tp):
        if not isinstance(value, dict):
            return [f"{path}: expected a {tp.__name__} dict, got {value!r}"]
        hints = _hints(tp)
        errors = [f"{path}.{key}: not a key of {tp.__name__}" for key in value if key not in hints]
        errors += [f"{path}.{key}: required by {tp.__name__} but missing"
                   for key in tp.__required_keys__ if key not in value]
        for key in value:
            if key in hints:
                errors += conforms(value[key], hints[key], f"{path}.{key}")
        return errors
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        tries = [conforms(value, arm, path) for arm in args]
        return [] if any(not t for t in tries) else min(tries, key=len)
    if origin is typing_extensions.Literal or origin is typing.Literal:
        return [] if value in args else [f"{path}: {value!r} not in {args}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {value!r}"]
        return [e for i, item in enumerate(value) for e in conforms(item, args[0], f"{path}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{path}: expected a dict, got {value!r}"]
        return [e for k, v in value.items()
                for e in conforms(k, args[0], f"{path} key") + conforms(v, args[1], f"{path}[{k}]")]
    if tp is typing.Any:
        return []
    if origin is not None:  # e.g. UntypedStripeObject[str]: we never send those
        return [f"{path}: we do not send {tp}"]
    if tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp is Decimal:
        ok = isinstance(value, Decimal)
    else:
        ok = isinstance(value, tp)
    return [] if ok else [f"{path}: expected {tp.__name__}, got {value!r}"]


def test_the_checker_catches_unknown_keys_and_wrong_types(inr, sandbox):
    params = build_session_params(Basket({BANK: 1}, 1), inr, SHOPPER, sandbox)
    params["line_items"][0]["price_data"]["unit_amount"] = "129900"
    params["line_items"][0]["price_data"]["unit_amont"] = 1
    params["mode"] = True
    errors = conforms(params, SessionCreateParams)
    assert any("unit_amount: expected int" in e for e in errors)
    assert any("unit_amont: not a key" in e for e in errors)
    assert any(e.startswith("params.mode") for e in errors)
    line_item = typing.get_args(_hints(SessionCreateParams)["line_items"])[0]
    assert conforms({"price_data": {"unit_amount": 5}}, line_item) == [
        "params.price_data.currency: required by SessionCreateParamsLineItemPriceData but missing"]


def all_metadata(value):
    """Every metadata mapping anywhere in the parameters."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "metadata":
                yield item
            else:
                yield from all_metadata(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_metadata(item)


# --- build_session_params ---------------------------------------------------------------

def test_params_conform_to_the_sdk_types(inr, sandbox):
    params = build_session_params(Basket({BANK: 2, ROPE: 1}, 3), inr, SHOPPER, sandbox)
    assert conforms(params, SessionCreateParams) == []
    assert params["mode"] == "payment"
    assert params["customer_email"] == "ada@example.com"
    assert params["success_url"] == "http://localhost:8501/success?session_id={CHECKOUT_SESSION_ID}"
    assert params["cancel_url"] == "http://localhost:8501/basket"
    assert params["metadata"] == {"email": "ada@example.com", "basket_version": "3"}
    assert params["shipping_address_collection"] == {"allowed_countries": ["IN", "GB", "US", "CA"]}
    json.dumps(params)  # plain data only


def test_stripe_returns_the_shopper_to_the_origin_they_use(inr, sandbox):
    """The page passes lib.config.origins.return_origin's answer: success and cancel go there, and
    the same basket from another origin is another session (another idempotency key)."""
    basket = Basket({BANK: 1}, 1)
    params = build_session_params(basket, inr, SHOPPER, sandbox, "http://127.0.0.1:8501")
    assert params["success_url"] == "http://127.0.0.1:8501/success?session_id={CHECKOUT_SESSION_ID}"
    assert params["cancel_url"] == "http://127.0.0.1:8501/basket"
    images = [i["price_data"]["product_data"]["images"][0] for i in params["line_items"]]
    assert all(url.startswith("http://127.0.0.1:8501/app/static/products/") for url in images)
    default = build_session_params(basket, inr, SHOPPER, sandbox)
    assert idempotency_key(SHOPPER, basket, params) != idempotency_key(SHOPPER, basket, default)


@pytest.mark.parametrize("currency", ["INR", "USD", "JPY"])
def test_unit_amounts_are_the_catalog_integers(currency, sandbox, shipped_catalog):
    catalog = shipped_catalog(currency)
    basket = Basket({BANK: 2, ROPE: 3})
    params = build_session_params(basket, catalog, SHOPPER, sandbox)
    sent = {item["price_data"]["product_data"]["metadata"]["product_id"]:
            (item["price_data"]["unit_amount"], item["quantity"], item["price_data"]["currency"])
            for item in params["line_items"]}
    assert sent == {BANK: (catalog.get(BANK).price, 2, currency.lower()),
                    ROPE: (catalog.get(ROPE).price, 3, currency.lower())}
    assert all(type(amount) is int for amount, _, _ in sent.values())
    if currency == "INR":
        assert sent[BANK][0] == 129900 and sent[ROPE][0] == 34950


def test_a_basket_of_every_product_stays_within_stripes_limits(inr, sandbox):
    basket = Basket({p.id: MAX_QUANTITY for p in inr.products}, 99)
    params = build_session_params(basket, inr, SHOPPER, sandbox)
    assert conforms(params, SessionCreateParams) == []
    assert len(params["line_items"]) == len(inr.products) <= 100
    found = list(all_metadata(params))
    assert len(found) == len(inr.products) + 1
    for metadata in found:
        assert len(metadata) <= 50
        for key, value in metadata.items():
            assert isinstance(value, str)
            assert len(key) <= 40 and len(value) <= 500


def test_products_no_longer_sold_are_left_out(inr, sandbox):
    params = build_session_params(Basket({"retired": 1, BANK: 1}), inr, SHOPPER, sandbox)
    assert len(params["line_items"]) == 1


def test_images_are_local_only_in_sandbox_mode(inr, sandbox):
    product = inr.get(BANK)
    params = build_session_params(Basket({BANK: 1}), inr, SHOPPER, sandbox)
    images = params["line_items"][0]["price_data"]["product_data"]["images"]
    assert images == [f"http://localhost:8501/app/static/products/{product.image}"]

    test_mode = build_settings({"STRIPE_SECRET_KEY": "sk_test_1"})
    params = build_session_params(Basket({BANK: 1}), inr, SHOPPER, test_mode)
    assert "images" not in params["line_items"][0]["price_data"]["product_data"]

    public = build_settings({"STRIPE_SECRET_KEY": "sk_test_1", "APP_URL": "https://shop.example"})
    params = build_session_params(Basket({BANK: 1}), inr, SHOPPER, public)
    assert params["line_items"][0]["price_data"]["product_data"]["images"] == [
        f"https://shop.example/app/static/products/{product.image}"]


def test_every_image_url_is_https_or_sandbox_local(inr):
    for settings in (build_settings({}), build_settings({"STRIPE_SECRET_KEY": "sk_test_1"}),
                     build_settings({"APP_URL": "http://shop.example"}),
                     build_settings({"APP_URL": "https://shop.example"})):
        for product in inr.products:
            for url in image_urls(settings, product.image):
                assert url.startswith("https://") or (
                    settings.stripe_mode == "sandbox"
                    and url.startswith(("http://localhost", "http://127.0.0.1")))
    assert image_urls(build_settings({"APP_URL": "http://shop.example"}), "x.svg") == []
    assert image_urls(build_settings({}), "a b.svg")[0].endswith("/a%20b.svg")


def _shipping(params):
    return [(o["shipping_rate_data"]["display_name"],
             o["shipping_rate_data"]["fixed_amount"]["amount"]) for o in params["shipping_options"]]


def test_two_inline_shipping_options_below_the_free_threshold(inr, sandbox):
    plan = plan_for("INR")
    params = build_session_params(Basket({BOARD: 1}), inr, SHOPPER, sandbox)
    assert inr.get(BOARD).price < plan.free_over
    assert _shipping(params) == [("Standard shipping", plan.standard),
                                 ("Express shipping", plan.express)]
    for option in params["shipping_options"]:
        assert option["shipping_rate_data"]["fixed_amount"]["currency"] == "inr"


def test_standard_shipping_is_free_from_the_threshold(inr, sandbox):
    plan = plan_for("INR")
    params = build_session_params(Basket({BANK: 1}), inr, SHOPPER, sandbox)
    assert inr.get(BANK).price >= plan.free_over
    assert _shipping(params) == [("Free shipping", 0), ("Express shipping", plan.express)]


def test_a_configured_shipping_rate_id(inr):
    settings = build_settings({"STRIPE_SHIPPING_RATE": "shr_1AbC"})
    params = build_session_params(Basket({BANK: 1}), inr, SHOPPER, settings)
    assert params["shipping_options"] == [{"shipping_rate": "shr_1AbC"}]
    assert conforms(params, SessionCreateParams) == []


def test_guests_cannot_check_out(inr, sandbox):
    with pytest.raises(CheckoutError, match="Sign in to checkout"):
        build_session_params(Basket({BANK: 1}), inr, guest(), sandbox)


@pytest.mark.parametrize("lines", [{}, {"retired": 2}])
def test_empty_basket(inr, sandbox, lines):
    with pytest.raises(CheckoutError, match="Your basket is empty"):
        build_session_params(Basket(lines), inr, SHOPPER, sandbox)


def test_below_stripes_minimum(tmp_path, sandbox):
    path = tmp_path / "products.json"
    path.write_text(json.dumps({"products": [{
        "id": "sticker", "title": "Sticker", "description": "Tiny.", "category": "Bits",
        "rating": 4, "prices": {"USD": "0.25"}, "image": "sticker.svg"}]}))
    catalog = load_catalog(path, "USD")
    with pytest.raises(CheckoutError, match=r"cannot charge less than \$0.50 in USD"):
        build_session_params(Basket({"sticker": 1}), catalog, SHOPPER, sandbox)
    assert build_session_params(Basket({"sticker": 2}), catalog, SHOPPER, sandbox)


# --- idempotency_key --------------------------------------------------------------------

def test_idempotency_key_is_stable_for_the_same_basket_version(inr, sandbox):
    basket = Basket({BANK: 2}, 5)
    first = idempotency_key(SHOPPER, basket, build_session_params(basket, inr, SHOPPER, sandbox))
    again = idempotency_key(SHOPPER, Basket({BANK: 2}, 5),
                            build_session_params(Basket({BANK: 2}, 5), inr, SHOPPER, sandbox))
    assert first == again
    assert first.startswith("checkout-") and len(first) <= 255


def test_idempotency_key_changes_with_the_version_shopper_or_lines(inr, sandbox):
    def key(shopper, basket):
        return idempotency_key(shopper, basket,
                               build_session_params(basket, inr, shopper, sandbox))

    base = key(SHOPPER, Basket({BANK: 2}, 5))
    assert key(SHOPPER, Basket({BANK: 2}, 6)) != base
    assert key(SHOPPER, Basket({BANK: 3}, 5)) != base
    assert key(demo_shopper("Bob", "bob@example.com"), Basket({BANK: 2}, 5)) != base


# --- explain ------------------------------------------------------------------------------

def test_explain_authentication_error(sandbox):
    text = explain(stripe.AuthenticationError("Invalid API Key provided: sk_test_***"), sandbox)
    assert "STRIPE_SECRET_KEY" in text and "sk_test_" in text


def test_explain_connection_error():
    text = explain(stripe.APIConnectionError("connection refused"), build_settings({}))
    assert "http://127.0.0.1:12111" in text and "python run.py" in text
    real = explain(stripe.APIConnectionError("dns"),
                   build_settings({"STRIPE_SECRET_KEY": "sk_test_1"}))
    assert "api.stripe.com" in real


def test_explain_unknown_shipping_rate():
    settings = build_settings({"STRIPE_SHIPPING_RATE": "shr_missing"})
    error = stripe.InvalidRequestError("No such shipping rate: 'shr_missing'",
                                       param="shipping_options[0][shipping_rate]",
                                       code="resource_missing")
    text = explain(error, settings)
    assert "'shr_missing'" in text and "STRIPE_SHIPPING_RATE" in text


def test_explain_unsupported_currency():
    settings = build_settings({"STORE_CURRENCY": "JPY"})
    error = stripe.InvalidRequestError("Invalid currency: jpy.", param="currency")
    text = explain(error, settings)
    assert "JPY" in text and "STORE_CURRENCY" in text


def test_explain_amount_and_other_errors(sandbox):
    small = stripe.InvalidRequestError("Amount must be at least ₹0.50", param="amount",
                                       code="amount_too_small")
    assert "Amount must be at least" in explain(small, sandbox)
    other = stripe.InvalidRequestError("Something else broke", param="customer_email")
    assert explain(other, sandbox) == "Stripe could not start checkout: Something else broke"
    assert "try again" in explain(stripe.IdempotencyError("key reused"), sandbox)


def test_explain_does_not_blame_a_shipping_rate_id_for_inline_rates(sandbox):
    # Inline rates are sent as shipping_rate_data; no STRIPE_SHIPPING_RATE is involved.
    error = stripe.InvalidRequestError(
        "Invalid currency for shipping rate", param="shipping_options[0][shipping_rate_data]"
        "[fixed_amount][currency]")
    text = explain(error, sandbox)
    assert "STRIPE_SHIPPING_RATE" not in text
    assert "STORE_CURRENCY" in text

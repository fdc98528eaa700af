"""Turning a persisted basket into a Stripe Checkout Session, priced on the server only."""
from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

import stripe

from lib.checkout.shipping import shipping_options
from lib.config.settings import Settings
from lib.orders.model import DEMO_METADATA_KEY
from lib.shop.basket import Basket, BasketError, check_quantity, priced_lines
from lib.shop.catalog import STATIC_IMAGES_PATH, Catalog
from lib.shop.money import format_money, minimum_charge
from lib.shoppers.identity import Shopper

SUCCESS_PATH = "/success?session_id={CHECKOUT_SESSION_ID}"
CANCEL_PATH = "/basket"
LOCAL_HOSTS = ("http://localhost", "http://127.0.0.1")
MAX_REPLAYS = 8


class CheckoutError(Exception):
    """Checkout could not start; the message says what to fix."""


def image_urls(settings: Settings, image: str, base: str = "") -> list[str]:
    """Image URLs Stripe can show, served by the app at base (default APP_URL): only absolute
    https ones, except that the local sandbox can fetch the app's own static files."""
    url = f"{(base or settings.app_url).rstrip('/')}{STATIC_IMAGES_PATH}{quote(image)}"
    if url.startswith("https://"):
        return [url]
    if settings.stripe_mode == "sandbox" and url.startswith(LOCAL_HOSTS):
        return [url]
    return []


def build_session_params(basket: Basket, catalog: Catalog, shopper: Shopper,
                         settings: Settings, return_to: str = "", demo: bool = False) -> dict:
    """Checkout Session parameters from the basket's ids and quantities and the catalog's
    prices (SessionCreateParams); Stripe sends the shopper back to return_to (an origin from
    lib.config.origins.return_origin, so their cookies are there), else to APP_URL; demo: made
    by demo data's generator, which marks the order (no shopper's checkout passes it)."""
    if not shopper.signed_in:
        raise CheckoutError("Sign in to checkout.")
    lines = priced_lines(basket, catalog)
    for line in lines:
        # The stored basket is only ever written through add_item/set_quantity; a row that
        # got past them (edited by hand, or by a bug) must not set what Stripe charges.
        try:
            check_quantity(line.quantity)
        except BasketError as exc:
            raise CheckoutError(f"{line.product.title}: {exc}") from None
    if not lines:
        raise CheckoutError("Your basket is empty.")
    currency = catalog.currency
    total = sum(line.total for line in lines)
    if total < minimum_charge(currency):
        raise CheckoutError(f"Stripe cannot charge less than "
                            f"{format_money(minimum_charge(currency), currency)} in {currency}.")
    items = []
    for line in lines:
        product = line.product
        if product.price_id:
            # The catalog came from Stripe: its Price is what the server charges, by id.
            items.append({"quantity": line.quantity, "price": product.price_id})
            continue
        product_data = {"name": product.title, "description": product.description,
                        "metadata": {"product_id": product.id}}
        images = image_urls(settings, product.image, return_to)
        if images:
            product_data["images"] = images
        items.append({"quantity": line.quantity, "price_data": {
            "currency": currency.lower(), "unit_amount": product.price,
            "product_data": product_data}})
    # Optional parameters we do not use, see https://docs.stripe.com/api/checkout/sessions/create
    # (automatic_tax, phone_number_collection, locale, ...). Promotion codes are on: the code
    # field is Stripe's, the discount is Stripe's arithmetic, and the order records what it took.
    back = (return_to or settings.app_url).rstrip("/")
    return {
        "mode": "payment",
        "line_items": items,
        "success_url": back + SUCCESS_PATH,
        "cancel_url": back + CANCEL_PATH,
        "customer_email": shopper.email,
        "client_reference_id": shopper.email,
        "metadata": {"email": shopper.email, "basket_version": str(basket.version),
                     **({DEMO_METADATA_KEY: "true"} if demo else {})},
        "shipping_address_collection": {"allowed_countries": list(settings.shipping_countries)},
        "shipping_options": shipping_options(currency, total, settings.stripe_shipping_rate),
        "allow_promotion_codes": True,
    }


def idempotency_key(shopper: Shopper, basket: Basket, params: dict) -> str:
    """Same shopper, basket version and parameters -> same key, so a double click makes one
    session."""
    digest = hashlib.sha256(json.dumps([shopper.key, basket.version, params],
                                       sort_keys=True).encode()).hexdigest()
    return f"checkout-{digest[:48]}"


def explain(exc: stripe.StripeError, settings: Settings) -> str:
    """A Stripe error as a sentence that names what to fix."""
    param = getattr(exc, "param", None) or ""
    code = getattr(exc, "code", None) or ""
    message = getattr(exc, "user_message", None) or str(exc)
    if isinstance(exc, stripe.AuthenticationError):
        return ("Stripe refused the secret key. Check STRIPE_SECRET_KEY: it must be the "
                "sk_test_... key from Dashboard > Developers > API keys.")
    if isinstance(exc, stripe.APIConnectionError):
        where = settings.api_base or "api.stripe.com"
        return (f"Could not reach Stripe at {where}. In sandbox mode start everything with "
                "`python run.py`; with real keys check your network.")
    if "[shipping_rate]" in param:  # a rate id; inline rates are [shipping_rate_data]
        return (f"Stripe does not know the shipping rate {settings.stripe_shipping_rate!r}. "
                "Fix STRIPE_SHIPPING_RATE (Dashboard > Products > Shipping rates) or unset it.")
    if "currency" in param:
        return (f"Stripe cannot charge in {settings.store_currency}. Choose another "
                "STORE_CURRENCY.")
    if code == "amount_too_small" or "amount" in param:
        return f"Stripe refused the amount: {message} Add more to your basket."
    if isinstance(exc, stripe.IdempotencyError):
        return "Your basket changed while checkout was starting. Please try again."
    return f"Stripe could not start checkout: {message}"


def _replayed(session) -> bool:
    """True when Stripe answered from its idempotency cache rather than creating anew."""
    response = getattr(session, "last_response", None)
    headers = getattr(response, "headers", None) or {}
    return str(headers.get("Idempotent-Replayed", headers.get("idempotent-replayed", ""))
               ).lower() == "true"


def start_checkout(client: stripe.StripeClient, basket: Basket, catalog: Catalog,
                   shopper: Shopper, settings: Settings, return_to: str = "",
                   demo: bool = False):
    """Create (or, for a repeated click, fetch again) the Checkout Session for this basket,
    returning the shopper to return_to (default APP_URL); demo: the generator's."""
    params = build_session_params(basket, catalog, shopper, settings, return_to, demo)
    base_key = key = idempotency_key(shopper, basket, params)
    try:
        for _ in range(MAX_REPLAYS):
            session = client.v1.checkout.sessions.create(params, {"idempotency_key": key})
            if _replayed(session):
                # A replay carries the session as it was when created; ask how it is now.
                session = client.v1.checkout.sessions.retrieve(session.id)
            if session.status == "open":
                return session
            # This basket was already paid for, or its session expired: chain a fresh key
            # to that session, so a double click still makes one new session.
            key = f"{base_key}-{session.id[-12:]}"
    except stripe.StripeError as exc:
        raise CheckoutError(explain(exc, settings)) from exc
    raise CheckoutError("Checkout could not start a fresh session; please try again.")

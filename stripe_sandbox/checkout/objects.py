"""Build Checkout Session and line item objects shaped like Stripe's, and recompute their totals."""
from __future__ import annotations

import time

from ..api.ids import new_id, new_session_id
from ..products.price_params import new_price
from ..products.product_params import new_product
from .params import LineItemSpec, SessionSpec


def build_line_item(spec: LineItemSpec, created: int) -> dict:
    """A line item object (`object: item`) whose price.product is kept expanded for storage."""
    if spec.price is not None:
        return item_object(spec, dict(spec.price))
    product = {
        **new_product(new_id("prod", 14), created), "description": spec.description, "images": spec.images,
        "metadata": spec.product_metadata, "name": spec.name, "tax_code": spec.tax_code,
        "unit_label": spec.unit_label,
    }
    # A price made from price_data serves this session only, so it is inactive from the start.
    price = {**new_price(product, spec.currency, spec.unit_amount, created), "active": False,
             "tax_behavior": spec.tax_behavior}
    return item_object(spec, price)


def item_object(spec: LineItemSpec, price: dict) -> dict:
    """The line item selling spec.quantity of price."""
    amount = spec.unit_amount * spec.quantity
    return {
        "id": new_id("li", 24), "object": "item", "amount_discount": 0, "amount_subtotal": amount,
        "amount_tax": 0, "amount_total": amount, "currency": spec.currency,
        "description": spec.name, "metadata": spec.metadata, "price": price, "quantity": spec.quantity,
    }


def build_session(spec: SessionSpec, line_items: list[dict], public_url: str) -> dict:
    """A new open payment-mode session; the first shipping option is preselected, as on Stripe."""
    session_id = new_session_id()
    session = {
        "id": session_id, "object": "checkout.session",
        "amount_subtotal": sum(li["amount_subtotal"] for li in line_items), "amount_total": None,
        "automatic_tax": {"enabled": False, "liability": None, "status": None},
        "cancel_url": spec.cancel_url,
        "client_reference_id": spec.client_reference_id, "client_secret": None,
        "collected_information": None, "consent": None, "consent_collection": None,
        "created": int(time.time()), "currency": spec.currency, "custom_fields": [],
        "customer": None, "customer_details": None,
        "customer_email": spec.customer_email, "discounts": [], "expires_at": spec.expires_at,
        "invoice": None, "invoice_creation": None, "livemode": False,
        "metadata": spec.metadata, "mode": "payment", "payment_intent": None, "payment_link": None,
        "payment_method_collection": "if_required", "payment_status": "unpaid",
        "recovered_from": None,
        "shipping_address_collection": (
            {"allowed_countries": spec.allowed_countries} if spec.allowed_countries else None),
        "shipping_cost": None,
        "shipping_options": [
            {"shipping_amount": r["fixed_amount"]["amount"], "shipping_rate": r["id"]}
            for r in spec.shipping_rates],
        "status": "open", "subscription": None, "success_url": spec.success_url,
        "total_details": None, "ui_mode": "hosted_page", "url": f"{public_url}/pay/{session_id}",
        **spec.options,
    }
    choose_shipping(session, spec.shipping_rates[0] if spec.shipping_rates else None)
    return session


def choose_shipping(session: dict, rate: dict | None) -> None:
    """Set shipping_cost and recompute total_details and amount_total for the chosen rate (or none)."""
    shipping = rate["fixed_amount"]["amount"] if rate else 0
    session["shipping_cost"] = None if rate is None else {
        "amount_subtotal": shipping, "amount_tax": 0, "amount_total": shipping, "shipping_rate": rate["id"],
    }
    # A discount applies to the items, never to shipping, so it survives a change of rate.
    discount = (session.get("total_details") or {}).get("amount_discount", 0)
    session["total_details"] = {"amount_discount": discount, "amount_shipping": shipping, "amount_tax": 0}
    session["amount_total"] = session["amount_subtotal"] - discount + shipping


def collapse_line_item(item: dict, expand_product: bool) -> dict:
    """A line item as the API shows it: price.product is an id unless that expansion was asked for."""
    if expand_product:
        return item
    price = {**item["price"], "product": item["price"]["product"]["id"]}
    return {**item, "price": price}


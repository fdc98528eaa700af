"""Shipping choices offered at checkout, per currency, in minor units."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShippingPlan:
    """Standard shipping (free at or above a threshold) and an express option."""

    standard: int
    free_over: int
    express: int


# Amounts in each currency's minor units, chosen to look like a real shop's.
PLANS = {
    "INR": ShippingPlan(standard=4900, free_over=99900, express=14900),
    "USD": ShippingPlan(standard=499, free_over=5000, express=1499),
    "GBP": ShippingPlan(standard=399, free_over=4000, express=999),
    "EUR": ShippingPlan(standard=449, free_over=5000, express=1299),
    "JPY": ShippingPlan(standard=500, free_over=5000, express=1500),
}


def plan_for(currency: str) -> ShippingPlan:
    """The shipping plan for a currency."""
    return PLANS[currency.upper()]


def _rate(name: str, amount: int, currency: str, low: int, high: int) -> dict:
    """One inline shipping_rate_data option, as Stripe's API takes it."""
    return {"shipping_rate_data": {
        "type": "fixed_amount",
        "display_name": name,
        "fixed_amount": {"amount": amount, "currency": currency.lower()},
        "delivery_estimate": {"minimum": {"unit": "business_day", "value": low},
                              "maximum": {"unit": "business_day", "value": high}},
    }}


def shipping_options(currency: str, subtotal: int, shipping_rate_id: str = "") -> list[dict]:
    """Stripe shipping_options: a configured rate id, or standard (free over a threshold) and
    express."""
    if shipping_rate_id:
        return [{"shipping_rate": shipping_rate_id}]
    plan = plan_for(currency)
    free = subtotal >= plan.free_over
    return [
        _rate("Free shipping" if free else "Standard shipping", 0 if free else plan.standard,
              currency, 3, 5),
        _rate("Express shipping", plan.express, currency, 1, 2),
    ]

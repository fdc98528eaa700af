"""Currency exponents and amount steps by Stripe's table, amount formatting, and the country list
matching the SDK's."""
import typing

import pytest
import stripe.params.checkout._session_create_params as create_params

from stripe_sandbox.reference.countries import COUNTRY_NAMES
from stripe_sandbox.reference.currencies import (
    SUPPORTED,
    THREE_DECIMAL,
    ZERO_DECIMAL,
    amount_step,
    exponent,
    format_amount,
)
from tests.stripe_currency_rules import RULES, rule


def test_exponents():
    assert (exponent("usd"), exponent("JPY"), exponent("kwd"), exponent("isk")) == (2, 0, 3, 2)
    assert ZERO_DECIMAL <= SUPPORTED and THREE_DECIMAL <= SUPPORTED


@pytest.mark.parametrize("code", sorted(RULES))
def test_exponent_and_step_follow_stripes_table(code):
    assert (exponent(code.lower()), amount_step(code.lower())) == RULES[code]
    assert code.lower() in SUPPORTED


def test_every_supported_currency_follows_the_table():
    assert [c for c in sorted(SUPPORTED) if (exponent(c), amount_step(c)) != rule(c)] == []


def test_format_amount():
    assert format_amount(1999, "usd") == "$19.99"
    assert format_amount(123456789, "eur") == "€1,234,567.89"
    assert format_amount(500, "jpy") == "¥500"
    assert format_amount(5124, "kwd") == "5.124 KWD"
    assert format_amount(5, "sek") == "0.05 SEK"
    assert format_amount(-250, "gbp") == "-£2.50"


def test_countries_are_the_ones_the_sdk_allows():
    annotation = create_params.SessionCreateParamsShippingAddressCollection.__annotations__["allowed_countries"]
    literal = typing.get_args(typing.get_args(annotation)[0])[0]
    assert set(COUNTRY_NAMES) == set(typing.get_args(literal))

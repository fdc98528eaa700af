"""Amount formatting by currency exponent, and the country list matching the SDK's."""
import typing

import stripe.params.checkout._session_create_params as create_params

from stripe_sandbox.countries import COUNTRY_NAMES
from stripe_sandbox.currencies import SUPPORTED, THREE_DECIMAL, ZERO_DECIMAL, exponent, format_amount


def test_exponents():
    assert (exponent("usd"), exponent("JPY"), exponent("kwd"), exponent("isk")) == (2, 0, 3, 2)
    assert ZERO_DECIMAL <= SUPPORTED and THREE_DECIMAL <= SUPPORTED


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

"""Money: exact decimal-string <-> minor-unit conversion and Babel formatting."""
from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision
from hypothesis import given
from hypothesis import strategies as st

from lib.shop.money import (
    MoneyError,
    amount_step,
    exponent,
    format_money,
    minimum_charge,
    to_decimal,
    to_minor,
)
from tests.stripe_currency_rules import RULES, rule

TWO_DECIMAL = ["INR", "USD", "GBP", "EUR"]


@given(major=st.integers(min_value=0, max_value=10**9), cents=st.integers(0, 99),
       currency=st.sampled_from(TWO_DECIMAL))
def test_every_two_decimal_price_converts_exactly_and_back(major, cents, currency):
    text = f"{major}.{cents:02d}"
    minor = to_minor(text, currency)
    assert minor == major * 100 + cents
    assert isinstance(minor, int)
    assert to_decimal(minor, currency) == Decimal(text)
    assert str(to_decimal(minor, currency)) == text


@given(minor=st.integers(min_value=0, max_value=10**12), currency=st.sampled_from(TWO_DECIMAL))
def test_minor_units_round_trip_through_decimal_text(minor, currency):
    assert to_minor(str(to_decimal(minor, currency)), currency) == minor


def test_the_classic_19_99_case():
    # Why floats are refused: binary floating point cannot hold 19.99 exactly.
    assert int(19.99 * 100) == 1998
    assert to_minor("19.99", "USD") == 1999
    assert to_minor(Decimal("19.99"), "USD") == 1999
    assert to_decimal(1999, "USD") == Decimal("19.99")


def test_whole_numbers_and_whitespace_are_accepted():
    assert to_minor("5", "INR") == 500
    assert to_minor(5, "INR") == 500
    assert to_minor(" 12.50 ", "GBP") == 1250


def test_jpy_has_no_minor_unit():
    assert exponent("JPY") == 0
    assert exponent("jpy") == 0
    assert exponent("INR") == 2
    assert to_minor("8980", "JPY") == 8980
    assert to_decimal(8980, "JPY") == Decimal("8980")
    with pytest.raises(MoneyError, match="more than 0 decimal places for JPY"):
        to_minor("89.80", "JPY")


@given(yen=st.integers(min_value=0, max_value=10**12))
def test_every_whole_yen_amount_round_trips(yen):
    assert to_minor(str(yen), "JPY") == yen
    assert to_decimal(yen, "JPY") == yen


def test_floats_are_refused_with_a_hint():
    with pytest.raises(MoneyError, match="float.*decimal strings"):
        to_minor(19.99, "USD")
    with pytest.raises(MoneyError, match="float"):
        to_minor(20.0, "USD")


@pytest.mark.parametrize("text", ["19.999", "0.001", "1.005"])
def test_too_many_places_are_refused(text):
    with pytest.raises(MoneyError, match="more than 2 decimal places for USD"):
        to_minor(text, "USD")


@pytest.mark.parametrize("text", ["abc", "", "  ", "19,99", "$5", "1.2.3", "None"])
def test_non_numbers_are_refused(text):
    with pytest.raises(MoneyError, match="not a decimal number"):
        to_minor(text, "USD")


@pytest.mark.parametrize("value", [None, [], True])
def test_non_amount_objects_are_refused(value):
    with pytest.raises(MoneyError):
        to_minor(value, "USD")


@pytest.mark.parametrize("text", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf"])
def test_nan_and_infinity_are_refused(text):
    with pytest.raises(MoneyError, match="not a finite amount"):
        to_minor(text, "USD")
    with pytest.raises(MoneyError):
        to_minor(Decimal(text), "INR")


@pytest.mark.parametrize("minor, currency, text", [
    (149900, "INR", "₹1,499.00"),
    (12345678, "INR", "₹1,23,456.78"),  # Indian digit grouping, which an f-string gets wrong
    (1999, "USD", "$19.99"),
    (123456, "USD", "$1,234.56"),
    (4750, "GBP", "£47.50"),
    (5490, "EUR", "€54.90"),
    (8980, "JPY", "￥8,980"),
    (0, "USD", "$0.00"),
])
def test_format_money_exact_strings(minor, currency, text):
    assert format_money(minor, currency) == text


def test_format_money_accepts_lower_case_and_an_explicit_locale():
    assert format_money(1999, "usd") == "$19.99"
    assert format_money(5490, "EUR", locale="de_DE") == "54,90\xa0€"


@pytest.mark.parametrize("value", [19.99, 1999.0, "1999", Decimal("1999"), True, None])
def test_format_money_refuses_anything_but_int(value):
    with pytest.raises(MoneyError, match="integer minor units"):
        format_money(value, "USD")


def test_minimum_charge_is_in_minor_units():
    assert minimum_charge("USD") == 50
    assert minimum_charge("gbp") == 30


# --- Stripe's exponents and amount steps, not Babel's ------------------------------------------

@pytest.mark.parametrize("code", sorted(RULES))
def test_exponent_and_step_follow_stripes_table(code):
    assert (exponent(code), amount_step(code)) == RULES[code]
    assert (exponent(code.lower()), amount_step(code.lower())) == RULES[code]


def test_lib_and_the_sandbox_agree_on_every_currency_stripe_accepts():
    from stripe_sandbox.reference import currencies as sandbox

    disagree = [code for code in sorted(sandbox.SUPPORTED)
                if (exponent(code), amount_step(code)) != (sandbox.exponent(code),
                                                           sandbox.amount_step(code))
                or (exponent(code), amount_step(code)) != rule(code)]
    assert disagree == []


@pytest.mark.parametrize("code", ["AFN", "ALL", "ISK", "LAK", "LBP", "MMK", "RSD", "SOS", "STD",
                                  "YER"])
def test_where_babel_counts_no_decimals_stripes_two_are_used(code):
    assert get_currency_precision(code) == 0  # the trap: CLDR's digits, not Stripe's
    assert exponent(code) == 2
    assert to_minor("19", code) == 1900


def test_amounts_are_never_rounded_for_display():
    assert format_money(1999, "RSD") == "RSD19.99"  # Babel alone would show RSD20
    assert format_money(1999, "USD") == "$19.99"
    assert format_money(500, "ISK") == "ISK5"
    assert format_money(5120, "KWD") == "KWD5.120"


def test_isk_is_charged_in_whole_kronur_and_three_decimal_amounts_end_in_zero():
    assert to_minor("40", "ISK") == 4000
    with pytest.raises(MoneyError, match="not a multiple of 1.00 ISK"):
        to_minor("40.10", "ISK")
    assert to_minor("5.12", "KWD") == 5120
    with pytest.raises(MoneyError, match="not a multiple of 0.010 KWD"):
        to_minor("5.124", "KWD")
    assert to_minor("0.07", "HUF") == 7 and to_minor("0.07", "TWD") == 7

"""Money as integer minor units: exact conversion from decimal strings, and formatting with Babel."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

# Stripe's rules for amounts in its API (https://docs.stripe.com/currencies), kept here rather
# than taken from Babel: CLDR's currency digits disagree with Stripe's for ten currencies
# Stripe accepts (AFN ALL ISK LAK LBP MMK RSD SOS STD YER: CLDR 0 decimals, Stripe 2).
# stripe_sandbox/reference/currencies.py keeps its own copy (the sandbox imports nothing of lib);
# tests/stripe_currency_rules.py holds the one table both are tested against.
#
# Zero-decimal: an amount of 500 in JPY is 500 yen.
ZERO_DECIMAL = frozenset(
    "BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split()
)
# Three-decimal: 5124 in KWD is 5.124 KWD, and the last digit must be 0 (5120).
THREE_DECIMAL = frozenset("BHD JOD KWD OMR TND".split())
# Special cases that stay two-decimal in the API but charge whole units only: an ISK amount
# must be a multiple of 100 (HUF and TWD are whole-unit for payouts only, not for charges).
WHOLE_UNITS_ONLY = frozenset({"ISK"})

# The currencies the shop can be configured to sell in (the catalog prices each of them),
# with a sensible display locale each.
LOCALES = {"INR": "en_IN", "USD": "en_US", "GBP": "en_GB", "EUR": "en_IE", "JPY": "ja_JP"}

# Stripe's minimum charge per currency, in minor units (from Stripe's docs on minimum amounts).
MINIMUM_CHARGE = {"INR": 50, "USD": 50, "GBP": 30, "EUR": 50, "JPY": 50}


class MoneyError(ValueError):
    """A price or currency that cannot be turned into exact minor units."""


def exponent(currency: str) -> int:
    """How many decimal places the currency's minor unit has, as Stripe counts them."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def amount_step(currency: str) -> int:
    """What every amount in the currency must be a multiple of, in minor units (Stripe's rule):
    100 for whole-unit-only currencies, 10 for three-decimal ones, otherwise 1."""
    code = currency.upper()
    if code in WHOLE_UNITS_ONLY:
        return 100
    if code in THREE_DECIMAL:
        return 10
    return 1


def to_minor(amount: str | int | Decimal, currency: str) -> int:
    """Convert a decimal amount ("19.99") to integer minor units (1999), refusing anything inexact."""
    if isinstance(amount, float):
        raise MoneyError(f"{amount!r} is a float; write prices as decimal strings such as \"19.99\"")
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise MoneyError(f"{amount!r} is not a decimal number") from None
    if not value.is_finite():
        raise MoneyError(f"{amount!r} is not a finite amount")
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        places = exponent(currency)
        raise MoneyError(f"{amount!r} has more than {places} decimal places for {currency.upper()}")
    step = amount_step(currency)
    if int(scaled) % step:
        raise MoneyError(f"{amount!r} is not a multiple of {to_decimal(step, currency)} "
                         f"{currency.upper()}, the smallest amount Stripe charges in it")
    return int(scaled)


def to_decimal(minor: int, currency: str) -> Decimal:
    """Turn minor units back into a Decimal amount in major units."""
    return Decimal(int(minor)).scaleb(-exponent(currency))


def locale_for(currency: str) -> str:
    """The display locale used for a currency."""
    return LOCALES.get(currency.upper(), "en_US")


def format_money(minor: int, currency: str, locale: str | None = None) -> str:
    """Format minor units for people, e.g. 149900 INR -> '₹1,499.00' (the only place money becomes text)."""
    if not isinstance(minor, int) or isinstance(minor, bool):
        raise MoneyError(f"amounts are integer minor units, got {minor!r}")
    # Babel is imported here, where money becomes text: the webhook sidecar needs the minor
    # units above but never formats them, and its install (the sidecar extra) has no Babel.
    from babel.numbers import format_currency

    # No quantization: Babel would round to CLDR's digits (19.99 RSD shown as 20).
    return format_currency(to_decimal(minor, currency), currency.upper(),
                           locale=locale or locale_for(currency), decimal_quantization=False)


def is_supported(currency: str) -> bool:
    """True if the shop can sell in this currency."""
    return currency.upper() in LOCALES


def minimum_charge(currency: str) -> int:
    """Stripe's smallest chargeable total for the currency, in minor units."""
    return MINIMUM_CHARGE.get(currency.upper(), 50)

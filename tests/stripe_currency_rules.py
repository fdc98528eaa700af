"""Stripe's documented rules for amounts in its API (https://docs.stripe.com/currencies), written
out once as a table: lib/shop/money.py and stripe_sandbox/reference/currencies.py each keep their own copy of
the rules, and both are tested against this.

Each row: currency -> (exponent, step). An amount of 1 is 10**-exponent of the major unit, and
every amount must be a multiple of step minor units. A currency not listed is two-decimal with
step 1, Stripe's default.
"""
from __future__ import annotations

DEFAULT = (2, 1)

RULES = {
    # Zero-decimal: 500 JPY is ¥500.
    **{code: (0, 1) for code in
       "BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split()},
    # Three-decimal: 5124 KWD is 5.124 KWD; Stripe wants the last digit 0.
    **{code: (3, 10) for code in "BHD JOD KWD OMR TND".split()},
    # Special case: ISK stays two-decimal in the API, charged in whole krónur (multiples of 100).
    "ISK": (2, 100),
    # Special cases for payouts only: charges in HUF and TWD keep two decimals.
    "HUF": (2, 1),
    "TWD": (2, 1),
    # CLDR (Babel) gives these 0 decimals; Stripe counts 2.
    **{code: DEFAULT for code in "AFN ALL LAK LBP MMK RSD SOS STD YER".split()},
    # The currencies the shop sells in.
    **{code: DEFAULT for code in "INR USD GBP EUR".split()},
}


def rule(code: str) -> tuple[int, int]:
    """(exponent, step) for a currency code in any case."""
    return RULES.get(code.upper(), DEFAULT)

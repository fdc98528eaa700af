"""Stripe's presentment currencies with the number of decimals (exponent) their API amounts use,
and the special cases that charge whole units only (https://docs.stripe.com/currencies).

lib/shop/money.py keeps its own copy of these rules (the sandbox imports nothing of lib); both are
tested against tests/stripe_currency_rules.py.
"""
from ..api.errors import invalid
from ..api.forms import as_string

# Stripe treats these as zero-decimal: an amount of 500 in JPY is ¥500.
ZERO_DECIMAL = frozenset(
    "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split()
)
# Three-decimal currencies: 5124 in KWD is 5.124 KWD; Stripe wants the last digit 0 (5120).
THREE_DECIMAL = frozenset("bhd jod kwd omr tnd".split())
# Two-decimal in the API but charged in whole units: an ISK amount must be a multiple of 100.
# (HUF and TWD are whole-unit for payouts only; charges in them keep two decimals.)
WHOLE_UNITS_ONLY = frozenset({"isk"})

# Every lowercase code Stripe accepts for card payments in a Checkout Session.
SUPPORTED = frozenset(
    """
    usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob
    brl bsd bwp byn bzd cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb
    eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod
    jpy kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt
    mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln
    pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs tnd
    top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xcg xof xpf yer zar zmw
    """.split()
)

# The largest amount Stripe takes in one field (eight digits of minor units).
MAX_AMOUNT = 99_999_999
SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "inr": "₹", "krw": "₩", "cny": "¥"}


def is_supported(code: str) -> bool:
    """Tell whether Stripe accepts this (lowercase) currency code."""
    return code in SUPPORTED


def exponent(code: str) -> int:
    """Number of decimals in the currency's minor unit, as Stripe's API counts them."""
    code = code.lower()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def amount_step(code: str) -> int:
    """What an amount in the currency must be a multiple of, in minor units."""
    code = code.lower()
    if code in WHOLE_UNITS_ONLY:
        return 100
    if code in THREE_DECIMAL:
        return 10
    return 1


def check_amount_step(amount: int, code: str, param: str) -> int:
    """Refuse an amount the currency cannot charge (fractional ISK, a 5.124 KWD), as Stripe does."""
    step = amount_step(code)
    if amount % step:
        if code.lower() in WHOLE_UNITS_ONLY:
            raise invalid(f"Invalid amount. Currency {code.upper()} has become effectively "
                          "zero-decimal and charged amounts must be evenly divisible by 100.",
                          param, "invalid_charge_amount_no_decimal_compatible")
        raise invalid(f"Invalid amount. Amounts in {code.upper()} must be evenly divisible by "
                      f"{step}.", param)
    return amount


def format_amount(amount: int, code: str) -> str:
    """Render an integer amount of minor units as text, e.g. 1999 usd -> '$19.99', 500 jpy -> '¥500'."""
    digits = exponent(code)
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**digits)
    number = f"{whole:,}" + (f".{frac:0{digits}d}" if digits else "")
    symbol = SYMBOLS.get(code.lower())
    if symbol:
        return f"{sign}{symbol}{number}"
    return f"{sign}{number} {code.upper()}"


def parse_currency(value, param: str) -> str:
    """Validate a currency param against Stripe's supported list (case-insensitive, stored lowercase)."""
    code = as_string(value, param).lower()
    if not is_supported(code):
        raise invalid(f"Invalid currency: {code}. Stripe currently supports these currencies: "
                      f"{', '.join(sorted(SUPPORTED))}", param, "invalid_currency")
    return code

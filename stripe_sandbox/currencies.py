"""Stripe's presentment currencies with the number of decimals (exponent) their API amounts use."""
from .errors import invalid
from .nested_params import as_string

# Stripe treats these as zero-decimal: an amount of 500 in JPY is ¥500.
ZERO_DECIMAL = frozenset(
    "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split()
)
# Three-decimal currencies: 5124 in KWD is 5.124 KWD.
THREE_DECIMAL = frozenset("bhd jod kwd omr tnd".split())

# Every lowercase code Stripe accepts for card payments in a Checkout Session.
# ISK, HUF and TWD stay two-decimal in the API (Stripe's "special cases").
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

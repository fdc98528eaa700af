"""Stripe's test card numbers and the checks a card goes through: Luhn, expiry, CVC, then the test outcome."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

SUCCESS_CARDS = frozenset({
    "4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222",
    "5200828282828210", "378282246310005", "6011111111111117", "3056930009020004",
    "3566002020360505", "6200000000000005",
})
# number -> (code, decline_code, message) as Stripe's test cards answer.
DECLINE_CARDS = {
    "4000000000000002": ("card_declined", "generic_decline", "Your card was declined."),
    "4000000000009995": ("card_declined", "insufficient_funds", "Your card has insufficient funds."),
    "4000000000009987": ("card_declined", "lost_card", "Your card was declined."),
    "4000000000000069": ("expired_card", None, "Your card has expired."),
    "4000000000000127": ("incorrect_cvc", None, "Your card's security code is incorrect."),
    "4000000000000119": ("processing_error", None, "An error occurred while processing your card. Try again."),
}
LIVE_CARD = ("card_declined", "test_mode_live_card",
             "Your card was declined. Your request was in test mode, but used a non test (live) card. "
             "For a list of valid test cards, visit: https://stripe.com/docs/testing.")


@dataclass(frozen=True)
class CardProblem:
    """Why a card cannot be charged: a field problem (field set) or a decline from the 'issuer'."""

    code: str
    message: str
    field: str | None = None
    decline_code: str | None = None


def digits(number: str) -> str:
    """The card number without spaces or dashes."""
    return re.sub(r"[\s-]", "", number or "")


def luhn_ok(number: str) -> bool:
    """The Luhn checksum every real card number satisfies."""
    if not number.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(number)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def parse_expiry(text: str) -> tuple[int, int] | None:
    """Read 'MM/YY', 'MM / YY' or 'MM/YYYY' into (month, four-digit year); None when unreadable."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", text or "")
    if not match:
        return None
    month, year = int(match.group(1)), int(match.group(2))
    return month, year + 2000 if year < 100 else year


def check_fields(number: str, expiry: str, cvc: str, today: datetime.date) -> list[CardProblem]:
    """Problems the customer can fix in the form: number, expiry, CVC."""
    problems = []
    number = digits(number)
    if not number:
        problems.append(CardProblem("incomplete_number", "Your card number is incomplete.", "card_number"))
    elif not (12 <= len(number) <= 19) or not luhn_ok(number):
        problems.append(CardProblem("invalid_number", "Your card number is invalid.", "card_number"))
    parsed = parse_expiry(expiry)
    if parsed is None:
        problems.append(CardProblem("incomplete_expiry", "Your card's expiration date is incomplete.", "expiry"))
    elif not 1 <= parsed[0] <= 12:
        problems.append(CardProblem("invalid_expiry_month", "Your card's expiration month is invalid.", "expiry"))
    elif parsed[::-1] < (today.year, today.month):
        problems.append(CardProblem("invalid_expiry_year_past", "Your card's expiration date is in the past.",
                                    "expiry"))
    cvc = (cvc or "").strip()
    wanted = 4 if number.startswith(("34", "37")) else 3
    if not re.fullmatch(rf"\d{{{wanted}}}", cvc):
        problems.append(CardProblem("incomplete_cvc", "Your card's security code is incomplete.", "cvc"))
    return problems


def charge_outcome(number: str) -> CardProblem | None:
    """What the test 'issuer' says about a well-formed card: None to approve, else the decline."""
    number = digits(number)
    if number in SUCCESS_CARDS:
        return None
    code, decline_code, message = DECLINE_CARDS.get(number, LIVE_CARD)
    return CardProblem(code, message, None, decline_code)

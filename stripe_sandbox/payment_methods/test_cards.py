"""Stripe's test tokens and test PaymentMethods, each standing for one of the test card numbers in cards.py."""
from __future__ import annotations

# Token or method name (after tok_ / pm_card_) -> the card number it stands for.
TEST_CARDS = {
    "visa": "4242424242424242",
    "visa_debit": "4000056655665556",
    "mastercard": "5555555555554444",
    "mastercard_debit": "5200828282828210",
    "amex": "378282246310005",
    "discover": "6011111111111117",
    "diners": "3056930009020004",
    "jcb": "3566002020360505",
    "unionpay": "6200000000000005",
    "chargeDeclined": "4000000000000002",
    "visa_chargeDeclined": "4000000000000002",
    "chargeDeclinedInsufficientFunds": "4000000000009995",
    "visa_chargeDeclinedInsufficientFunds": "4000000000009995",
    "chargeDeclinedLostCard": "4000000000009987",
    "visa_chargeDeclinedLostCard": "4000000000009987",
    "chargeDeclinedExpiredCard": "4000000000000069",
    "visa_chargeDeclinedExpiredCard": "4000000000000069",
    "chargeDeclinedIncorrectCvc": "4000000000000127",
    "visa_chargeDeclinedIncorrectCvc": "4000000000000127",
    "chargeDeclinedProcessingError": "4000000000000119",
    "visa_chargeDeclinedProcessingError": "4000000000000119",
}
BRANDS = (("34", "amex"), ("37", "amex"), ("6011", "discover"), ("30", "diners"), ("36", "diners"),
          ("35", "jcb"), ("62", "unionpay"), ("4", "visa"), ("5", "mastercard"), ("2", "mastercard"))


def token_card(token: str) -> str | None:
    """The card number behind a test token such as tok_visa, or None."""
    return TEST_CARDS.get(token.removeprefix("tok_")) if token.startswith("tok_") else None


def test_method_card(payment_method: str) -> str | None:
    """The card number behind a test PaymentMethod such as pm_card_visa, or None."""
    if not payment_method.startswith("pm_card_"):
        return None
    return TEST_CARDS.get(payment_method.removeprefix("pm_card_"))


def brand(number: str) -> str:
    """The card network a number belongs to, from its first digits."""
    return next((name for prefix, name in BRANDS if number.startswith(prefix)), "unknown")

"""Card checks without a server: Luhn, expiry parsing, and what the test cards answer."""
import datetime

from hypothesis import given
from hypothesis import strategies as st

from stripe_sandbox.reference.cards import (
    DECLINE_CARDS,
    SUCCESS_CARDS,
    charge_outcome,
    check_fields,
    luhn_ok,
    parse_expiry,
)

TODAY = datetime.date(2030, 6, 15)


def luhn_digit(body: str) -> str:
    """The check digit that makes body + digit pass Luhn (computed the slow, obvious way)."""
    return next(d for d in "0123456789" if luhn_ok(body + d))


@given(st.text("0123456789", min_size=11, max_size=18))
def test_exactly_one_check_digit_passes(body):
    assert sum(luhn_ok(body + d) for d in "0123456789") == 1


@given(st.text("0123456789", min_size=11, max_size=18), st.integers(0, 17), st.integers(1, 9))
def test_changing_one_digit_breaks_luhn(body, position, delta):
    number = body + luhn_digit(body)
    position %= len(number)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    assert not luhn_ok(changed)


def test_every_listed_test_card_is_luhn_valid():
    assert all(luhn_ok(n) for n in SUCCESS_CARDS | set(DECLINE_CARDS))


def test_expiry_formats():
    assert parse_expiry("12/34") == (12, 2034)
    assert parse_expiry(" 1 / 2031 ") == (1, 2031)
    assert parse_expiry("1234") is None and parse_expiry("") is None


def test_field_problems():
    codes = lambda *args: [p.code for p in check_fields(*args, TODAY)]  # noqa: E731
    assert codes("4242 4242 4242 4242", "06/30", "123") == []
    assert codes("4242 4242 4242 4241", "06/30", "123") == ["invalid_number"]
    assert codes("4242424242424242", "05/30", "123") == ["invalid_expiry_year_past"]
    assert codes("4242424242424242", "13/30", "123") == ["invalid_expiry_month"]
    assert codes("378282246310005", "06/30", "123") == ["incomplete_cvc"]  # Amex wants four digits
    assert codes("", "", "") == ["incomplete_number", "incomplete_expiry", "incomplete_cvc"]


def test_outcomes():
    assert charge_outcome("4242 4242 4242 4242") is None
    assert charge_outcome("4000000000000002").decline_code == "generic_decline"
    assert charge_outcome("4000000000009995").decline_code == "insufficient_funds"
    assert charge_outcome("4111111111111111").decline_code == "test_mode_live_card"

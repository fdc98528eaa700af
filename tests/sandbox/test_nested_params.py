"""Decoding Stripe's bracketed form keys into nested params."""
import pytest

from stripe_sandbox.api.errors import ApiError
from stripe_sandbox.api.forms import as_int, as_list, decode


def test_decodes_keys_as_the_sdk_sends_them():
    decoded = decode([
        ("line_items[0][price_data][product_data][images][0]", "a"),
        ("line_items[0][price_data][product_data][images][1]", "b"),
        ("line_items[0][quantity]", "2"), ("metadata[0]", "zero"), ("expand[0]", "line_items"),
    ])
    item = as_list(decoded["line_items"], "line_items")[0]
    assert as_list(item["price_data"]["product_data"]["images"], "images") == ["a", "b"]
    assert item["quantity"] == "2"
    assert decoded["metadata"] == {"0": "zero"}  # digit keys stay a hash until read as a list
    assert as_list(decoded["expand"], "expand") == ["line_items"]


def test_empty_brackets_append_and_indexes_sort_numerically():
    decoded = decode([("expand[]", "a"), ("expand[]", "b")])
    assert as_list(decoded["expand"], "expand") == ["a", "b"]
    assert as_list(decode([(f"x[{i}]", str(i)) for i in (10, 2, 1)])["x"], "x") == ["1", "2", "10"]


@pytest.mark.parametrize("pairs", [[("a", "1"), ("a[b]", "2")], [("a[b]", "1"), ("a", "2")], [("a[b", "1")]])
def test_conflicting_or_malformed_keys_are_400(pairs):
    with pytest.raises(ApiError) as caught:
        decode(pairs)
    assert caught.value.status == 400


def test_integers():
    assert as_int("42", "n") == 42
    for bad in ("4.2", "x", ""):
        with pytest.raises(ApiError):
            as_int(bad, "n")

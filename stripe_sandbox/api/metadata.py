"""Stripe's metadata rules: at most 50 keys, keys up to 40 characters, values up to 500."""
from __future__ import annotations

from .errors import invalid
from .forms import as_hash

MAX_KEYS = 50
MAX_KEY_LENGTH = 40
MAX_VALUE_LENGTH = 500


def parse_metadata(value, param: str = "metadata") -> dict[str, str]:
    """Validate a metadata hash and return it as a plain dict of strings."""
    if value is None:
        return {}
    data = as_hash(value, param)
    if len(data) > MAX_KEYS:
        raise invalid(f"Invalid {param}: metadata cannot have more than {MAX_KEYS} keys "
                      f"(got {len(data)}).", param)
    result = {}
    for key, item in data.items():
        name = f"{param}[{key}]"
        if not isinstance(item, str):
            raise invalid(f"Invalid value for {name}: metadata values must be strings.", name)
        if not key:
            raise invalid(f"Invalid {param}: metadata keys cannot be empty.", param)
        if len(key) > MAX_KEY_LENGTH:
            raise invalid(f"Metadata key too long: keys can be up to {MAX_KEY_LENGTH} characters "
                          f"({key[:MAX_KEY_LENGTH]}... is {len(key)}).", name)
        if len(item) > MAX_VALUE_LENGTH:
            raise invalid(f"Metadata value too long for {key}: values can be up to "
                          f"{MAX_VALUE_LENGTH} characters (got {len(item)}).", name)
        # Stripe drops keys set to "" (that is how callers unset them).
        if item != "":
            result[key] = item
    return result


def merge_metadata(current: dict, params: dict) -> dict:
    """Stripe's metadata update: given keys are set, keys set to '' are removed, metadata='' clears all."""
    if "metadata" not in params:
        return current
    if params["metadata"] == "":
        return {}
    merged = dict(current)
    for key, value in params["metadata"].items() if isinstance(params["metadata"], dict) else ():
        if value == "":
            merged.pop(key, None)
    merged.update(parse_metadata(params["metadata"]))
    return merged


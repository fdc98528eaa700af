"""Turn Stripe's form encoding (`a[b][0][c]=v`) into nested dicts, and read lists and scalars back out."""
from __future__ import annotations

import re

from .errors import invalid, unknown

SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def split_key(key: str) -> list[str]:
    """Split 'line_items[0][price_data]' into ['line_items', '0', 'price_data']."""
    head, _, rest = key.partition("[")
    parts = [head]
    if rest:
        rest = "[" + rest
        segments = SEGMENT.findall(rest)
        if "".join(f"[{s}]" for s in segments) != rest:
            raise invalid(f"Invalid parameter name: {key}", key)
        parts.extend(segments)
    return parts


def decode(pairs) -> dict:
    """Build a nested dict from (key, value) pairs; list indexes stay as string keys until as_list reads them."""
    root: dict = {}
    for key, value in pairs:
        parts = split_key(key)
        node = root
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            if part == "":
                # 'expand[]=a&expand[]=b': number the entries in arrival order.
                part = str(len(node))
            if last:
                if isinstance(node.get(part), dict):
                    raise invalid(f"Invalid value for {key}: expected a hash", key)
                node[part] = value
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise invalid(f"Invalid hash for {key}", key)
                node = child
    return root


def as_list(value, param: str) -> list:
    """Read an indexed hash ({'0': .., '1': ..}) as a list in index order; anything else is an invalid array."""
    if value == "":
        return []
    if not isinstance(value, dict) or not all(k.isdigit() for k in value):
        raise invalid(f"Invalid array for {param}", param)
    return [value[k] for k in sorted(value, key=int)]


def as_hash(value, param: str) -> dict:
    """Read a hash param, rejecting a plain string where a hash belongs."""
    if value == "":
        return {}
    if not isinstance(value, dict):
        raise invalid(f"Invalid object for {param}", param)
    return value


def as_string(value, param: str) -> str:
    """Read a scalar param, rejecting a hash or array where a string belongs."""
    if not isinstance(value, str):
        raise invalid(f"Invalid string for {param}: expected a string", param)
    return value


def as_int(value, param: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """Read an integer param as Stripe does: digits only, within bounds."""
    text = as_string(value, param)
    if not re.fullmatch(r"-?\d+", text.strip()):
        raise invalid(f"Invalid integer: {text}", param, "parameter_invalid_integer")
    number = int(text)
    if minimum is not None and number < minimum:
        raise invalid(f"This value must be greater than or equal to {minimum}.", param,
                      "parameter_invalid_integer")
    if maximum is not None and number > maximum:
        raise invalid(f"This value must be less than or equal to {maximum}.", param,
                      "parameter_invalid_integer")
    return number


def as_bool(value, param: str) -> bool:
    """Read a boolean param sent as 'true' or 'false'."""
    text = as_string(value, param)
    if text not in ("true", "false"):
        raise invalid(f"Invalid boolean: {text}", param)
    return text == "true"


def reject_unknown(params: dict, allowed, prefix: str = "") -> None:
    """Raise Stripe's 'unknown parameter' error for the first key not in allowed."""
    for key in params:
        if key not in allowed:
            raise unknown(f"{prefix}[{key}]" if prefix else key)


def reject_unmodelled(params: dict, allowed, not_implemented) -> None:
    """Stripe's error for a real param the sandbox does not implement (named as such, so it does not
    mislead), then the 'unknown parameter' error for any other key not in allowed."""
    for key in params:
        if key in not_implemented:
            raise invalid(f"Received unknown parameter: {key} (the sandbox does not implement it)", key,
                          "parameter_unknown")
    reject_unknown(params, allowed)

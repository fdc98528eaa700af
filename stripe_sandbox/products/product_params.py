"""Validate Product create and update params the way Stripe does, and build the product object."""
from __future__ import annotations

import re
import time

from ..api.errors import invalid, missing, unknown
from ..api.forms import as_bool, as_list, as_string
from ..api.ids import new_id
from ..api.metadata import merge_metadata, parse_metadata

CREATE = ("id", "name", "active", "description", "images", "metadata", "url", "shippable", "unit_label",
          "statement_descriptor", "default_price_data", "expand")
UPDATE = ("name", "active", "description", "images", "metadata", "url", "shippable", "unit_label",
          "statement_descriptor", "default_price", "expand")
NOT_IMPLEMENTED = ("marketing_features", "package_dimensions", "tax_code", "tax_details", "type")
CUSTOM_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
DESCRIPTOR = re.compile(r"[^<>\\'\"*]{5,22}")


def check_names(params: dict, allowed) -> None:
    """Stripe's errors for params the sandbox does not implement, then for unknown ones."""
    for key in params:
        if key in NOT_IMPLEMENTED:
            raise invalid(f"Received unknown parameter: {key} (the sandbox does not implement it)", key,
                          "parameter_unknown")
        if key not in allowed:
            raise unknown(key)


def text(params: dict, name: str, limit: int | None = None, blank_ok: bool = True) -> str | None:
    """An optional text param; '' means none, as Stripe reads an empty value."""
    if name not in params:
        return None
    value = as_string(params[name], name)
    if not value and not blank_ok:
        raise invalid(f"{name} cannot be empty.", name)
    if limit is not None and len(value) > limit:
        raise invalid(f"{name} can be up to {limit} characters (got {len(value)}).", name)
    return value or None


def images(params: dict) -> list[str] | None:
    """images[]: at most 8 URLs."""
    if "images" not in params:
        return None
    urls = [as_string(u, f"images[{i}]") for i, u in enumerate(as_list(params["images"], "images"))]
    if len(urls) > 8:
        raise invalid("A product can have at most 8 images.", "images")
    for i, url in enumerate(urls):
        if not url.startswith(("http://", "https://")) or len(url) > 2048:
            raise invalid("Not a valid URL", f"images[{i}]", "url_invalid")
    return urls


def changes(params: dict) -> dict:
    """The fields a create or update sets (only those present in params)."""
    fields: dict = {}
    if "name" in params:
        fields["name"] = text(params, "name", 250, blank_ok=False)
    for name, limit in (("description", 40000), ("url", 5000), ("unit_label", 12)):
        if name in params:
            fields[name] = text(params, name, limit)
    if "statement_descriptor" in params:
        value = text(params, "statement_descriptor")
        if value is not None and not DESCRIPTOR.fullmatch(value):
            raise invalid("The statement descriptor must be 5 to 22 characters, without <, >, \\, ', \" or *.",
                          "statement_descriptor")
        fields["statement_descriptor"] = value
    for name in ("active", "shippable"):
        if name in params:
            fields[name] = as_bool(params[name], name)
    found = images(params)
    if found is not None:
        fields["images"] = found
    return fields


def new_product(product_id: str, now: int) -> dict:
    """An active product with every field Stripe's product has, all at their defaults."""
    return {
        "id": product_id, "object": "product", "active": True, "created": now, "default_price": None,
        "description": None, "images": [], "livemode": False, "marketing_features": [], "metadata": {},
        "name": "", "package_dimensions": None, "shippable": None, "statement_descriptor": None,
        "tax_code": None, "type": "service", "unit_label": None, "updated": now, "url": None,
    }


def build_product(params: dict, now: int | None = None) -> dict:
    """A new product object from validated create params (default_price is set by the caller)."""
    check_names(params, CREATE)
    if "name" not in params:
        raise missing("name")
    product_id = new_id("prod", 14)
    if "id" in params:
        product_id = as_string(params["id"], "id")
        if not CUSTOM_ID.fullmatch(product_id):
            raise invalid("A product id can be up to 100 letters, digits, '_' or '-'.", "id")
    product = new_product(product_id, now or int(time.time()))
    product.update(changes(params))
    product["metadata"] = parse_metadata(params.get("metadata"))
    return product


def update_product(product: dict, params: dict) -> dict:
    """The product with an update's validated changes applied (default_price is checked by the caller)."""
    check_names(params, UPDATE)
    updated = {**product, **changes(params), "metadata": merge_metadata(product["metadata"], params)}
    updated["updated"] = int(time.time())
    return updated

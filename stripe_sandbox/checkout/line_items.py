"""Validate a Checkout Session's line_items[i]: a stored Price by id, or an ad-hoc price_data."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..api.errors import invalid, missing
from ..api.forms import as_hash, as_int, as_list, as_string, reject_unknown
from ..api.metadata import parse_metadata
from ..products.price_params import TAX_BEHAVIORS
from ..reference.currencies import MAX_AMOUNT, check_amount_step, parse_currency

TAX_CODE = re.compile(r"txcd_\d{8}")
MAX_UNIT_LABEL = 12


@dataclass
class LineItemSpec:
    """One validated line item: what is sold, at what unit price, how many."""

    name: str
    unit_amount: int
    quantity: int
    currency: str
    description: str | None = None
    images: list[str] = field(default_factory=list)
    product_metadata: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)  # the line item's own
    tax_behavior: str = "unspecified"
    tax_code: str | None = None
    unit_label: str | None = None
    price: dict | None = None  # the stored Price (product expanded) when the item names one by id


def parse_url(value, param: str) -> str:
    """Accept an absolute http(s) URL of at most 5000 characters, as Stripe does."""
    text = as_string(value, param)
    parts = urlsplit(text)
    if len(text) > 5000 or parts.scheme not in ("http", "https") or not parts.netloc:
        raise invalid("Not a valid URL", param, "url_invalid")
    return text


def line_item_for_price(price_id: str, quantity: int, param: str, find_price) -> LineItemSpec:
    """A line item selling a stored, active, one-time Price (its product expanded) by id."""
    price = find_price(price_id)
    if price is None:
        raise invalid(f"No such price: '{price_id}'", param, "resource_missing")
    if not price["active"]:
        raise invalid("The price specified is inactive. This field only accepts active prices.", param)
    product = price["product"]
    if not product["active"]:
        raise invalid("The price specified is attached to an inactive product. This field only accepts "
                      "prices of active products.", param)
    check_amount_step(price["unit_amount"], price["currency"], param)
    return LineItemSpec(name=product["name"], unit_amount=price["unit_amount"], quantity=quantity,
                        currency=price["currency"], description=product["description"],
                        images=list(product["images"]), product_metadata=dict(product["metadata"]), price=price)


def parse_line_item(raw, index: int, find_price) -> LineItemSpec:
    """Validate line_items[i]: a Price id or price_data with product_data, a positive quantity, metadata."""
    base = f"line_items[{index}]"
    item = as_hash(raw, base)
    reject_unknown(item, ("price_data", "quantity", "price", "metadata", "adjustable_quantity", "tax_rates"), base)
    for key in ("adjustable_quantity", "tax_rates"):
        if key in item:
            raise invalid(f"The sandbox does not implement {base}[{key}].", f"{base}[{key}]")
    if "price" in item and "price_data" in item:
        raise invalid("You may only specify one of these parameters: price, price_data.", base)
    if "price" not in item and "price_data" not in item:
        raise missing(f"{base}[price]")
    if "quantity" not in item:
        raise missing(f"{base}[quantity]")
    quantity = as_int(item["quantity"], f"{base}[quantity]", 1, 999_999)
    metadata = parse_metadata(item.get("metadata"), f"{base}[metadata]")
    if "price" in item:
        spec = line_item_for_price(as_string(item["price"], f"{base}[price]"), quantity, f"{base}[price]",
                                   find_price)
    else:
        spec = line_item_for_price_data(item["price_data"], quantity, f"{base}[price_data]")
    spec.metadata = metadata
    return spec


def line_item_for_price_data(raw, quantity: int, pd_param: str) -> LineItemSpec:
    """A line item selling a price made for this session from price_data, with its product_data."""
    price = as_hash(raw, pd_param)
    reject_unknown(price, ("currency", "unit_amount", "product_data", "unit_amount_decimal",
                           "product", "tax_behavior", "recurring"), pd_param)
    for key in ("unit_amount_decimal", "product", "recurring"):
        if key in price:
            raise invalid(f"The sandbox does not implement {pd_param}[{key}].", f"{pd_param}[{key}]")
    for key in ("currency", "unit_amount", "product_data"):
        if key not in price:
            raise missing(f"{pd_param}[{key}]")
    tax_behavior = as_string(price.get("tax_behavior", "unspecified"), f"{pd_param}[tax_behavior]")
    if tax_behavior not in TAX_BEHAVIORS:
        raise invalid(f"Invalid {pd_param}[tax_behavior]: must be one of {', '.join(TAX_BEHAVIORS)}",
                      f"{pd_param}[tax_behavior]")
    product_param = f"{pd_param}[product_data]"
    product = as_hash(price["product_data"], product_param)
    reject_unknown(product, ("name", "description", "images", "metadata", "tax_code", "unit_label"), product_param)
    if "name" not in product:
        raise missing(f"{product_param}[name]")
    name = as_string(product["name"], f"{product_param}[name]")
    if not name.strip():
        raise invalid("Product name cannot be empty.", f"{product_param}[name]")
    images = as_list(product.get("images", ""), f"{product_param}[images]")
    if len(images) > 8:
        raise invalid("A product can have at most 8 images.", f"{product_param}[images]")
    currency = parse_currency(price["currency"], f"{pd_param}[currency]")
    unit_amount = as_int(price["unit_amount"], f"{pd_param}[unit_amount]", 0, MAX_AMOUNT)
    return LineItemSpec(
        name=name,
        unit_amount=check_amount_step(unit_amount, currency, f"{pd_param}[unit_amount]"),
        quantity=quantity,
        currency=currency,
        description=as_string(product["description"], f"{product_param}[description]")
        if "description" in product else None,
        images=[parse_url(url, f"{product_param}[images][{i}]") for i, url in enumerate(images)],
        product_metadata=parse_metadata(product.get("metadata"), f"{product_param}[metadata]"),
        tax_behavior=tax_behavior,
        tax_code=parse_tax_code(product, product_param),
        unit_label=parse_unit_label(product, product_param),
    )


def parse_tax_code(product: dict, product_param: str) -> str | None:
    """product_data[tax_code]: a Stripe tax code id (txcd_ and eight digits), or None."""
    if "tax_code" not in product:
        return None
    code = as_string(product["tax_code"], f"{product_param}[tax_code]")
    if not TAX_CODE.fullmatch(code):
        raise invalid(f"Invalid tax code: {code!r} (Stripe's tax codes look like txcd_99999999).",
                      f"{product_param}[tax_code]")
    return code


def parse_unit_label(product: dict, product_param: str) -> str | None:
    """product_data[unit_label]: up to 12 characters shown beside the quantity, or None."""
    if "unit_label" not in product:
        return None
    label = as_string(product["unit_label"], f"{product_param}[unit_label]")
    if len(label) > MAX_UNIT_LABEL:
        raise invalid(f"unit_label can be up to {MAX_UNIT_LABEL} characters (got {len(label)}).",
                      f"{product_param}[unit_label]")
    return label or None

"""REST routes for Prices: create (for a product, or with product_data), retrieve, update, list by lookup key."""
from __future__ import annotations

from flask import Blueprint, current_app

from ..api.errors import invalid
from ..api.forms import as_bool, as_list, as_string
from ..api.http_json import json_response, only_params, request_params
from ..api.idempotency import idempotent
from ..api.lists import CURSORS, created_conditions, expand_paths, page_of
from .price_params import (
    CREATE,
    build_price,
    check_names,
    product_data,
    transfer_requested,
    update_price,
)
from .product_params import build_product
from .store import (
    list_documents,
    load_product,
    price_with_lookup_key,
    release_lookup_key,
    require_price,
    require_product,
    save_price,
    save_product,
)

bp = Blueprint("api_prices", __name__)
LIST_PARAMS = (*CURSORS, "active", "currency", "lookup_keys", "product", "type", "created", "expand")
MAX_LOOKUP_KEYS = 10


def db():
    """The running sandbox's database."""
    return current_app.extensions["stripe_sandbox"].db


def render(price: dict, expand: list[str]) -> dict:
    """The price as the API shows it, its product expanded when asked."""
    if "product" in expand:
        return {**price, "product": load_product(db().connection(), price["product"])}
    return price


def claim_lookup_key(conn, price: dict, params: dict) -> None:
    """Give price its lookup key: refused while another price holds it, unless transfer_lookup_key=true."""
    key = price["lookup_key"]
    if key is None:
        return
    holder = price_with_lookup_key(conn, key)
    if holder is None or holder["id"] == price["id"]:
        return
    if not transfer_requested(params):
        raise invalid(f"A price ({holder['id']}) already uses that lookup key. Set transfer_lookup_key=true "
                      "to move it to this price.", "lookup_key")
    release_lookup_key(conn, key)


@bp.post("/v1/prices")
@idempotent
def create_price():
    """POST /v1/prices: a one-time price for `product`, or for a new product from `product_data`."""
    params = request_params()
    check_names(params, CREATE)
    inline = product_data(params)
    if ("product" in params) == (inline is not None):
        raise invalid("Exactly one of product or product_data is required.", "product")
    with db().transaction() as conn:
        if inline is not None:
            product = build_product(inline)
            save_product(conn, product)
        else:
            product = require_product(conn, as_string(params["product"], "product"), "product")
        price = build_price(params, product["id"])
        claim_lookup_key(conn, price, params)
        save_price(conn, price)
    return json_response(render(price, expand_paths(params, ("product",))))


@bp.get("/v1/prices/<price_id>")
def retrieve_price(price_id: str):
    """GET /v1/prices/{id}, with expand[]=product."""
    params = request_params()
    only_params(params, ("expand",))
    return json_response(render(require_price(db().connection(), price_id), expand_paths(params, ("product",))))


@bp.post("/v1/prices/<price_id>")
@idempotent
def change_price(price_id: str):
    """POST /v1/prices/{id}: active, metadata, nickname, lookup_key (with transfer_lookup_key), tax_behavior."""
    params = request_params()
    with db().transaction() as conn:
        price = update_price(require_price(conn, price_id), params)
        claim_lookup_key(conn, price, params)
        save_price(conn, price)
    return json_response(render(price, expand_paths(params, ("product",))))


@bp.get("/v1/prices")
def list_prices():
    """GET /v1/prices: newest first, filtered by active, currency, lookup_keys, product, type and created."""
    params = request_params()
    only_params(params, LIST_PARAMS)
    conditions = []
    if "active" in params:
        conditions.append(("json_extract(doc, '$.active') = ?", int(as_bool(params["active"], "active"))))
    if "currency" in params:
        conditions.append(("json_extract(doc, '$.currency') = ?", as_string(params["currency"], "currency").lower()))
    if "product" in params:
        conditions.append(("product = ?", as_string(params["product"], "product")))
    if "type" in params:
        kind = as_string(params["type"], "type")
        if kind not in ("one_time", "recurring"):
            raise invalid("Invalid type: must be one of one_time or recurring", "type")
        conditions.append(("json_extract(doc, '$.type') = ?", kind))
    if "created" in params:
        conditions.extend(created_conditions(params["created"]))
    prices = list_documents(db().connection(), "prices", conditions)
    if "lookup_keys" in params:
        keys = [as_string(k, "lookup_keys") for k in as_list(params["lookup_keys"], "lookup_keys")]
        if len(keys) > MAX_LOOKUP_KEYS:
            raise invalid(f"You can pass up to {MAX_LOOKUP_KEYS} lookup_keys.", "lookup_keys")
        prices = [p for p in prices if p["lookup_key"] in keys]
    expand = [p.removeprefix("data.") for p in expand_paths(params, ("data.product",))]
    page = page_of(prices, params, "/v1/prices", "price")
    page["data"] = [render(p, expand) for p in page["data"]]
    return json_response(page)

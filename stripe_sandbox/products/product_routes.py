"""REST routes for Products: create (with default_price_data), retrieve, update, list, delete."""
from __future__ import annotations

from flask import Blueprint, current_app

from ..api.errors import ApiError, invalid
from ..api.forms import as_bool, as_hash, as_list, as_string, reject_unknown
from ..api.http_json import json_response, only_params, request_params
from ..api.idempotency import idempotent
from ..api.lists import CURSORS, created_conditions, expand_paths, page_of
from .price_params import build_price
from .product_params import build_product, update_product
from .store import (
    delete_product,
    has_prices,
    list_documents,
    load_price,
    load_product,
    require_product,
    save_price,
    save_product,
)

bp = Blueprint("api_products", __name__)
LIST_PARAMS = (*CURSORS, "active", "ids", "shippable", "url", "created", "expand")


def db():
    """The running sandbox's database."""
    return current_app.extensions["stripe_sandbox"].db


def render(product: dict, expand: list[str]) -> dict:
    """The product as the API shows it, default_price expanded when asked."""
    if "default_price" in expand and product["default_price"]:
        return {**product, "default_price": load_price(db().connection(), product["default_price"])}
    return product


@bp.post("/v1/products")
@idempotent
def create_product():
    """POST /v1/products: a product, and a default price from default_price_data if given."""
    params = request_params()
    product = build_product(params)
    price = None
    if "default_price_data" in params:
        data = as_hash(params["default_price_data"], "default_price_data")
        reject_unknown(data, ("currency", "unit_amount", "metadata", "tax_behavior"), "default_price_data")
        try:
            price = build_price(data, product["id"], product["created"])
        except ApiError as exc:  # name the nested param, as Stripe does
            if exc.param:
                exc.param = f"default_price_data[{exc.param}]"
            raise
        product["default_price"] = price["id"]
    with db().transaction() as conn:
        if load_product(conn, product["id"]) is not None:
            raise invalid(f"Product already exists: '{product['id']}'.", "id", "resource_already_exists")
        save_product(conn, product)
        if price is not None:
            save_price(conn, price)
    return json_response(render(product, expand_paths(params, ("default_price",))))


@bp.get("/v1/products/<product_id>")
def retrieve_product(product_id: str):
    """GET /v1/products/{id}, with expand[]=default_price."""
    params = request_params()
    only_params(params, ("expand",))
    product = require_product(db().connection(), product_id)
    return json_response(render(product, expand_paths(params, ("default_price",))))


@bp.post("/v1/products/<product_id>")
@idempotent
def change_product(product_id: str):
    """POST /v1/products/{id}: name, active, description, images, metadata, default_price and friends."""
    params = request_params()
    with db().transaction() as conn:
        product = update_product(require_product(conn, product_id), params)
        if "default_price" in params:
            price_id = as_string(params["default_price"], "default_price") or None
            price = load_price(conn, price_id) if price_id else None
            if price_id and (price is None or price["product"] != product_id):
                raise invalid(f"No such price: '{price_id}' on product '{product_id}'.", "default_price",
                              "resource_missing")
            if price is not None and not price["active"]:
                raise invalid("The default price must be active.", "default_price")
            product["default_price"] = price_id
        save_product(conn, product)
    return json_response(render(product, expand_paths(params, ("default_price",))))


@bp.delete("/v1/products/<product_id>")
def remove_product(product_id: str):
    """DELETE /v1/products/{id}: only a product without prices, as on Stripe (archive it with active=false)."""
    with db().transaction() as conn:
        require_product(conn, product_id)
        if has_prices(conn, product_id):
            raise invalid("This product cannot be deleted because it has one or more prices; set active=false "
                          "to archive it instead.", "id")
        delete_product(conn, product_id)
    return json_response({"id": product_id, "object": "product", "deleted": True})


@bp.get("/v1/products")
def list_products():
    """GET /v1/products: newest first, filtered by active, ids, shippable, url and created."""
    params = request_params()
    only_params(params, LIST_PARAMS)
    conditions = []
    for name in ("active", "shippable"):
        if name in params:
            conditions.append((f"json_extract(doc, '$.{name}') = ?", int(as_bool(params[name], name))))
    if "url" in params:
        conditions.append(("json_extract(doc, '$.url') = ?", as_string(params["url"], "url")))
    if "created" in params:
        conditions.extend(created_conditions(params["created"]))
    products = list_documents(db().connection(), "products", conditions)
    if "ids" in params:
        wanted = {as_string(i, "ids") for i in as_list(params["ids"], "ids")}
        products = [p for p in products if p["id"] in wanted]
    expand = [p.removeprefix("data.") for p in expand_paths(params, ("data.default_price",))]
    page = page_of(products, params, "/v1/products", "product")
    page["data"] = [render(p, expand) for p in page["data"]]
    return json_response(page)

"""Discounts on a session: which coupon a code or id names, whether it can be redeemed, and the amounts."""
from __future__ import annotations

import time

from ..api.errors import ApiError, invalid
from ..api.forms import as_bool, as_hash, as_list, as_string, reject_unknown
from ..discounts.store import active_code, load, save
from .store import StoredSession, load_session, update_line_items, update_session


def redeemable(conn, coupon: dict, promotion: dict | None, currency: str, subtotal: int, param: str) -> None:
    """Raise Stripe's 400 when the coupon (or its promotion code) cannot be used for this payment."""
    now = time.time()
    if not coupon["valid"] or (coupon["redeem_by"] and coupon["redeem_by"] < now) or (
            coupon["max_redemptions"] and coupon["times_redeemed"] >= coupon["max_redemptions"]):
        raise invalid(f"This coupon is no longer valid: '{coupon['id']}'.", param, "coupon_expired")
    if coupon["amount_off"] is not None and coupon["currency"] != currency:
        raise invalid(f"The coupon '{coupon['id']}' is in {coupon['currency']}, the session in {currency}.", param)
    if promotion is not None:
        if not promotion["active"] or (promotion["expires_at"] and promotion["expires_at"] < now) or (
                promotion["max_redemptions"] and promotion["times_redeemed"] >= promotion["max_redemptions"]):
            raise invalid(f"This promotion code is no longer active: '{promotion['code']}'.", param)
        minimum = promotion["restrictions"]["minimum_amount"]
        if minimum and (promotion["restrictions"]["minimum_amount_currency"] != currency or subtotal < minimum):
            raise invalid(f"The promotion code '{promotion['code']}' needs a larger order.", param)


def coupon_of(conn, promotion: dict) -> dict:
    """The coupon a promotion code gives."""
    return load(conn, "coupons", promotion["promotion"]["coupon"])


def find_code(conn, code: str) -> tuple[dict, dict] | None:
    """(coupon, promotion code) for a code a customer typed, or None when no active code has that text."""
    promotion = active_code(conn, code)
    if promotion is None:
        return None
    return coupon_of(conn, promotion), promotion

UNKNOWN_CODE = "This code is invalid."


def line_discounts(coupon: dict, amounts: list[int]) -> list[int]:
    """The discount on each line: a percentage of each, or a fixed amount spread in proportion (never
    more than the lines cost), the rounding remainder on the last line."""
    subtotal = sum(amounts)
    if subtotal == 0:
        return [0] * len(amounts)
    if coupon["percent_off"] is not None:
        total = round(subtotal * coupon["percent_off"] / 100)
    else:
        total = min(coupon["amount_off"], subtotal)
    shares = [total * amount // subtotal for amount in amounts]
    shares[-1] += total - sum(shares)
    return shares


def apply_discount(session: dict, line_items: list[dict], coupon: dict | None, promotion: dict | None) -> None:
    """Set (or, with no coupon, remove) the session's discount and recompute line and session totals."""
    amounts = [li["amount_subtotal"] for li in line_items]
    shares = line_discounts(coupon, amounts) if coupon else [0] * len(amounts)
    for item, share in zip(line_items, shares, strict=True):
        item["amount_discount"] = share
        item["amount_total"] = item["amount_subtotal"] - share
    session["discounts"] = [{"coupon": coupon["id"], "promotion_code": promotion["id"] if promotion else None}
                            ] if coupon else []
    details = session["total_details"] or {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0}
    session["total_details"] = {**details, "amount_discount": sum(shares)}
    shipping = details.get("amount_shipping") or 0
    session["amount_total"] = session["amount_subtotal"] - sum(shares) + shipping



def parse_discount_request(params: dict) -> list[tuple[str, str, str]]:
    """discounts[0][coupon|promotion_code] as (table, id, param); Stripe takes one, and not with
    allow_promotion_codes (the customer's code field)."""
    if "discounts" not in params:
        return []
    if "allow_promotion_codes" in params and as_bool(params["allow_promotion_codes"], "allow_promotion_codes"):
        raise invalid("You may only specify one of these parameters: allow_promotion_codes, discounts.",
                      "discounts")
    entries = as_list(params["discounts"], "discounts")
    if len(entries) > 1:
        raise invalid("The sandbox, like Stripe Checkout, takes one discount per session.", "discounts")
    requests = []
    for i, raw in enumerate(entries):
        entry = as_hash(raw, f"discounts[{i}]")
        reject_unknown(entry, ("coupon", "promotion_code"), f"discounts[{i}]")
        if len(entry) != 1:
            raise invalid("Pass one of coupon or promotion_code.", f"discounts[{i}]")
        kind, value = next(iter(entry.items()))
        param = f"discounts[{i}][{kind}]"
        requests.append(("coupons" if kind == "coupon" else "promotion_codes", as_string(value, param), param))
    return requests


def resolve_discount(conn, request: tuple[str, str, str], currency: str, subtotal: int):
    """(coupon, promotion code or None) for a discounts[] entry, checked redeemable, or Stripe's 400."""
    table, object_id, param = request
    doc = load(conn, table, object_id)
    if doc is None:
        kind = "coupon" if table == "coupons" else "promotion code"
        raise invalid(f"No such {kind}: '{object_id}'", param, "resource_missing")
    coupon, promotion = (doc, None) if table == "coupons" else (coupon_of(conn, doc), doc)
    redeemable(conn, coupon, promotion, currency, subtotal, param)
    return coupon, promotion


def recheck_redeemable(conn, session: dict) -> None:
    """Stripe's 400 when the session's coupon or promotion code can no longer be redeemed: checked again
    when the payment is confirmed (it may have been used up, deactivated or expired since it was applied),
    in the transaction that then counts the redemption, so two payments cannot both take its last use."""
    for discount in session["discounts"]:
        promotion = load(conn, "promotion_codes", discount["promotion_code"]) if discount["promotion_code"] else None
        coupon = load(conn, "coupons", discount["coupon"])
        param = "promotion_code" if promotion else "discounts"
        if coupon is None:
            raise invalid(f"No such coupon: '{discount['coupon']}'", param, "resource_missing")
        redeemable(conn, coupon, promotion, session["currency"], session["amount_subtotal"], param)


def count_redemption(conn, session: dict) -> None:
    """A paid session redeems its coupon and promotion code once each."""
    for discount in session["discounts"]:
        for table, object_id in (("coupons", discount["coupon"]), ("promotion_codes", discount["promotion_code"])):
            doc = load(conn, table, object_id) if object_id else None
            if doc is not None:
                doc["times_redeemed"] += 1
                save(conn, table, doc)


def change_code(conn, session_id: str, text: str | None) -> StoredSession:
    """Apply the promotion code a customer typed (None removes the discount) to an open session that
    allows codes, saving it; Stripe's 400 (param promotion_code) when the code cannot be used."""
    stored = load_session(conn, session_id)
    if text is None:
        apply_discount(stored.session, stored.line_items, None, None)
    else:
        if not stored.session.get("allow_promotion_codes"):
            raise ApiError(400, "This Checkout Session does not allow promotion codes.", param="promotion_code")
        found = find_code(conn, text)
        if found is None:
            raise ApiError(400, UNKNOWN_CODE, param="promotion_code")
        redeemable(conn, *found, stored.session["currency"], stored.session["amount_subtotal"], "promotion_code")
        apply_discount(stored.session, stored.line_items, *found)
    update_session(conn, stored.session)
    update_line_items(conn, session_id, stored.line_items)
    return stored

"""Basket rules: product ids and quantities only; every price comes from the catalog."""
from __future__ import annotations

from dataclasses import dataclass

from lib.shop.catalog import Catalog, Product

MAX_QUANTITY = 10


class BasketError(ValueError):
    """A basket change that is refused, with a message fit to show the shopper."""


@dataclass(frozen=True)
class Basket:
    """A shopper's basket: {product_id: quantity} and a version bumped on every change."""

    lines: dict
    version: int = 0

    @property
    def count(self) -> int:
        """How many items, counting quantities."""
        return sum(self.lines.values())


@dataclass(frozen=True)
class PricedLine:
    """A basket line priced from the catalog."""

    product: Product
    quantity: int

    @property
    def total(self) -> int:
        """Line total in minor units."""
        return self.product.price * self.quantity


def check_quantity(quantity: object) -> int:
    """Return the quantity if it is a whole number from 1 to MAX_QUANTITY, else refuse."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise BasketError(f"Quantity must be a whole number, not {quantity!r}.")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise BasketError(f"Quantity must be between 1 and {MAX_QUANTITY}; {quantity} is not.")
    return quantity


def check_product(catalog: Catalog, product_id: object) -> Product:
    """Return the catalog product for an id, or refuse an unknown one."""
    product = catalog.get(product_id) if isinstance(product_id, str) else None
    if product is None:
        raise BasketError(f"There is no product {product_id!r} in this shop.")
    return product


def add_item(lines: dict, catalog: Catalog, product_id: str, quantity: int = 1) -> dict:
    """Lines with quantity more of a product; refused past MAX_QUANTITY in all."""
    product = check_product(catalog, product_id)
    check_quantity(quantity)
    new_total = lines.get(product_id, 0) + quantity
    if new_total > MAX_QUANTITY:
        raise BasketError(f"You can have at most {MAX_QUANTITY} of {product.title} in your "
                          f"basket (you have {lines.get(product_id, 0)}).")
    return {**lines, product_id: new_total}


def set_quantity(lines: dict, catalog: Catalog, product_id: str, quantity: int) -> dict:
    """Lines with one product's quantity replaced (1..MAX_QUANTITY)."""
    check_product(catalog, product_id)
    if product_id not in lines:
        raise BasketError("That product is not in your basket.")
    return {**lines, product_id: check_quantity(quantity)}


def adjust_quantity(lines: dict, catalog: Catalog, product_id: str, delta: int) -> dict:
    """Lines with delta added to one product's stored quantity (kept within 1..MAX_QUANTITY):
    a change made from a stale page adds to what another tab stored instead of overwriting it."""
    check_product(catalog, product_id)
    if product_id not in lines:
        raise BasketError("That product was removed from your basket in another tab; here is "
                          "your basket as it is now.")
    return {**lines, product_id: min(MAX_QUANTITY, max(1, lines[product_id] + int(delta)))}


@dataclass
class QuantityEdit:
    """A quantity a page changed from shown to wanted. The stale-tab rule: the change (wanted -
    shown) is added to what the store holds, so an edit another tab made in between is kept,
    and the shopper is told when the store held something other than what the page showed."""

    product_id: str
    shown: int
    wanted: int
    stored: int | None = None  # what the store held when apply last ran

    def apply(self, lines: dict, catalog: Catalog) -> dict:
        """The lines with this edit made (BasketStore.update's change; it may run again)."""
        self.stored = lines.get(self.product_id)
        return adjust_quantity(lines, catalog, self.product_id, self.wanted - self.shown)

    def conflict(self) -> str:
        """What to tell the shopper when another tab changed the line first ("" when not)."""
        if self.stored is None or self.stored == self.shown:
            return ""
        return (f"Your basket changed in another tab ({self.stored} there, {self.shown} here): "
                f"your change of {self.wanted - self.shown:+d} was added to it. "
                "This is the basket now.")


def remove_item(lines: dict, product_id: str) -> dict:
    """Lines without a product (removing an absent one changes nothing)."""
    return {pid: qty for pid, qty in lines.items() if pid != product_id}


def merge_lines(into: dict, extra: dict, catalog: Catalog) -> dict:
    """Add a guest basket's lines to a shopper's, capping each at MAX_QUANTITY and dropping
    ids the catalog no longer has."""
    merged = dict(into)
    for pid, qty in extra.items():
        if catalog.get(pid) is not None:
            merged[pid] = min(MAX_QUANTITY, merged.get(pid, 0) + qty)
    return merged


def priced_lines(basket: Basket, catalog: Catalog) -> list[PricedLine]:
    """The basket's lines priced from the catalog; ids no longer sold are left out."""
    return [PricedLine(catalog.get(pid), qty) for pid, qty in basket.lines.items()
            if catalog.get(pid) is not None]


def subtotal(basket: Basket, catalog: Catalog) -> int:
    """The basket's total before shipping, in minor units."""
    return sum(line.total for line in priced_lines(basket, catalog))

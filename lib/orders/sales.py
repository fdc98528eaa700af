"""What the order store answers about sales: totals by status, by hour and by product."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

UNKNOWN_PRODUCT = "(no product id)"


@dataclass(frozen=True)
class StatusTotal:
    """How many orders have one status, and what they add up to (minor units)."""

    status: str
    orders: int
    amount: int


@dataclass(frozen=True)
class HourTotal:
    """Paid orders and their revenue in one UTC hour (hour is its start)."""

    hour: datetime
    orders: int
    amount: int


@dataclass(frozen=True)
class ProductTotal:
    """Units and revenue (line totals) of one product over paid orders."""

    product_id: str
    name: str
    units: int
    revenue: int


@dataclass(frozen=True)
class SalesSummary:
    """The store's aggregate answer for one currency; the dashboard is built from it alone."""

    currency: str
    by_status: tuple[StatusTotal, ...] = ()
    by_hour: tuple[HourTotal, ...] = ()
    by_product: tuple[ProductTotal, ...] = field(default=())
    generated_orders: int = 0  # orders of any status carrying demo data's mark (Order.demo)

    def status(self, name: str) -> StatusTotal:
        """The total for one status (zero when no order has it)."""
        for total in self.by_status:
            if total.status == name:
                return total
        return StatusTotal(name, 0, 0)

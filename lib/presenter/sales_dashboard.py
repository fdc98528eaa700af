"""The sales dashboard's figures, built from the store's SalesSummary and the catalog alone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from lib.orders.model import OrderStatus
from lib.orders.sales import HourTotal, ProductTotal, SalesSummary
from lib.shop.catalog import Catalog

STATUS_LABELS = {OrderStatus.PAID: "Paid", OrderStatus.AWAITING_PAYMENT: "Awaiting payment",
                 OrderStatus.PAYMENT_FAILED: "Payment failed", "refunded": "Refunded",
                 "partially_refunded": "Partially refunded"}
NOT_IN_CATALOG = "Not in the catalog"
HOURLY_SPAN = timedelta(hours=48)  # longer than this and revenue is shown by day
TOP = 5


@dataclass(frozen=True)
class Period:
    """Paid orders and revenue in one hour or day (start is UTC)."""

    start: datetime
    orders: int
    revenue: int


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard page shows, in minor units of one currency."""

    currency: str
    paid_orders: int
    revenue: int
    average_basket: int
    by_status: list[tuple[str, int, int]]
    granularity: str
    revenue_over_time: list[Period]
    by_category: list[tuple[str, int, int]]
    top_by_units: list[ProductTotal]
    top_by_revenue: list[ProductTotal]

    @property
    def empty(self) -> bool:
        """Whether no order of any status exists in this currency."""
        return not any(orders for _, orders, _ in self.by_status)


def status_label(status: str) -> str:
    """A status as people read it."""
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def _same_hour(moment: datetime) -> datetime:
    """The hourly bucket an hour falls in: itself."""
    return moment


def _start_of_day(moment: datetime) -> datetime:
    """The daily bucket an hour falls in: midnight of its day."""
    return moment.replace(hour=0)


def _periods(hours: tuple[HourTotal, ...]) -> tuple[str, list[Period]]:
    """Hourly buckets when the sales span two days or less, else daily; gaps filled with zero."""
    if not hours:
        return "hour", []
    first, last = hours[0].hour, hours[-1].hour
    if last - first <= HOURLY_SPAN:
        step, key = timedelta(hours=1), _same_hour
        granularity = "hour"
    else:
        step = timedelta(days=1)
        key = _start_of_day
        granularity = "day"
    totals: dict[datetime, list[int]] = {}
    for bucket in hours:
        figures = totals.setdefault(key(bucket.hour), [0, 0])
        figures[0] += bucket.orders
        figures[1] += bucket.amount
    periods, moment = [], key(first)
    while moment <= key(last):
        orders, revenue = totals.get(moment, (0, 0))
        periods.append(Period(moment, orders, revenue))
        moment += step
    return granularity, periods


def _categories(products: tuple[ProductTotal, ...], catalog: Catalog) -> list[tuple[str, int, int]]:
    """(category, units, revenue) per catalog category, largest revenue first."""
    totals: dict[str, list[int]] = {}
    for line in products:
        product = catalog.get(line.product_id)
        figures = totals.setdefault(product.category if product else NOT_IN_CATALOG, [0, 0])
        figures[0] += line.units
        figures[1] += line.revenue
    return sorted(((name, units, revenue) for name, (units, revenue) in totals.items()),
                  key=lambda row: (-row[2], row[0]))


def build_dashboard(summary: SalesSummary, catalog: Catalog) -> Dashboard:
    """The dashboard's figures; revenue counts paid orders only (amount with shipping)."""
    paid = summary.status(OrderStatus.PAID)
    granularity, periods = _periods(summary.by_hour)
    order = {status: n for n, status in enumerate(STATUS_LABELS)}
    statuses = sorted(summary.by_status, key=lambda t: (order.get(t.status, len(order)), t.status))
    products = summary.by_product
    return Dashboard(
        currency=summary.currency,
        paid_orders=paid.orders,
        revenue=paid.amount,
        average_basket=round(paid.amount / paid.orders) if paid.orders else 0,
        by_status=[(status_label(t.status), t.orders, t.amount) for t in statuses],
        granularity=granularity,
        revenue_over_time=periods,
        by_category=_categories(products, catalog),
        top_by_units=sorted(products, key=lambda p: (-p.units, -p.revenue, p.name))[:TOP],
        top_by_revenue=sorted(products, key=lambda p: (-p.revenue, -p.units, p.name))[:TOP],
    )

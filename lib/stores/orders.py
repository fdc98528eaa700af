"""The order store port: one interface, implemented by the SQLite and Firestore adapters."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass

from lib.orders.model import Order
from lib.orders.sales import SalesSummary
from lib.orders.stored import SkippedStoredOrder, StoredOrder


@dataclass(frozen=True)
class PageCursor:
    """Where the next page starts: just after the stored order with this sort value and id.

    sort_value is the stored timestamp exactly as the backend holds it (even when it is not a
    date), so a page never stops at a malformed order.
    """

    sort_value: object
    key: str


@dataclass(frozen=True)
class OrderPage:
    """One page of a shopper's orders, newest first, and the stored orders it had to skip."""

    orders: tuple[Order, ...]
    skipped: tuple[SkippedStoredOrder, ...] = ()
    next_cursor: PageCursor | None = None  # None on the last page


class OrderStore(ABC):
    """Orders keyed by (email, session_id); writes are exactly-once by the backend's own guarantee."""

    backend: str = "abstract"

    @abstractmethod
    def create_order(self, order: Order) -> bool:
        """Write the order unless one exists for its (email, session_id); True if this call wrote it."""

    @abstractmethod
    def get_order(self, email: str, session_id: str) -> Order | None:
        """The order for this shopper and session, or None."""

    @abstractmethod
    def advance_status(self, email: str, session_id: str, from_statuses: Iterable[str],
                       to_status: str) -> bool:
        """Atomically move the order's status to to_status if it is one of from_statuses."""

    @abstractmethod
    def record_refund(self, email: str, session_id: str, amount_refunded: int) -> bool:
        """Atomically set a paid order's refunded total (and refunded or partially_refunded status) if
        amount_refunded is more than it records; True if this call changed it. Stripe's total only
        grows, so a duplicate or late, smaller delivery changes nothing."""

    @abstractmethod
    def page_orders(self, email: str, limit: int = 10,
                    after: PageCursor | None = None) -> OrderPage:
        """Up to limit orders, newest first, starting just after the cursor (never an offset).

        Stored orders that cannot be read are skipped, logged and listed in the page; every
        stored order is either in some page's orders or in some page's skipped, once.
        """

    def list_orders(self, email: str, limit: int = 10) -> list[Order]:
        """The shopper's newest readable orders (the first page)."""
        return list(self.page_orders(email, limit).orders)

    @abstractmethod
    def count_orders(self, email: str) -> int:
        """How many orders the shopper has stored, readable or not."""

    @abstractmethod
    def delete_order(self, email: str, session_id: str) -> None:
        """Remove one order (used by the setup probe and tests only)."""

    @abstractmethod
    def sales_summary(self, currency: str) -> SalesSummary:
        """Every shopper's orders in one currency, aggregated by the store (not read one by one)."""

    @abstractmethod
    def stored_orders(self, search: str = "", limit: int = 50) -> list[StoredOrder]:
        """Stored orders newest first, as their raw documents; a search matches email or session id."""

    @abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers now."""

    @abstractmethod
    def describe(self) -> str:
        """Where the orders live, for people (file path, or Firestore project and host)."""

    def close(self) -> None:
        """Release connections; the default has nothing to release."""

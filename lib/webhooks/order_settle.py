"""One fulfilment attempt's order write, with the settle of its event where the stores allow:
the inbox's fulfilled_with_order writes both at once (one Firestore batch), else the order is
written alone and the workers settle the event after."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lib.orders.model import Order
from lib.stores.inbox import Claim, Inbox
from lib.stores.orders import OrderStore

CreateOrder = Callable[[Order], bool]  # writes an order unless it exists: True if this call did


class OrderWithSettle:
    """One attempt's order write: where the inbox and the order store can write together, the
    order's create and the event's settle are one write (settled then says so); else the order
    alone, and the worker settles the event afterwards."""

    def __init__(self, inbox: Inbox, claim: Claim, orders: OrderStore,
                 clock: Callable[[], datetime]):
        self.inbox, self.claim, self.orders, self.clock = inbox, claim, orders, clock
        self.settled = False

    def create_order(self, order: Order) -> bool:
        """Write the order unless it exists (with the settle, where the stores allow)."""
        together = self.inbox.fulfilled_with_order(self.claim, order, self.orders, self.clock())
        if together is None:
            return self.orders.create_order(order)
        self.settled = together
        return together

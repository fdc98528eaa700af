"""Phase two: a bounded pool of threads that fulfil inboxed events (handed over in memory by
the intake, or claimed by polling the inbox), with retries and backoff, and a final failed
state for events that cannot succeed."""
from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import stripe

from lib.clock import utc_now
from lib.stores.errors import StoreError
from lib.stores.inbox import Claim, Inbox, InboxEvent, InboxState
from lib.stores.orders import OrderStore
from lib.webhooks.events import SettledOrders, Verdict, WebhookOutcome, handle_event
from lib.webhooks.handoff import Handoff
from lib.webhooks.order_settle import CreateOrder, OrderWithSettle

log = logging.getLogger("storefront.inbox")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to try: attempt n waits base * 2**(n-1) seconds, at most cap."""

    max_attempts: int = 8
    base_seconds: float = 1.0
    cap_seconds: float = 300.0
    lease_seconds: float = 60.0  # longer than any one fulfilment (a few Stripe calls)

    def delay(self, attempts: int) -> timedelta:
        """The wait after the given number of failed attempts."""
        return timedelta(seconds=min(self.cap_seconds, self.base_seconds * 2 ** (attempts - 1)))


# Fulfils one parsed event (FulfilEvent, in the sidecar), its order written through the
# CreateOrder given when there is one, else through its own store.
Handler = Callable[[dict, CreateOrder | None], Verdict]
Report = Callable[[InboxEvent, Verdict, InboxState], None]  # (event, verdict, new state) per try


@dataclass(frozen=True)
class FulfilEvent:
    """The sidecar's handler: each inboxed event goes to lib.webhooks.events.handle_event, and
    from there to lib.checkout.fulfilment.fulfil_checkout, with these collaborators."""

    client: stripe.StripeClient
    orders: OrderStore
    clock: Callable[[], datetime] = utc_now
    settled: SettledOrders = field(default_factory=SettledOrders)  # this process's memory

    def __call__(self, event: dict, create_order: CreateOrder | None = None) -> Verdict:
        """Fulfil one verified, parsed event: retrieve the session, record the order once
        (through create_order when given: the workers' write that settles the event too)."""
        return handle_event(event, self.client, self.orders, self.clock, self.settled,
                            create_order)


def work_one(inbox: Inbox, handle: Handler, policy: RetryPolicy,
             clock: Callable[[], datetime] = utc_now, token: str = "",
             report: Report | None = None, orders: OrderStore | None = None) -> bool:
    """Claim one due event and fulfil it; False when nothing was due."""
    claim = inbox.claim(clock(), policy.lease_seconds, token or uuid.uuid4().hex)
    if claim is None:
        return False
    work_claim(inbox, claim, handle, policy, clock, report, orders)
    return True


def work_claim(inbox: Inbox, claim: Claim, handle: Handler, policy: RetryPolicy,
               clock: Callable[[], datetime] = utc_now, report: Report | None = None,
               orders: OrderStore | None = None) -> InboxState:
    """Fulfil one claimed event and settle it; the state it is left in. Given the order store,
    the order is written together with the settle where the stores allow (OrderWithSettle)."""
    writer = OrderWithSettle(inbox, claim, orders, clock) if orders is not None else None
    verdict = _attempt(claim, handle, writer.create_order if writer else None)
    if writer is not None and writer.settled:
        state = InboxState.FULFILLED
    else:
        state = _settle(inbox, claim, verdict, policy, clock)
    if report is not None:
        report(claim.event, verdict, state)
    return state


def _attempt(claim: Claim, handle: Handler, create_order: CreateOrder | None) -> Verdict:
    """Run the handler on the stored payload; any exception becomes an ERROR verdict."""
    try:
        event = json.loads(claim.event.payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return Verdict(WebhookOutcome.REJECTED, f"stored body: {exc}")
    try:
        return handle(event, create_order)
    except Exception as exc:  # noqa: BLE001 - a bug or outage must leave the event retryable
        return Verdict(WebhookOutcome.ERROR, f"{exc.__class__.__name__}: {exc}")


def _settle(inbox: Inbox, claim: Claim, verdict: Verdict, policy: RetryPolicy,
            clock: Callable[[], datetime]) -> InboxState:
    """Move the event on: errors retry with backoff until max_attempts, then fail; a rejected
    event (Stripe has no such session) cannot succeed and fails at once; the rest are done."""
    now, attempts = clock(), claim.event.attempts
    if verdict.outcome == WebhookOutcome.REJECTED:
        inbox.failed(claim, verdict.detail, now)
        return InboxState.FAILED
    if verdict.outcome == WebhookOutcome.ERROR:
        if attempts >= policy.max_attempts:
            inbox.failed(claim, verdict.detail, now)
            return InboxState.FAILED
        inbox.retry(claim, verdict.detail, now + policy.delay(attempts))
        return InboxState.RETRYING
    inbox.fulfilled(claim, now)
    return InboxState.FULFILLED


class InboxWorkers:
    """threads daemon threads, each fulfilling the events handed over in memory (self.handoff)
    and those a poll of the inbox claims, until stop()."""

    def __init__(self, inbox: Inbox, handle: Handler, threads: int = 4,
                 policy: RetryPolicy | None = None, clock: Callable[[], datetime] = utc_now,
                 idle_seconds: float = 0.25, report: Report | None = None,
                 answering: Callable[[float], object] | None = None,
                 max_defer_seconds: float = 0.5,
                 orders: OrderStore | None = None):
        self.inbox, self.handle, self.threads, self.orders = inbox, handle, threads, orders
        # Answers first: answering(seconds) returns once no delivery is being answered or the
        # seconds are up (AnswersInFlight.wait_until_none); a worker calls it with up to
        # max_defer_seconds before its next event, so the answers Stripe waits on get the CPU
        # (and the GIL) and fulfilment takes the gaps; the cap keeps it from starving.
        self.answering, self.max_defer_seconds = answering, max_defer_seconds
        self.policy = policy or RetryPolicy()
        self.clock, self.idle_seconds, self.report = clock, idle_seconds, report
        # inbox.handoff_per_worker claims may wait per worker: under gunicorn each process gets
        # the events of its own connections, which the kernel spreads unevenly, so where a
        # claim is cheap (SQLite) a long queue would pin a burst to one process's workers while
        # another's sit idle; past it, events go to the inbox unleased, for any process's poll.
        per_worker = getattr(inbox, "handoff_per_worker", 1)
        self.handoff = Handoff(self.policy.lease_seconds, size=threads * per_worker)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> InboxWorkers:
        """Start the threads (their first poll picks up what a crashed process left behind)."""
        for n in range(self.threads):
            thread = threading.Thread(target=self._run, name=f"inbox-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def wake(self) -> None:
        """Tell an idle worker a new event is in the inbox, so it need not wait out its pause."""
        self.handoff.wake()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the threads to finish their current event and wait for them; the claims handed
        over but never started go back to the inbox due now, for a restart or another replica
        to take at once (should that fail, their leases run out instead)."""
        self._stop.set()
        left = self.handoff.close()
        for thread in self._threads:
            thread.join(timeout)
        for claim in left:
            try:
                self.inbox.retry(claim, "handed over but not started when the sidecar stopped",
                                 self.clock())
            except StoreError:
                break

    def _run(self) -> None:
        """Fulfil handed claims as they come; poll the inbox every idle_seconds (for retries
        coming due and other processes' events), at once when woken, and again straight away
        while polls find work."""
        token = uuid.uuid4().hex
        poll_at = 0.0
        while not self._stop.is_set():
            claim, poll = self.handoff.next(poll_at)
            self._defer_to_answers()
            busy = False
            try:
                if claim is not None:
                    self._work_handed(claim)
                elif poll:
                    busy = work_one(self.inbox, self.handle, self.policy, self.clock, token,
                                    self.report, self.orders)
            except StoreError:
                pass  # the inbox is down: the next poll comes after the pause
            except Exception:  # noqa: BLE001 - a dead thread would fulfil nothing, silently
                # The sidecar keeps answering 200 whatever the workers do, so a bug or an
                # unreadable inbox document must cost a pause and a log line, not the thread.
                log.exception("inbox worker: claiming or settling an event failed")
            if poll:
                poll_at = time.monotonic() + (0.0 if busy else self.idle_seconds)

    def _work_handed(self, claim: Claim) -> None:
        """Fulfil a claim handed over in memory, unless its lease ran out while it waited (a
        poll, anyone's, takes the event then)."""
        if self.clock() < claim.event.next_attempt_at:
            work_claim(self.inbox, claim, self.handle, self.policy, self.clock, self.report,
                       self.orders)

    def _defer_to_answers(self) -> None:
        """Wait (at most max_defer_seconds) while deliveries are being answered."""
        if self.answering is not None and not self._stop.is_set():
            self.answering(self.max_defer_seconds)

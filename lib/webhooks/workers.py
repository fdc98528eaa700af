"""Phase two: a bounded pool of threads that claim inboxed events and fulfil them, with
retries and backoff, and a final failed state for events that cannot succeed."""
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

DEFER_POLL_SECONDS = 0.002  # how often a deferring worker looks again
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


Handler = Callable[[dict], Verdict]  # fulfils one parsed event (FulfilEvent, in the sidecar)
Report = Callable[[InboxEvent, Verdict, InboxState], None]  # (event, verdict, new state) per try


@dataclass(frozen=True)
class FulfilEvent:
    """The sidecar's handler: each inboxed event goes to lib.webhooks.events.handle_event, and
    from there to lib.checkout.fulfilment.fulfil_checkout, with these collaborators."""

    client: stripe.StripeClient
    orders: OrderStore
    clock: Callable[[], datetime] = utc_now
    settled: SettledOrders = field(default_factory=SettledOrders)  # this process's memory

    def __call__(self, event: dict) -> Verdict:
        """Fulfil one verified, parsed event: retrieve the session, record the order once."""
        return handle_event(event, self.client, self.orders, self.clock, self.settled)


def work_one(inbox: Inbox, handle: Handler, policy: RetryPolicy,
             clock: Callable[[], datetime] = utc_now, token: str = "",
             report: Report | None = None) -> bool:
    """Claim one due event and fulfil it; False when nothing was due."""
    claim = inbox.claim(clock(), policy.lease_seconds, token or uuid.uuid4().hex)
    if claim is None:
        return False
    verdict = _attempt(claim, handle)
    state = _settle(inbox, claim, verdict, policy, clock)
    if report is not None:
        report(claim.event, verdict, state)
    return True


def _attempt(claim: Claim, handle: Handler) -> Verdict:
    """Run the handler on the stored payload; any exception becomes an ERROR verdict."""
    try:
        event = json.loads(claim.event.payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return Verdict(WebhookOutcome.REJECTED, f"stored body: {exc}")
    try:
        return handle(event)
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
    """threads daemon threads, each claiming and fulfilling events until stop()."""

    def __init__(self, inbox: Inbox, handle: Handler, threads: int = 4,
                 policy: RetryPolicy | None = None, clock: Callable[[], datetime] = utc_now,
                 idle_seconds: float = 0.25, report: Report | None = None,
                 answering: Callable[[], bool] | None = None, max_defer_seconds: float = 0.5):
        self.inbox, self.handle, self.threads = inbox, handle, threads
        # Answers first: while answering() says deliveries are being answered, a worker waits
        # up to max_defer_seconds before its next claim, so the answers Stripe waits on get the
        # CPU (and the GIL) and fulfilment takes the gaps; the cap keeps it from starving.
        self.answering, self.max_defer_seconds = answering, max_defer_seconds
        self.policy = policy or RetryPolicy()
        self.clock, self.idle_seconds, self.report = clock, idle_seconds, report
        self._stop = threading.Event()
        self._wake = threading.Condition()
        self._threads: list[threading.Thread] = []

    def start(self) -> InboxWorkers:
        """Start the threads (they also pick up what a crashed process left behind)."""
        for n in range(self.threads):
            thread = threading.Thread(target=self._run, name=f"inbox-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def wake(self) -> None:
        """Tell an idle worker a new event is in, so it need not wait out its idle pause."""
        with self._wake:
            self._wake.notify()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the threads to finish their current event and wait for them."""
        self._stop.set()
        with self._wake:
            self._wake.notify_all()
        for thread in self._threads:
            thread.join(timeout)

    def _run(self) -> None:
        """Work while there is work; otherwise wait to be woken (or idle_seconds, for events
        other replicas stored and retries coming due)."""
        token = uuid.uuid4().hex
        while not self._stop.is_set():
            self._defer_to_answers()
            try:
                busy = work_one(self.inbox, self.handle, self.policy, self.clock, token,
                                self.report)
            except StoreError:
                busy = False  # the inbox is down: try again after the pause
            except Exception:  # noqa: BLE001 - a dead thread would fulfil nothing, silently
                # The sidecar keeps answering 200 whatever the workers do, so a bug or an
                # unreadable inbox document must cost a pause and a log line, not the thread.
                log.exception("inbox worker: claiming or settling an event failed")
                busy = False
            if not busy:
                with self._wake:
                    self._wake.wait(self.idle_seconds)

    def _defer_to_answers(self) -> None:
        """Wait (at most max_defer_seconds) while deliveries are being answered."""
        if self.answering is None:
            return
        deadline = time.monotonic() + self.max_defer_seconds
        while self.answering() and time.monotonic() < deadline and not self._stop.is_set():
            time.sleep(DEFER_POLL_SECONDS)

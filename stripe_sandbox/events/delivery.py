"""The background worker: delivers queued events with retries, runs due jobs, expires overdue sessions."""
from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from .. import jobs
from ..checkout.expiry import expire_due
from ..checkout.payments import settle_delayed
from ..config import MAX_RETRY_DELAY_SECONDS, WEBHOOK_TIMEOUT_SECONDS
from ..context import Sandbox
from ..stripecli.delivery import deliver_to_cli
from ..stripecli.destination import CLI_DESTINATION
from . import log as event_log
from .signing import signature_header

log = logging.getLogger("stripe_sandbox.delivery")
IDLE_WAIT_SECONDS = 1.0


def retry_delay(attempts_so_far: int, base: float, cap: float = MAX_RETRY_DELAY_SECONDS) -> float:
    """Backoff before the next try: base, 2*base, 4*base ... capped (an hour by default)."""
    return min(base * 2 ** min(max(attempts_so_far - 1, 0), 60), cap)


def webhook_headers(body: str, secret: str) -> dict[str, str]:
    """The headers of one delivery attempt, the same whether posted here or through `stripe listen`."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        # Signed afresh on every attempt, as Stripe does, so retries stay inside the timestamp tolerance.
        "Stripe-Signature": signature_header(body, secret),
    }


def post_event(url: str, body: str, secret: str) -> tuple[int | None, str | None]:
    """POST one signed event; return (status code or None, error text or None)."""
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers=webhook_headers(body, secret))
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read(64 * 1024)
            return response.status, None
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"


class DeliveryWorker:
    """One thread that wakes on new work or when something is due, and hands HTTP posts to a small pool."""

    def __init__(self, sandbox: Sandbox, pool_size: int = 4):
        self.sandbox = sandbox
        self.pool = ThreadPoolExecutor(pool_size, thread_name_prefix="webhook")
        # A CLI that forwards nothing for an event is waited for; that must not hold up the posts.
        self.cli_pool = ThreadPoolExecutor(16, thread_name_prefix="stripe-listen")
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self.run, name="delivery-worker", daemon=True)

    def start(self) -> None:
        """Start the worker thread."""
        self.thread.start()

    def stop(self) -> None:
        """Ask the worker to stop and wait briefly for it."""
        self.stop_flag.set()
        self.sandbox.notify()
        self.thread.join(5)
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.cli_pool.shutdown(wait=False, cancel_futures=True)

    def run(self) -> None:
        """Loop until stopped; an error in one round is logged and the next round carries on."""
        while not self.stop_flag.is_set():
            self.sandbox.wake.clear()
            try:
                self.round()
                wait = self.seconds_until_due()
            except Exception:  # noqa: BLE001 - keep the worker alive; the state is in the database
                log.exception("delivery round failed")
                wait = IDLE_WAIT_SECONDS
            self.sandbox.wake.wait(wait)

    def round(self) -> None:
        """Do everything that is due now."""
        db = self.sandbox.db
        for job in jobs.due_jobs(db.connection(), time.time()):
            settle_delayed(self.sandbox, job)
        expire_due(self.sandbox)
        with db.transaction() as conn:
            due = event_log.claim_due(conn, time.time(), WEBHOOK_TIMEOUT_SECONDS + 5)
        for delivery in due:
            pool = self.cli_pool if delivery["url"] == CLI_DESTINATION else self.pool
            pool.submit(self.deliver, delivery)

    def deliver(self, delivery: dict) -> None:
        """Send one delivery and record the attempt."""
        settings = self.sandbox.settings
        started = time.monotonic()
        received = False
        if delivery["url"] == CLI_DESTINATION:
            outcome = deliver_to_cli(self.sandbox.cli, delivery["body"],
                                     webhook_headers(delivery["body"], self.sandbox.webhook_secret),
                                     delivery["attempts"])
            status, error, received = outcome.status, outcome.error, outcome.received
        else:
            status, error = post_event(delivery["url"], delivery["body"], self.sandbox.webhook_secret)
        latency_ms = (time.monotonic() - started) * 1000
        delay = retry_delay(delivery["attempts"] + 1, settings.retry_base_seconds,
                            settings.max_retry_delay_seconds)
        with self.sandbox.db.transaction() as conn:
            state = event_log.record_attempt(conn, delivery, status, latency_ms, error, delay,
                                             settings.max_attempts, settings.retry_window_seconds,
                                             received)
        log.info("%s -> %s: %s (%s)", delivery["event_id"], delivery["url"], status or error, state)
        if state == "pending":
            self.sandbox.notify()

    def seconds_until_due(self) -> float:
        """How long to sleep before the next delivery or job is due (at most a second, for expiry sweeps)."""
        conn = self.sandbox.db.connection()
        times = [t for t in (event_log.next_due(conn), jobs.next_due(conn)) if t is not None]
        if not times:
            return IDLE_WAIT_SECONDS
        return max(0.0, min(min(times) - time.time(), IDLE_WAIT_SECONDS))


"""The hand-off between the sidecar's two phases in one process: events it stored already
leased to itself go to its workers in memory, with no claim; the store is polled as well, for
retries coming due and for what crashed processes and other replicas left."""
from __future__ import annotations

import threading
import time
from collections import deque

from lib.stores.inbox import Claim

QUEUE_SIZE = 256  # claims waiting in memory by default (InboxWorkers sizes it from the inbox)


class Handoff:
    """Claims handed over by the intake, taken by the workers; and when to poll the store."""

    def __init__(self, lease_seconds: float, size: int = QUEUE_SIZE):
        self.lease_seconds, self.size = lease_seconds, size
        self._claims: deque[Claim] = deque()
        self._cv = threading.Condition()
        self._poll_now = False
        self._closed = False

    def has_room(self) -> bool:
        """Whether one more claim may wait here (else the event is stored for a poll)."""
        with self._cv:
            return not self._closed and len(self._claims) < self.size

    def hand(self, claim: Claim) -> None:
        """Give a worker a claim this process holds."""
        with self._cv:
            self._claims.append(claim)
            self._cv.notify()

    def wake(self) -> None:
        """Have a worker poll the store now (an event was stored unleased)."""
        with self._cv:
            self._poll_now = True
            self._cv.notify()

    def next(self, poll_at: float) -> tuple[Claim | None, bool]:
        """What a worker does next: (None, True) to poll the store (asked for, or poll_at, a
        time.monotonic() value, has come: a poll never waits behind handed claims), (claim,
        False) to fulfil a handed claim, (None, False) once closed. Waits for one of them."""
        with self._cv:
            while not self._closed:
                if self._poll_now or time.monotonic() >= poll_at:
                    self._poll_now = False
                    return None, True
                if self._claims:
                    return self._claims.popleft(), False
                self._cv.wait(max(0.0, poll_at - time.monotonic()))
            return None, False

    def close(self) -> list[Claim]:
        """Stop handing out; the claims never taken (still leased to this process)."""
        with self._cv:
            self._closed = True
            left = list(self._claims)
            self._claims.clear()
            self._cv.notify_all()
        return left

"""Free loopback ports for servers under test. Under pytest-xdist each worker hands out ports
from its own slice of the range below the kernel's ephemeral ports, so two workers never pick
the same port between one asking for it and its server binding it."""
from __future__ import annotations

import os
import random
import socket
import threading

# Below Linux's ephemeral range (32768-60999), where port-0 binds and outgoing connections
# take their ports, and above the usual services.
LOW, HIGH = 20000, 32768


def worker_slice(worker: str, count: str) -> range | None:
    """The ports xdist worker 'gwN' of count may hand out (even ones only, so the port after
    a handed-out one, where the sandbox puts its Stripe CLI websocket, is never handed out
    itself); None outside xdist."""
    if not (worker.startswith("gw") and worker[2:].isdigit() and count.isdigit()):
        return None
    size = (HIGH - LOW) // max(int(count), 1)
    start = LOW + int(worker[2:]) * size
    return range(start + start % 2, start + size, 2)


def bindable(port: int) -> bool:
    """Whether a server could listen on 127.0.0.1:port now."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class PortSource:
    """Hands out each port of its slice in turn from a random start (so two runs on one
    machine seldom walk the same ports), skipping ports something holds."""

    def __init__(self, ports: range):
        self.ports = ports
        self.next = random.randrange(len(ports))
        self.lock = threading.Lock()

    def take(self) -> int:
        """The next port of the slice that nothing holds now."""
        with self.lock:
            for _ in range(len(self.ports)):
                port = self.ports[self.next]
                self.next = (self.next + 1) % len(self.ports)
                if bindable(port):
                    return port
        raise OSError(f"no free port in {self.ports.start}-{self.ports.stop - 1}")


_source: PortSource | None = None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now: from this xdist worker's slice,
    or the kernel's choice outside xdist."""
    global _source
    ports = worker_slice(os.environ.get("PYTEST_XDIST_WORKER", ""),
                         os.environ.get("PYTEST_XDIST_WORKER_COUNT", ""))
    if ports is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]
    if _source is None or _source.ports != ports:
        _source = PortSource(ports)
    return _source.take()

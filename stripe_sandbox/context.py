"""What a running sandbox shares: settings, the database, its API key and signing secret, the worker's wake-up."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .config import Settings
from .db import Database
from .stripecli.hub import CliHub


@dataclass
class Sandbox:
    """The running sandbox's shared collaborators, built once at startup and handed to routes and the worker."""

    settings: Settings
    db: Database
    webhook_secret: str
    api_key: str
    wake: threading.Event = field(default_factory=threading.Event)
    cli: CliHub | None = None  # the Stripe CLIs connected to this process (None: no listener)

    def notify(self) -> None:
        """Tell the delivery worker there is new work (a queued event or job)."""
        self.wake.set()

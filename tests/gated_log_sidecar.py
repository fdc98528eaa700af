"""A test-only sidecar whose webhook log cannot write until a gate file exists.

`python -m tests.gated_log_sidecar` serves the real `create_app` on the settings' port, as
`python -m webhook_server` does (SIGTERM a clean exit), with one change injected through its
`event_log` argument: the real SQLite log, except that each write first waits for GATE_FILE.
A test can so hold lines in the sidecar's queue, stop the process, and see what it wrote.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from waitress import serve

from lib.config.settings import load_settings
from lib.stores.factory import WEBHOOK_LOG_FILENAME
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from webhook_server import create_app
from webhook_server.__main__ import SERVER_LIMITS, exit_cleanly


class GatedLog(SqliteWebhookLog):
    """The real log, whose writes wait until the gate file exists."""

    def __init__(self, path: Path, gate: Path):
        super().__init__(path)
        self.gate = gate

    def record_many(self, events):
        """Wait for the gate, then the real write."""
        while not self.gate.exists():
            time.sleep(0.01)
        super().record_many(events)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, exit_cleanly)
    settings = load_settings(os.environ)
    log = GatedLog(settings.data_dir / WEBHOOK_LOG_FILENAME, Path(os.environ["GATE_FILE"]))
    app = create_app(settings, event_log=log, worker_threads=1)
    serve(app, host="127.0.0.1", port=settings.webhook_port, ident="gated-log-sidecar",
          **SERVER_LIMITS)

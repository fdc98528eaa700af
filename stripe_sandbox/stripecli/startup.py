"""Start the CLI's listener with the sandbox process, and what happens when a `stripe listen` connects."""
from __future__ import annotations

from ..context import Sandbox
from .destination import due_now, register
from .hub import CliHub
from .listener import CliListener


def cli_connected(sandbox: Sandbox) -> None:
    """Queue every later event for the CLI too, and send what waited for one now."""
    with sandbox.db.transaction() as conn:
        register(conn)
        due_now(conn)
    sandbox.notify()


def start_listener(sandbox: Sandbox) -> CliListener:
    """Give the sandbox its CLI hub and start the websocket listener (stop it with .stop())."""
    settings = sandbox.settings
    sandbox.cli = CliHub(on_listening=lambda: cli_connected(sandbox))
    listener = CliListener(sandbox.cli, settings.host, settings.cli_port, settings.cli_public_url,
                           settings.cli_port_fixed)
    listener.start()
    return listener

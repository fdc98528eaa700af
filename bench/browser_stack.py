"""The processes the browser benchmark drives: the demo as `python run.py` starts it (sandbox,
sidecar, Streamlit) and the two reference apps (the floor and the one-button app), each on free
loopback ports, stopped by PID."""
from __future__ import annotations

import sys
from pathlib import Path

from devtools.demo import demo_processes
from harness.processes import Server, free_port, start
from lib.config.settings import load_settings

HEALTH = {"sandbox": "/healthz", "webhook": "/healthz", "web": "/_stcore/health"}
# A developer's shell or .env must not turn the benchmark into something else: the sandbox demo,
# SQLite, rupees, as the browser tests run it.
PINNED = {"STRIPE_SECRET_KEY": "", "STRIPE_PUBLIC_KEY": "", "STRIPE_API_BASE": "",
          "STRIPE_WEBHOOK_SECRET": "", "STRIPE_SHIPPING_RATE": "", "SANDBOX_API_KEY": "",
          "ORDER_STORE": "sqlite", "STORE_CURRENCY": "INR", "HOST": "", "PYTHONUNBUFFERED": "1",
          "SANDBOX_PUBLIC_URL": "", "APP_PUBLIC_URLS": "", "LISTEN_ADDRESS": "",
          "CODESPACE_NAME": "", "CATALOG_PATH": ""}
# Both Streamlit apps run with the same flags: no file watcher on a shared machine, and only a
# secrets file of ours (no [auth]: the demo sign-in).
STREAMLIT_FLAGS = ["--server.fileWatcherType", "none", "--server.runOnSave", "false"]


def _secrets_file(work: Path) -> Path:
    """An empty secrets file, so a developer's ~/.streamlit/secrets.toml cannot change the app."""
    path = work / "secrets.toml"
    path.write_text("# no [auth]: the demo sign-in\n")
    return path


def _start_reference(name: str, script: str, work: Path) -> Server:
    """`streamlit run script` on a free port, with the flags the shop's Streamlit gets here."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.address", "127.0.0.1", *STREAMLIT_FLAGS,
           f"--secrets.files={_secrets_file(work)}"]
    return start(f"{name}_{port}", cmd, {"PYTHONUNBUFFERED": "1"}, work, "/_stcore/health", port,
                 timeout=60)


def start_bare_app(work: Path) -> Server:
    """`streamlit run bench/bare_app.py` (one button) on a free port."""
    return _start_reference("bare", "bench/bare_app.py", work)


def start_floor_app(work: Path) -> Server:
    """`streamlit run bench/floor/server.py` (the shop's first screen with nothing behind it,
    served as app_server.py serves the shop) on a free port."""
    return _start_reference("floor", "bench/floor/server.py", work)


def start_demo(work: Path, python: str = sys.executable) -> tuple[str, list[Server]]:
    """Sandbox, sidecar and Streamlit as run.py wires them, run by python, with a fresh
    DATA_DIR under work; return the shop's URL and the servers (app last)."""
    ports = {"web": free_port(), "webhook": free_port(), "sandbox": free_port()}
    url = f"http://127.0.0.1:{ports['web']}"
    env = {**PINNED, "DATA_DIR": str(work / "data"), "APP_URL": url,
           "APP_PORT": str(ports["web"]), "WEBHOOK_URL": f"http://127.0.0.1:{ports['webhook']}",
           "SANDBOX_URL": f"http://127.0.0.1:{ports['sandbox']}"}
    servers: list[Server] = []
    try:
        for name, cmd, extra, port in demo_processes(load_settings(env), python):
            if name == "web":
                cmd = [*cmd, *STREAMLIT_FLAGS, f"--secrets.files={_secrets_file(work)}"]
            servers.append(start(f"{name}_{port}", cmd, {**env, **extra}, work, HEALTH[name],
                                 port, timeout=60))
    except Exception:
        stop_all(servers)
        raise
    return url, servers


def stop_all(servers: list[Server]) -> None:
    """Stop the servers by PID, the last started first."""
    for server in reversed(servers):
        server.stop()

"""The demo's processes for a set of settings: which ones, their commands, environments and
ports, and the one address printed for people to open."""
from __future__ import annotations

import secrets
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from lib.config.private_files import create_private_text, private_dir
from lib.config.settings import SANDBOX_KEY_FILE

# Which setting moves each process, for the message about a port already taken.
PORT_SETTINGS = {"web": "APP_PORT", "webhook": "WEBHOOK_PORT", "sandbox": "SANDBOX_PORT"}


def webhook_secret(data_dir: Path) -> str:
    """The sandbox's signing secret, kept under DATA_DIR so restarts agree with the sidecar."""
    path = data_dir / "sandbox_webhook_secret"
    # 0600 in a 0700 folder, first writer wins: whoever reads this secret can forge orders.
    private_dir(data_dir)
    create_private_text(path, "whsec_" + secrets.token_urlsafe(24))
    return path.read_text().strip()


def sandbox_api_key(data_dir: Path) -> str:
    """The sandbox's own test secret key, made once and kept under DATA_DIR, handed to every
    process."""
    path = data_dir / SANDBOX_KEY_FILE
    private_dir(data_dir)
    create_private_text(path, "sk_test_" + secrets.token_hex(16))
    return path.read_text().strip()


def streamlit_command(settings, python: str = sys.executable) -> list[str]:
    """`streamlit run app_server.py` (the shop with Storefront's response headers) listening
    where LISTEN_ADDRESS and APP_PORT say, and printing the same URL as run.py (APP_URL) or,
    when Streamlit cannot spell that one, no URL of its own."""
    command = [python, "-m", "streamlit", "run", "app_server.py",
               "--server.port", str(settings.app_port),
               "--server.address", settings.listen_address]
    app = urlsplit(settings.app_url)
    if app.scheme == "http" and app.path in ("", "/") and app.hostname:
        # Streamlit prints "URL: http://{browser.serverAddress}:{browser.serverPort}".
        command += ["--browser.serverAddress", app.hostname,
                    "--browser.serverPort", str(app.port or 80)]
    else:
        # An https or path address (a proxy, a codespace) is not one Streamlit can print.
        command += ["--logger.hideWelcomeMessage", "true"]
    return command


def demo_processes(settings, python: str = sys.executable, listen_secret: str = ""
                   ) -> list[tuple[str, list[str], dict, int]]:
    """The demo's processes for these settings (name, command, environment, port): sandbox
    without keys, sidecar, app. listen_secret (what `stripe listen` printed) is the secret the
    sidecar verifies with, and the one the app's Setup check sees."""
    hook_port = settings.webhook_port  # the sidecar reads the same Settings: one source
    shared = {"DATA_DIR": str(settings.data_dir), "PYTHONUNBUFFERED": "1",
              "PYTHONIOENCODING": "utf-8", "LISTEN_ADDRESS": settings.listen_address}
    processes = []
    if listen_secret:
        shared["STRIPE_WEBHOOK_SECRET"] = listen_secret
    if settings.stripe_mode == "sandbox":
        sandbox_port = urlsplit(settings.sandbox_url).port or 12111
        secret = settings.stripe_webhook_secret or webhook_secret(settings.data_dir)
        shared["STRIPE_WEBHOOK_SECRET"] = secret
        shared["SANDBOX_API_KEY"] = settings.sandbox_api_key or sandbox_api_key(settings.data_dir)
        processes.append(("sandbox", [python, "-m", "stripe_sandbox"], {
            "SANDBOX_PORT": str(sandbox_port),
            "SANDBOX_PUBLIC_URL": settings.sandbox_public_url,
            "SANDBOX_WEBHOOK_URL": f"{settings.webhook_url}/webhook"}, sandbox_port))
    processes.append(("webhook", [python, "-m", "webhook_server"], {}, hook_port))
    processes.append(("web", streamlit_command(settings, python), {}, settings.app_port))
    return [(name, cmd, {**shared, **extra}, port) for name, cmd, extra, port in processes]


def port_taken(address: str, port: int) -> bool:
    """Whether something already listens on this port (checked on the loopback address when
    listening on every interface)."""
    host = "127.0.0.1" if address in ("0.0.0.0", "::", "") else address
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def taken_ports_message(processes, address: str, taken=port_taken) -> str:
    """'' when every port is free, else one line per taken port naming the setting that
    moves it."""
    lines = []
    for name, _, _, port in processes:
        if taken(address, port):
            setting = PORT_SETTINGS.get(name, "the port setting")
            lines.append(f"[run] port {port} ({name}) is already in use, perhaps by another "
                         f"Streamlit app or an earlier demo. Stop that, or set {setting} to a "
                         f"free port, e.g. `{setting}={free_port_near(port, address, taken)}`"
                         " in .env.")
    return "\n".join(lines)


def free_port_near(port: int, address: str, taken=port_taken) -> int:
    """The first port after this one that nothing listens on."""
    candidate = port + 1
    while candidate < 65535 and taken(address, candidate):
        candidate += 1
    return candidate

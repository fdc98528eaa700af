"""Start Storefront the way `python run.py` does (sandbox, sidecar, Streamlit), plus a local OpenID
Connect provider, on free ports for the browser tests; stop everything by PID."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from devtools.demo import demo_processes
from harness.processes import Server, free_port, python_module, start
from lib.config.settings import load_settings

HEALTH = {"sandbox": "/healthz", "webhook": "/healthz", "web": "/_stcore/health"}
# Settings a developer's shell or .env may hold, pinned so the suite always runs the sandbox demo.
PINNED = {"STRIPE_SECRET_KEY": "", "STRIPE_PUBLIC_KEY": "", "STRIPE_API_BASE": "",
          "STRIPE_WEBHOOK_SECRET": "", "STRIPE_SHIPPING_RATE": "", "SANDBOX_API_KEY": "",
          "STORE": "", "ORDER_STORE": "sqlite", "STORE_CURRENCY": "INR", "HOST": "",
          "PYTHONUNBUFFERED": "1", "SANDBOX_PUBLIC_URL": "", "APP_PUBLIC_URLS": "",
          "LISTEN_ADDRESS": "", "CODESPACE_NAME": ""}
# The sandbox retries quickly; the delayed bank transfer is paid a few seconds after checkout,
# long enough for the success page to show it as awaiting payment first.
SANDBOX_TIMINGS = {"SANDBOX_RETRY_BASE_SECONDS": "0.2", "SANDBOX_MAX_ATTEMPTS": "5",
                   "SANDBOX_ASYNC_DELAY_SECONDS": "8"}
# Test-only Streamlit flags: no file watcher busy on a shared 2-core machine.
STREAMLIT_FLAGS = ["--server.fileWatcherType", "none", "--server.runOnSave", "false"]


@dataclass
class Storefront:
    """The demo's running processes and the origin the browser opens."""

    url: str
    data_dir: Path
    servers: list[Server] = field(default_factory=list)

    def stop(self) -> None:
        """Stop every process, app first, by PID."""
        for server in reversed(self.servers):
            server.stop()

    def logs(self) -> str:
        """Everything the processes printed, for a failure message."""
        return "\n".join(f"--- {s.name} ---\n{s.log()[-4000:]}" for s in self.servers)


def launch_storefront(log_dir: Path, data_dir: Path, host: str = "127.0.0.1",
                      oidc_url: str = "", ports: dict[str, int] | None = None,
                      public: dict[str, str] | None = None) -> Storefront:
    """Start sandbox, sidecar and Streamlit as run.py wires them; the browser opens
    http://{host}:port (or, with public, the APP_URL and SANDBOX_PUBLIC_URL given there, e.g. a
    proxy's, while the processes listen on ports). Streamlit reads only a secrets file of ours
    (so a developer's ~/.streamlit/secrets.toml cannot change the demo): with oidc_url, [auth]
    for that provider."""
    ports = ports or {"web": free_port(), "webhook": free_port(), "sandbox": free_port()}
    url = f"http://{host}:{ports['web']}"
    addresses = {"APP_URL": url, **(public or {}), "APP_PORT": str(ports["web"])}
    url = addresses["APP_URL"]
    secrets_file = write_secrets(Path(log_dir) / "secrets.toml", url, oidc_url)
    env = {**PINNED, "DATA_DIR": str(data_dir), **addresses,
           "WEBHOOK_URL": f"http://127.0.0.1:{ports['webhook']}",
           "SANDBOX_URL": f"http://127.0.0.1:{ports['sandbox']}"}
    shop = Storefront(url, Path(data_dir))
    try:
        for name, cmd, extra, port in demo_processes(load_settings(env)):
            assert port == ports[name], f"run.py put {name} on {port}, not {ports[name]}"
            if name == "sandbox":
                extra = {**extra, **SANDBOX_TIMINGS}
            if name == "web":
                cmd = [*cmd, *STREAMLIT_FLAGS, f"--secrets.files={secrets_file}"]
            shop.servers.append(start(f"{name}_{port}", cmd, {**env, **extra}, log_dir,
                                      HEALTH[name], port, timeout=60))
    except Exception:
        shop.stop()
        raise
    return shop


def launch_oidc_provider(log_dir: Path) -> Server:
    """Start oidc-provider-mock (any client id, any email at its login page) on a free port."""
    port = free_port()
    return start(f"oidc_{port}", python_module("oidc_provider_mock", "--host", "127.0.0.1",
                                               "--port", str(port)),
                 {"NO_COLOR": "1"}, log_dir, "/.well-known/openid-configuration", port)


def write_secrets(path: Path, app_url: str, oidc_url: str = "") -> Path:
    """Write Streamlit's secrets file: [auth] against the provider at oidc_url, or nothing (the
    demo sign-in); return its path."""
    if not oidc_url:
        path.write_text("# no [auth]: the demo sign-in\n")
        return path
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "storefront-browser-tests"\n'
        'client_secret = "any-secret-the-mock-provider-accepts"\n'
        f'server_metadata_url = "{oidc_url}/.well-known/openid-configuration"\n')
    return path

"""Sandbox settings read once from the environment (port, data dir, webhook targets, retry timing)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 12111
DEFAULT_WEBHOOK_URL = "http://127.0.0.1:4242/webhook"
# Stripe retries a failed delivery for up to three days, backing off exponentially to hours.
RETRY_WINDOW_SECONDS = 3 * 24 * 3600.0
MAX_RETRY_DELAY_SECONDS = 3600.0
WEBHOOK_TIMEOUT_SECONDS = 5.0
# Enough for the app and a sidecar; with SANDBOX_LATENCY_MS each answer holds a thread for its
# whole round trip, so threads / latency caps the rate (8 at 150 ms: ~53 calls/s). Real Stripe
# has no such cap: load tests raise SANDBOX_THREADS.
DEFAULT_THREADS = 8
API_KEY_SHAPE = re.compile(r"sk_test_[A-Za-z0-9_]{1,200}")


@dataclass(frozen=True)
class Settings:
    """Everything the sandbox process can be told from outside."""

    port: int = DEFAULT_PORT
    data_dir: Path = Path(".data")
    webhook_urls: tuple[str, ...] = (DEFAULT_WEBHOOK_URL,)
    webhook_secret: str | None = None
    api_key: str | None = None
    retry_base_seconds: float = 1.0
    max_retry_delay_seconds: float = MAX_RETRY_DELAY_SECONDS
    retry_window_seconds: float = RETRY_WINDOW_SECONDS
    max_attempts: int = 0  # 0: no limit but the window, as Stripe does
    async_delay_seconds: float = 5.0
    latency_ms: float = 0.0  # added to every API answer, like Stripe's network round trip
    latency_jitter_ms: float = 0.0
    threads: int = DEFAULT_THREADS  # answers served at once (each holds one for its latency)
    public_url: str = f"http://127.0.0.1:{DEFAULT_PORT}"
    host: str = "127.0.0.1"
    cli_port: int = DEFAULT_PORT + 1  # the Stripe CLI's websocket; 0: any free port
    cli_port_fixed: bool = False  # SANDBOX_CLI_PORT was given, so a taken port is an error
    cli_public_url: str = ""  # where the CLI dials it (default ws://127.0.0.1:<cli_port>)

    @property
    def db_path(self) -> Path:
        """Where the SQLite state file lives."""
        return self.data_dir / "stripe_sandbox.sqlite3"


def _number(env, name: str, default: float, kind=float):
    """Read a numeric variable, failing with a message that names it."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a {kind.__name__}; unset it or give a number") from None
    if value < 0:
        raise SystemExit(f"{name} must not be negative (got {raw})")
    return value


def _api_key(env) -> str | None:
    """SANDBOX_API_KEY, which must look like a test secret key, or None (the sandbox then makes its own)."""
    key = env.get("SANDBOX_API_KEY", "").strip()
    if key and not API_KEY_SHAPE.fullmatch(key):
        raise SystemExit("SANDBOX_API_KEY must be a test secret key: sk_test_ followed by letters and digits")
    return key or None


def from_env(env=None) -> Settings:
    """Build Settings from environment variables (see the package docstring for the list)."""
    env = os.environ if env is None else env
    port = _number(env, "SANDBOX_PORT", DEFAULT_PORT, int)
    # An empty SANDBOX_WEBHOOK_URL means "record events but deliver them nowhere".
    urls_raw = env.get("SANDBOX_WEBHOOK_URL", DEFAULT_WEBHOOK_URL)
    urls = tuple(u.strip() for u in urls_raw.split(",") if u.strip())
    return Settings(
        port=port,
        data_dir=Path(env.get("DATA_DIR") or ".data"),
        webhook_urls=urls,
        webhook_secret=env.get("STRIPE_WEBHOOK_SECRET") or None,
        api_key=_api_key(env),
        retry_base_seconds=_number(env, "SANDBOX_RETRY_BASE_SECONDS", 1.0),
        max_retry_delay_seconds=_number(env, "SANDBOX_RETRY_MAX_DELAY_SECONDS",
                                        MAX_RETRY_DELAY_SECONDS),
        retry_window_seconds=_number(env, "SANDBOX_RETRY_WINDOW_SECONDS", RETRY_WINDOW_SECONDS),
        max_attempts=max(0, _number(env, "SANDBOX_MAX_ATTEMPTS", 0, int)),
        async_delay_seconds=_number(env, "SANDBOX_ASYNC_DELAY_SECONDS", 5.0),
        latency_ms=(latency := _number(env, "SANDBOX_LATENCY_MS", 0.0)),
        # Real round trips vary: a fifth of the latency either way unless told otherwise.
        latency_jitter_ms=_number(env, "SANDBOX_LATENCY_JITTER_MS", latency / 5),
        threads=max(1, _number(env, "SANDBOX_THREADS", DEFAULT_THREADS, int)),
        public_url=(env.get("SANDBOX_PUBLIC_URL") or f"http://127.0.0.1:{port}").rstrip("/"),
        # Where to listen (0.0.0.0 in a container); where browsers reach it is public_url.
        host=env.get("LISTEN_ADDRESS") or "127.0.0.1",
        cli_port=_number(env, "SANDBOX_CLI_PORT", port + 1, int),
        cli_port_fixed=bool(env.get("SANDBOX_CLI_PORT", "").strip()),
        cli_public_url=(env.get("SANDBOX_CLI_PUBLIC_URL") or "").rstrip("/"),
    )

"""One settings object, read from the environment, .env/.env.local files and Streamlit secrets."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from dotenv import dotenv_values

from lib.config.codespaces import codespace_defaults
from lib.config.origins import known_origins
from lib.config.secrets_toml import (
    SECRETS_FILE,
    SecretsFileError,
    flatten_secrets,
    is_service_account,
    read_secrets_file,
)
from lib.shop.money import LOCALES, is_supported

ROOT = Path(__file__).resolve().parents[2]
SANDBOX_KEY = "sk_test_sandbox"
LIVE_PREFIXES = ("sk_live_", "rk_live_")
SANDBOX_KEY_FILE = "sandbox_api_key"  # under DATA_DIR, written by devtools.demo
DEFAULT_SANDBOX_PORT = 12111
DEFAULT_WEBHOOK_PORT = 4242
DEFAULT_APP_PORT = 8501
LOOPBACK = ("localhost", "127.0.0.1", "::1")

# The tutorial's names, accepted so that a learner's .env.local works unchanged.
ALIASES = {"STRIPE_SIGNING_SECRET": "STRIPE_WEBHOOK_SECRET", "HOST": "APP_URL"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the configuration: which setting, what is wrong, and the fix."""

    setting: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.setting}: {self.message} Fix: {self.fix}"


class SettingsError(ValueError):
    """The configuration cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one running Storefront."""

    stripe_secret_key: str = ""
    stripe_public_key: str = ""
    stripe_webhook_secret: str = ""
    stripe_api_base: str = ""
    stripe_shipping_rate: str = ""
    sandbox_api_key: str = ""
    app_url: str = "http://localhost:8501"
    store_currency: str = "INR"
    store: str = "sqlite"  # STORE (or its old name ORDER_STORE): the backend of every port
    data_dir: Path = ROOT / ".data"
    allow_live_keys: bool = False
    firebase_credentials: str = ""
    # A service-account key given inline ([firebase] in secrets.toml), as JSON; never shown.
    firebase_service_account: str = field(default="", repr=False)
    firestore_emulator_host: str = ""
    google_cloud_project: str = ""
    webhook_url: str = f"http://127.0.0.1:{DEFAULT_WEBHOOK_PORT}"
    webhook_port: int = DEFAULT_WEBHOOK_PORT  # where the sidecar listens (see _webhook_port)
    sandbox_url: str = f"http://127.0.0.1:{DEFAULT_SANDBOX_PORT}"
    sandbox_public_url: str = f"http://127.0.0.1:{DEFAULT_SANDBOX_PORT}"
    listen_address: str = "127.0.0.1"
    app_port: int = DEFAULT_APP_PORT
    public_urls: tuple[str, ...] = ()
    shipping_countries: tuple[str, ...] = ("IN", "GB", "US", "CA")
    oidc_configured: bool = False
    demo_sign_in_requested: bool = False  # DEMO_SIGN_IN=1: the demo sign-in with test keys too
    stripe_listen: bool = True  # STRIPE_LISTEN=0: run.py in test mode leaves `stripe listen` to you
    presenter_emails: frozenset[str] = frozenset()  # who may open presenter pages with real keys
    catalog_path: Path = ROOT / "catalog" / "products.json"
    catalog_source: str = "file"  # CATALOG_SOURCE: file (catalog_path) or stripe (active Prices)
    catalog_ttl: int = 300  # CATALOG_TTL: seconds a catalog read from Stripe is kept
    app_secret: str = field(default="", repr=False)  # cookie-signing key; "" = generated once
    inbox_lease_seconds: float = 60.0  # INBOX_LEASE_SECONDS: a worker's hold on a claimed event
    inbox_workers: int = 4  # INBOX_WORKERS: fulfilment threads per sidecar process
    inbox_poll_seconds: float | None = None  # INBOX_POLL_SECONDS; None: the inbox adapter's
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def order_store(self) -> str:
        """STORE under its other name (ORDER_STORE), which callers about orders read."""
        return self.store

    @property
    def stripe_mode(self) -> str:
        """'sandbox' with no key, 'live' for keys that start sk_live_ or rk_live_, else 'test'
        (only the prefix says the mode: "_live_" may turn up in a test key's random part)."""
        if not self.stripe_secret_key:
            return "sandbox"
        return "live" if self.stripe_secret_key.startswith(LIVE_PREFIXES) else "test"

    @property
    def api_key(self) -> str:
        """The key the Stripe client sends: STRIPE_SECRET_KEY, else the sandbox's own key (run.py hands it over)."""
        return self.stripe_secret_key or self.sandbox_api_key or SANDBOX_KEY

    @property
    def api_base(self) -> str:
        """Where Stripe's API is: the sandbox, an explicit STRIPE_API_BASE, or '' for real Stripe."""
        if self.stripe_api_base:
            return self.stripe_api_base
        return self.sandbox_url if self.stripe_mode == "sandbox" else ""

    @property
    def known_origins(self) -> list[str]:
        """Every origin shoppers may use: APP_URL, both loopback names of the app's port, and
        APP_PUBLIC_URLS (Stripe's return follows the shopper only to one of these)."""
        return known_origins(self.app_url, self.app_port, self.public_urls)

    @property
    def locale(self) -> str:
        """The Babel locale for showing money in the store currency."""
        return LOCALES.get(self.store_currency, "en_US")


def read_sources(environ: Mapping[str, str], secrets: Mapping | None = None,
                 root: Path = ROOT) -> dict[str, str]:
    """Merge .env, .env.local, Streamlit secrets (tables flattened) and the environment; later
    wins: environment > secrets.toml > .env.local > .env, in every process."""
    merged: dict[str, str] = {}
    for name in (".env", ".env.local"):
        path = root / name
        if path.is_file():
            merged.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    merged.update(flatten_secrets(secrets or {}))
    merged.update({k: v for k, v in environ.items() if isinstance(v, str)})
    for alias, name in ALIASES.items():
        if not merged.get(name) and merged.get(alias):
            # Shells and containers often export HOST as a machine name; only a URL is ours.
            if alias == "HOST" and not merged[alias].startswith(("http://", "https://")):
                continue
            merged[name] = merged[alias]
    merged.update(codespace_defaults(merged, _port(merged, "APP_PORT", _app_port_default(merged)),
                                     _port(merged, "SANDBOX_PORT", DEFAULT_SANDBOX_PORT)))
    return merged


def _port(values: Mapping[str, str], name: str, default: int) -> int:
    """A port setting, or the default when it is unset or not a number (reported later)."""
    raw = values.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 65536 else default


def _app_port_default(values: Mapping[str, str]) -> int:
    """Where Streamlit listens when APP_PORT is unset: APP_URL's port if APP_URL is this
    machine's loopback address, else 8501 (a proxy or a forwarded address has its own port)."""
    parts = urlparse(values.get("APP_URL") or f"http://localhost:{DEFAULT_APP_PORT}")
    try:
        port = parts.port
    except ValueError:
        return DEFAULT_APP_PORT
    if (parts.hostname or "").lower() in LOOPBACK and port:
        return port
    return DEFAULT_APP_PORT


def _check_keys(values: dict[str, str], problems: list[Problem]) -> None:
    """Refuse swapped, live-without-permission and misshapen Stripe keys."""
    secret = values.get("STRIPE_SECRET_KEY", "").strip()
    public = values.get("STRIPE_PUBLIC_KEY", "").strip()
    hook = values.get("STRIPE_WEBHOOK_SECRET", "").strip()
    if secret.startswith("pk_"):
        problems.append(Problem("STRIPE_SECRET_KEY", "holds a publishable key (pk_...).",
                                "Swap them: the sk_test_... key goes in STRIPE_SECRET_KEY, the "
                                "pk_test_... key in STRIPE_PUBLIC_KEY."))
    elif secret.startswith(LIVE_PREFIXES) and values.get("ALLOW_LIVE_KEYS") != "1":
        problems.append(Problem("STRIPE_SECRET_KEY", "is a live key; this demo moves real money "
                                "with it.", "Use your sk_test_... key, or set ALLOW_LIVE_KEYS=1 "
                                "if you really mean live mode."))
    elif secret and not secret.startswith(("sk_test_", "rk_test_", "sk_live_", "rk_live_")):
        problems.append(Problem("STRIPE_SECRET_KEY", "does not look like a Stripe secret key.",
                                "Copy the key that starts with sk_test_ from the Stripe "
                                "Dashboard (Developers > API keys), or leave it empty for the "
                                "local sandbox."))
    if public.startswith(("sk_", "rk_")):
        problems.append(Problem("STRIPE_PUBLIC_KEY", "holds a secret key (sk_...).",
                                "Swap them: pk_test_... goes in STRIPE_PUBLIC_KEY; never put a "
                                "secret key where a browser could see it."))
    elif public and not public.startswith("pk_"):
        problems.append(Problem("STRIPE_PUBLIC_KEY", "does not look like a publishable key.",
                                "Copy the key that starts with pk_test_, or leave it empty."))
    if hook and not hook.startswith("whsec_"):
        problems.append(Problem("STRIPE_WEBHOOK_SECRET", "does not start with whsec_.",
                                "Copy the signing secret that `stripe listen` prints (whsec_...) "
                                "or the endpoint's secret from the Dashboard."))


def _is_service_account_json(text: str) -> bool:
    """Whether text is a JSON service-account key (the shape Firebase's console downloads)."""
    try:
        info = json.loads(text)
    except ValueError:
        return False
    return isinstance(info, dict) and is_service_account(info)


def _check_url(values: dict[str, str], name: str, problems: list[Problem]) -> None:
    """An http(s) URL with a host, or a Problem naming the setting."""
    url = values.get(name, "")
    if not url:
        return
    parsed = urlparse(url)
    try:
        _ = parsed.port  # raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        problems.append(Problem(name, f"{url!r} has no valid port number.",
                                f"Write the port as a number from 1 to 65535 in {name}."))
        return
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        problems.append(Problem(name, f"{url!r} is not an http(s) URL.",
                                f"Set {name} to the address people open, e.g. "
                                "http://localhost:8501."))


def _webhook_port(values: dict[str, str], ports: dict[str, int]) -> int:
    """The sidecar's listening port: WEBHOOK_PORT when set, else WEBHOOK_URL's port, else 4242.
    WEBHOOK_PORT wins because WEBHOOK_URL may be a proxy's address in front of the sidecar."""
    if values.get("WEBHOOK_PORT"):
        return ports["WEBHOOK_PORT"]
    url_port = urlparse(values.get("WEBHOOK_URL", "")).port if values.get("WEBHOOK_URL") else None
    return url_port or DEFAULT_WEBHOOK_PORT


def saved_sandbox_key(data_dir: Path) -> str:
    """The sandbox key run.py keeps under DATA_DIR, so a process started by hand (check, seed, a
    second terminal) sends the same key as the demo's own processes; '' when there is none."""
    try:
        return (data_dir / SANDBOX_KEY_FILE).read_text().strip()
    except OSError:
        return ""


def _seconds(values: dict[str, str], name: str, low: float, high: float,
             problems: list[Problem], fix: str) -> float | None:
    """A number of seconds from low to high, None when unset, or a Problem naming the fix."""
    raw = values.get(name, "").strip()
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not low <= seconds <= high:  # also refuses nan and inf
        problems.append(Problem(name, f"{raw!r} is not a number of seconds from {low:g} to "
                                f"{high:g}.", fix))
        return None
    return seconds


def _inbox_knobs(values: dict[str, str],
                 problems: list[Problem]) -> tuple[float, int, float | None]:
    """INBOX_LEASE_SECONDS (0.5 to 3600, default 60), INBOX_WORKERS (1 to 64, default 4) and
    INBOX_POLL_SECONDS (0.05 to 60, default the inbox adapter's own)."""
    lease = _seconds(values, "INBOX_LEASE_SECONDS", 0.5, 3600, problems,
                     "Use a number of seconds longer than one fulfilment takes (a few Stripe "
                     "calls), e.g. 60, the default: a crashed sidecar's claimed events wait "
                     "this long for another worker.")
    poll = _seconds(values, "INBOX_POLL_SECONDS", 0.05, 60, problems,
                    "Use how often an idle worker looks for retries coming due, e.g. 0.25, "
                    "or leave it unset (0.25 s with SQLite, 2 s with Firestore, whose every "
                    "query is billed).")
    raw_workers = values.get("INBOX_WORKERS", "").strip() or "4"
    if not (raw_workers.isascii() and raw_workers.isdigit() and 1 <= int(raw_workers) <= 64):
        problems.append(Problem("INBOX_WORKERS", f"{raw_workers!r} is not a thread count from 1 "
                                "to 64.", "Use a whole number, e.g. 4 (the default) fulfilment "
                                "threads per sidecar process."))
        raw_workers = "4"
    return lease or 60.0, int(raw_workers), poll


STORES = ("sqlite", "firestore")


def _store_choice(values: Mapping[str, str], problems: list[Problem]) -> tuple[str, str]:
    """Which setting chose the store (STORE, or its old name ORDER_STORE) and the store.

    Both may be set only to the same value: two sources saying different things (an old .env
    with ORDER_STORE, a new STORE in the environment) would put orders where nobody looks.
    """
    chosen = {name: values.get(name, "").strip().lower() for name in ("STORE", "ORDER_STORE")}
    given = {name: value for name, value in chosen.items() if value}
    if len(set(given.values())) > 1:
        problems.append(Problem("STORE", f"is {given['STORE']!r} but ORDER_STORE (its old name) "
                                f"is {given['ORDER_STORE']!r}.", "Set only STORE (sqlite or "
                                "firestore) and remove ORDER_STORE from the environment, "
                                "secrets.toml and .env files."))
        return "STORE", "sqlite"
    setting = next(iter(given), "STORE")
    store = given.get(setting, "sqlite")
    if store not in STORES:
        problems.append(Problem(setting, f"{store!r} is not a store.",
                                "Use sqlite (default: files under DATA_DIR) or firestore "
                                "(every store in Cloud Firestore)."))
    return setting, store


def build_settings(values: dict[str, str], secrets: Mapping | None = None) -> Settings:
    """Validate merged values and build Settings, or raise SettingsError listing every problem."""
    problems: list[Problem] = []
    _check_keys(values, problems)
    for name in ("APP_URL", "STRIPE_API_BASE", "WEBHOOK_URL", "SANDBOX_URL",
                 "SANDBOX_PUBLIC_URL"):
        _check_url(values, name, problems)
    public_urls = tuple(u.strip().rstrip("/") for u in values.get("APP_PUBLIC_URLS", "").split(",")
                        if u.strip())
    for url in public_urls:
        _check_url({"APP_PUBLIC_URLS": url}, "APP_PUBLIC_URLS", problems)
    currency = values.get("STORE_CURRENCY", "INR").strip().upper() or "INR"
    if not is_supported(currency):
        problems.append(Problem("STORE_CURRENCY", f"{currency!r} is not a currency this shop sells "
                                "in.", f"Use one of {', '.join(sorted(LOCALES))}."))
    store_setting, store = _store_choice(values, problems)
    creds = values.get("FIREBASE_CREDENTIALS") or values.get("GOOGLE_APPLICATION_CREDENTIALS", "")
    emulator = values.get("FIRESTORE_EMULATOR_HOST", "")
    inline = values.get("FIREBASE_SERVICE_ACCOUNT", "").strip()
    if inline and not _is_service_account_json(inline):
        problems.append(Problem("FIREBASE_SERVICE_ACCOUNT", "is not a service-account key.",
                                "Paste the key's fields under [firebase] in secrets.toml "
                                "(type = \"service_account\", project_id, private_key, "
                                "client_email, ...), or use FIREBASE_CREDENTIALS=<file>."))
    if store == "firestore" and not (creds or emulator or inline):
        problems.append(Problem(store_setting, "is firestore, but no Firestore is configured.",
                                "Set FIREBASE_CREDENTIALS to your service-account JSON (the "
                                "tutorial's permissions.json), or FIRESTORE_EMULATOR_HOST and "
                                "GOOGLE_CLOUD_PROJECT for the emulator."))
    countries = tuple(c.strip().upper() for c in values.get("SHIPPING_COUNTRIES",
                                                            "IN,GB,US,CA").split(",") if c.strip())
    if not countries or any(len(c) != 2 or not c.isalpha() for c in countries):
        problems.append(Problem("SHIPPING_COUNTRIES", "must be two-letter country codes.",
                                "Write them comma-separated, e.g. IN,GB,US,CA."))
    app_secret = values.get("APP_SECRET", "").strip()
    if app_secret and len(app_secret) < 32:
        problems.append(Problem("APP_SECRET", f"is {len(app_secret)} characters; a signing key "
                                "that short can be guessed.", "Use at least 32 random "
                                "characters (python -c \"import secrets; "
                                "print(secrets.token_hex(32))\"), or unset APP_SECRET to let "
                                "the app make one once in the store."))
    catalog_source = values.get("CATALOG_SOURCE", "file").strip().lower() or "file"
    if catalog_source not in ("file", "stripe"):
        problems.append(Problem("CATALOG_SOURCE", f"{catalog_source!r} is not a catalog source.",
                                "Use file (catalog/products.json, the default) or stripe (the "
                                "account's active Products and Prices; fill it with "
                                "`python run.py seed`)."))
    ttl = values.get("CATALOG_TTL", "300").strip() or "300"
    if not (ttl.isascii() and ttl.isdigit()):
        problems.append(Problem("CATALOG_TTL", f"{ttl!r} is not a number of seconds.",
                                "Use a whole number of seconds, e.g. 300 (0 reads Stripe on "
                                "every page load)."))
        ttl = "300"
    ports = {}
    for name, default in (("WEBHOOK_PORT", DEFAULT_WEBHOOK_PORT),
                          ("SANDBOX_PORT", DEFAULT_SANDBOX_PORT),
                          ("APP_PORT", _app_port_default(values))):
        raw = values.get(name, str(default))
        if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 65536:
            problems.append(Problem(name, f"{raw!r} is not a port number.",
                                    f"Use a number from 1 to 65535 (default {default})."))
            raw = str(default)
        ports[name] = int(raw)
    inbox_lease, inbox_workers, inbox_poll = _inbox_knobs(values, problems)
    listen = values.get("LISTEN_ADDRESS", "").strip() or "127.0.0.1"
    if any(c.isspace() or c in "/:" for c in listen) and listen != "::":
        problems.append(Problem("LISTEN_ADDRESS", f"{listen!r} is not an address to listen on.",
                                "Use 127.0.0.1 (this machine only, the default) or 0.0.0.0 "
                                "(every interface, e.g. in a container)."))
    if problems:
        raise SettingsError(problems)
    data_dir = Path(values.get("DATA_DIR") or ROOT / ".data")
    if not data_dir.is_absolute():
        data_dir = ROOT / data_dir
    sandbox_url = (values.get("SANDBOX_URL")
                   or f"http://127.0.0.1:{ports['SANDBOX_PORT']}").rstrip("/")
    return Settings(
        stripe_secret_key=values.get("STRIPE_SECRET_KEY", "").strip(),
        stripe_public_key=values.get("STRIPE_PUBLIC_KEY", "").strip(),
        stripe_webhook_secret=values.get("STRIPE_WEBHOOK_SECRET", "").strip(),
        stripe_api_base=values.get("STRIPE_API_BASE", "").rstrip("/"),
        stripe_shipping_rate=values.get("STRIPE_SHIPPING_RATE", "").strip(),
        sandbox_api_key=values.get("SANDBOX_API_KEY", "").strip() or saved_sandbox_key(data_dir),
        app_url=(values.get("APP_URL") or f"http://localhost:{ports['APP_PORT']}").rstrip("/"),
        store_currency=currency,
        store=store,
        data_dir=data_dir,
        allow_live_keys=values.get("ALLOW_LIVE_KEYS") == "1",
        firebase_credentials=creds,
        firebase_service_account=inline,
        firestore_emulator_host=emulator,
        google_cloud_project=values.get("GOOGLE_CLOUD_PROJECT", ""),
        webhook_url=(values.get("WEBHOOK_URL")
                     or f"http://127.0.0.1:{ports['WEBHOOK_PORT']}").rstrip("/"),
        webhook_port=_webhook_port(values, ports),
        sandbox_url=sandbox_url,
        sandbox_public_url=(values.get("SANDBOX_PUBLIC_URL") or sandbox_url).rstrip("/"),
        listen_address=listen,
        app_port=ports["APP_PORT"],
        public_urls=public_urls,
        shipping_countries=countries,
        oidc_configured=bool(secrets and "auth" in secrets),
        demo_sign_in_requested=values.get("DEMO_SIGN_IN", "").strip() == "1",
        stripe_listen=values.get("STRIPE_LISTEN", "").strip() != "0",
        presenter_emails=frozenset(e.strip().lower() for e in
                                   values.get("PRESENTER_EMAILS", "").split(",") if e.strip()),
        catalog_path=Path(values.get("CATALOG_PATH") or ROOT / "catalog" / "products.json"),
        catalog_source=catalog_source,
        catalog_ttl=int(ttl),
        app_secret=app_secret,
        inbox_lease_seconds=inbox_lease,
        inbox_workers=inbox_workers,
        inbox_poll_seconds=inbox_poll,
        sources=values,
    )


def load_settings(environ: Mapping[str, str], secrets: Mapping | None = None,
                  root: Path = ROOT) -> Settings:
    """Read every source and build validated Settings (raises SettingsError naming each fix).
    The app passes st.secrets; every other process reads root/.streamlit/secrets.toml, the
    same file Streamlit reads."""
    if secrets is None:
        try:
            secrets = read_secrets_file(root / SECRETS_FILE)
        except SecretsFileError as exc:
            raise SettingsError([Problem("secrets.toml", str(exc), "Fix the line it names, "
                                         "or compare with .streamlit/secrets.toml.example.")]) from None
    return build_settings(read_sources(environ, secrets, root), secrets)

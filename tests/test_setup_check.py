"""Each Setup check's verdicts, from real inputs: files, git repos, closed ports, real processes."""
from __future__ import annotations

import json
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from harness.processes import free_port
from lib.config.settings import SettingsError, build_settings
from lib.config.stripe_client import make_stripe_client
from lib.setup_check import (
    TIMEOUT,
    Check,
    check_app_url,
    check_credentials_file,
    check_credentials_ignored,
    check_currency,
    check_key_shape,
    check_key_works,
    check_last_event,
    check_mode,
    check_shipping_rate,
    check_sidecar,
    check_sign_in,
    check_store,
    check_webhook_secret,
    run_all,
    run_bounded,
    settings_problems,
)
from lib.shop.catalog import Catalog, Product
from lib.stores.factory import make_order_store
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from lib.stores.webhook_log import LoggedEvent
from tests.fixtures_app import start_sidecar

SECRET = "whsec_setup_check_secret"
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def closed(port: int | None = None) -> str:
    """A URL on a loopback port nothing listens on."""
    return f"http://127.0.0.1:{port or free_port()}"


def settings_for(tmp_path: Path, **values):
    """Settings from these values, with DATA_DIR in tmp_path."""
    return build_settings({"DATA_DIR": str(tmp_path), **values})


def fast(check, *args):
    """Run a check and assert it answered within the checks' timeout (plus slack)."""
    start = time.monotonic()
    result = check(*args)
    assert time.monotonic() - start < TIMEOUT + 1
    return result


# Stripe mode, key shape, webhook secret, sign-in: verdicts from settings alone.

def test_mode_says_why(tmp_path):
    assert "STRIPE_SECRET_KEY is empty" in check_mode(settings_for(tmp_path)).message
    test = check_mode(settings_for(tmp_path, STRIPE_SECRET_KEY="sk_test_abc"))
    assert (test.status, "test key" in test.message) == ("green", True)
    live = check_mode(settings_for(tmp_path, STRIPE_SECRET_KEY="sk_live_abc", ALLOW_LIVE_KEYS="1"))
    assert live.status == "amber"


def test_swapped_and_live_keys_are_red_problems_with_fixes():
    with pytest.raises(SettingsError) as swapped:
        build_settings({"STRIPE_SECRET_KEY": "pk_test_abc", "STRIPE_PUBLIC_KEY": "sk_test_abc"})
    checks = settings_problems(swapped.value)
    assert {c.name for c in checks} == {"STRIPE_SECRET_KEY", "STRIPE_PUBLIC_KEY"}
    assert all(c.status == "red" and "Swap" in c.fix for c in checks)
    with pytest.raises(SettingsError) as live:
        build_settings({"STRIPE_SECRET_KEY": "sk_live_abc"})
    assert "ALLOW_LIVE_KEYS=1" in settings_problems(live.value)[0].fix


def test_key_shape_green_for_test_keys_amber_for_live(tmp_path):
    test = check_key_shape(settings_for(tmp_path, STRIPE_SECRET_KEY="sk_test_1234567890"))
    assert test.status == "green" and "sk_test_...7890" in test.message
    live = settings_for(tmp_path, STRIPE_SECRET_KEY="sk_" + "live_1234567890",
                        ALLOW_LIVE_KEYS="1")
    assert check_key_shape(live).status == "amber"


def test_webhook_secret(tmp_path):
    assert check_webhook_secret(settings_for(tmp_path, STRIPE_WEBHOOK_SECRET=SECRET)).status \
        == "green"
    assert check_webhook_secret(settings_for(tmp_path)).status == "amber"  # run.py makes one
    missing = check_webhook_secret(settings_for(tmp_path, STRIPE_SECRET_KEY="sk_test_abc"))
    assert missing.status == "red" and "stripe listen --events checkout.session.completed --forward-to" \
        in missing.fix
    with pytest.raises(SettingsError) as bad:
        build_settings({"STRIPE_WEBHOOK_SECRET": "sk_test_oops"})
    assert settings_problems(bad.value)[0].name == "STRIPE_WEBHOOK_SECRET"


def test_sign_in(tmp_path):
    assert "demo sign-in" in check_sign_in(settings_for(tmp_path)).message
    oidc = build_settings({"DATA_DIR": str(tmp_path)}, secrets={"auth": {}})
    assert "OIDC" in check_sign_in(oidc).message
    live = settings_for(tmp_path, STRIPE_SECRET_KEY="sk_live_abc", ALLOW_LIVE_KEYS="1")
    assert check_sign_in(live).status == "red"


def test_currency_minimum_charge(tmp_path):
    settings = settings_for(tmp_path, STORE_CURRENCY="USD")

    def catalog(*prices):
        products = tuple(Product(f"p{i}", f"Thing {i}", "", "misc", 4.0, price, "USD", "x.png")
                         for i, price in enumerate(prices))
        return Catalog(products, "USD", tmp_path)

    assert check_currency(settings, catalog(50, 1999)).status == "green"
    cheap = check_currency(settings, catalog(49, 1999))
    assert cheap.status == "amber" and "Thing 0" in cheap.message and "$0.50" in cheap.fix


# Firestore credentials: bad, missing, non-JSON, not a service account; git-ignored or not.

SERVICE_ACCOUNT = {"type": "service_account", "project_id": "shop-1",
                   "client_email": "firebase-adminsdk@shop-1.iam.gserviceaccount.com"}


@pytest.mark.parametrize("content, verdict, words", [
    (None, "red", "does not exist"),
    ("{not json", "red", "not valid JSON"),
    (json.dumps({"type": "authorized_user"}), "red", "not a service-account key"),
    (json.dumps(["service_account"]), "red", "not a service-account key"),
    (json.dumps(SERVICE_ACCOUNT), "green", "project shop-1"),
])
def test_credentials_file(tmp_path, content, verdict, words):
    path = tmp_path / "permissions.json"
    if content is not None:
        path.write_text(content)
    check = check_credentials_file(str(path))
    assert (check.status, words in check.message) == (verdict, True)
    if verdict == "red":
        assert "Generate new private key" in check.fix


def git(repo: Path, *args: str) -> None:
    """Run git quietly in repo."""
    subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@example.com", "-c",
                    "user.name=t", *args], check=True, capture_output=True)


def test_credentials_must_be_git_ignored(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    key = repo / "permissions.json"
    key.write_text(json.dumps(SERVICE_ACCOUNT))
    exposed = check_credentials_ignored(str(key))
    assert exposed.status == "red" and "not git-ignored" in exposed.message
    assert "Add permissions.json to .gitignore" in exposed.fix
    (repo / ".gitignore").write_text("permissions.json\n")
    assert check_credentials_ignored(str(key)).status == "green"
    git(repo, "add", "-f", "permissions.json")
    git(repo, "commit", "-qm", "oops")
    committed = check_credentials_ignored(str(key))
    assert committed.status == "red" and "committed" in committed.message


def test_credentials_outside_git_are_fine(tmp_path):
    key = tmp_path / "permissions.json"
    key.write_text(json.dumps(SERVICE_ACCOUNT))
    assert check_credentials_ignored(str(key)).status == "green"


# The sidecar: a closed port is red quickly; a running sidecar is green.

def test_sidecar_on_closed_port_is_red_quickly(tmp_path):
    check = fast(check_sidecar, settings_for(tmp_path, WEBHOOK_URL=closed()))
    assert check.status == "red" and "python -m webhook_server" in check.fix


@pytest.fixture(scope="module")
def sidecar(tmp_path_factory):
    """A real sidecar process with a webhook secret and its own DATA_DIR."""
    base = tmp_path_factory.mktemp("sidecar")
    server = start_sidecar(base, {"DATA_DIR": str(base / "data"), "STRIPE_WEBHOOK_SECRET": SECRET,
                                  "STRIPE_SECRET_KEY": ""})
    yield server, base / "data"
    server.stop()


def test_running_sidecar_is_green(tmp_path, sidecar):
    server, data_dir = sidecar
    settings = settings_for(data_dir, WEBHOOK_URL=server.url)
    app_store = make_order_store(settings)
    check = fast(check_sidecar, settings, requests.get, app_store.describe())
    assert check.status == "green" and "orders.sqlite3" in check.message
    elsewhere = check_sidecar(settings_for(tmp_path, WEBHOOK_URL=server.url),
                              requests.get, "SQLite file /somewhere/else")
    assert elsewhere.status == "amber" and "same STORE setting" in elsewhere.fix
    assert "DATA_DIR" in elsewhere.fix
    app_store.close()


def test_sidecar_without_secret_is_red(tmp_path):
    server = start_sidecar(tmp_path, {"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": "",
                                      "STRIPE_SECRET_KEY": ""})
    try:
        check = check_sidecar(settings_for(tmp_path, WEBHOOK_URL=server.url))
    finally:
        server.stop()
    assert check.status == "red" and "STRIPE_WEBHOOK_SECRET" in check.message


def test_sidecar_in_another_stripe_mode_is_red(tmp_path):
    # The split deployment's mistake: the sidecar got real test keys, the app none (sandbox).
    server = start_sidecar(tmp_path, {"DATA_DIR": str(tmp_path),
                                      "STRIPE_SECRET_KEY": "sk_test_" + "sidecar0123456789",
                                      "STRIPE_WEBHOOK_SECRET": "whsec_split"})
    try:
        check = check_sidecar(settings_for(tmp_path, WEBHOOK_URL=server.url))
    finally:
        server.stop()
    assert check.status == "red"
    assert "test mode while this app uses sandbox mode" in check.message
    assert "STRIPE_SECRET_KEY" in check.fix


# Last received event, from the sidecar's log.

def test_last_event(tmp_path):
    settings = settings_for(tmp_path)
    log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    assert check_last_event(settings, log, lambda: NOW).status == "amber"
    log.record(LoggedEvent(NOW - timedelta(seconds=90), "evt_1", "checkout.session.completed",
                           "cs_test_1", "valid", "order_created", 200, 12.0, "paid"))
    ok = check_last_event(settings, log, lambda: NOW)
    assert ok.status == "green" and "1 min 30 s ago" in ok.message
    log.record(LoggedEvent(NOW, "", "", "", "invalid", "rejected", 400, 1.0,
                           "signature: no match"))
    bad = check_last_event(settings, log, lambda: NOW)
    assert bad.status == "red" and "changes when stripe listen restarts" in bad.fix


# APP_URL: against the page's own address, or probed from the command line.

class Health(BaseHTTPRequestHandler):
    """Answers like Streamlit's /_stcore/health."""

    def do_GET(self):  # noqa: N802 - http.server's naming
        body = b"ok" if self.path == "/_stcore/health" else b"nope"
        self.send_response(200 if body == b"ok" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def streamlit_like():
    """A local server answering /_stcore/health with ok."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_app_url_against_the_served_address(tmp_path):
    settings = settings_for(tmp_path, APP_URL="http://localhost:8501")
    assert check_app_url(settings, "http://localhost:8501/").status == "green"
    wrong = check_app_url(settings, "http://localhost:8502/")
    assert wrong.status == "red" and "served at http://localhost:8502" in wrong.message
    assert "Set APP_URL" in wrong.fix and "APP_PUBLIC_URLS" in wrong.fix


def test_the_other_loopback_name_or_a_public_url_is_a_known_address(tmp_path):
    """Served at 127.0.0.1 while APP_URL says localhost: Stripe's return follows the shopper,
    so it is green; an address the app does not know stays red."""
    settings = settings_for(tmp_path, APP_URL="http://localhost:8501",
                            APP_PUBLIC_URLS="https://shop.example.org")
    twin = check_app_url(settings, "http://127.0.0.1:8501/")
    assert twin.status == "green" and "an address the app knows" in twin.message
    assert check_app_url(settings, "https://shop.example.org/basket").status == "green"
    assert check_app_url(settings, "https://evil.example/").status == "red"


def test_app_url_probed(tmp_path, streamlit_like, sidecar):
    assert check_app_url(settings_for(tmp_path, APP_URL=streamlit_like)).status == "green"
    nobody = fast(check_app_url, settings_for(tmp_path, APP_URL=closed()))
    assert nobody.status == "amber" and "nothing answers" in nobody.message
    other = check_app_url(settings_for(tmp_path, APP_URL=sidecar[0].url))
    assert other.status == "red" and "not as Streamlit" in other.message


# The orders store probe.

def test_sqlite_store_probe_is_green_and_leaves_nothing(tmp_path):
    settings = settings_for(tmp_path)
    store = make_order_store(settings)
    check = check_store(lambda: store, lambda: NOW)
    assert check.status == "green" and "write, read and delete work" in check.message
    assert "STORE=sqlite keeps the baskets" in check.message and "in DATA_DIR too" in check.message
    assert store.count_orders("setup-probe@storefront.invalid") == 0
    store.close()


@pytest.mark.firestore
def test_firestore_store_probe_is_green_and_says_every_store_is_there(firestore_store):
    check = check_store(lambda: firestore_store, lambda: NOW)
    assert check.status == "green" and "write, read and delete work" in check.message
    assert "STORE=firestore keeps the baskets" in check.message
    assert "in this Firestore project too" in check.message


def test_unopenable_store_is_red(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    settings = settings_for(tmp_path / "file")
    check = check_store(lambda: make_order_store(settings), lambda: NOW)
    assert check.status == "red" and "DATA_DIR" in check.message


# Stripe calls against a real sandbox: wrong keys, unknown shipping rates, no sandbox at all.

def test_wrong_key_is_refused_by_the_sandbox(tmp_path, sandbox):
    settings = settings_for(tmp_path, STRIPE_SECRET_KEY="rk_test_notarealkey",
                            STRIPE_API_BASE=sandbox.url)
    check = check_key_works(make_stripe_client(settings, TIMEOUT), settings)
    assert check.status == "red" and "refused the key" in check.message
    assert "sk_test_" in check.fix
    good = settings_for(tmp_path, STRIPE_SECRET_KEY=sandbox.api_key, STRIPE_API_BASE=sandbox.url)
    assert check_key_works(make_stripe_client(good, TIMEOUT), good).status == "green"


def test_no_sandbox_is_red_quickly(tmp_path):
    settings = settings_for(tmp_path, SANDBOX_URL=closed())
    check = fast(check_key_works, make_stripe_client(settings, TIMEOUT), settings)
    assert check.status == "red" and "python -m stripe_sandbox" in check.fix


def test_shipping_rate_against_the_sandbox(tmp_path, sandbox, sandbox_client):
    base = {"STRIPE_API_BASE": sandbox.url, "STORE_CURRENCY": "USD"}
    unknown = settings_for(tmp_path, STRIPE_SHIPPING_RATE="shr_doesnotexist", **base)
    check = check_shipping_rate(make_stripe_client(unknown, TIMEOUT), unknown)
    assert check.status == "red" and "shr_doesnotexist" in check.message
    assert "unset STRIPE_SHIPPING_RATE" in check.fix
    rate = sandbox_client.v1.shipping_rates.create(params={
        "display_name": "Courier", "type": "fixed_amount",
        "fixed_amount": {"amount": 500, "currency": "usd"}})
    known = settings_for(tmp_path, STRIPE_SHIPPING_RATE=rate.id, **base)
    assert check_shipping_rate(make_stripe_client(known, TIMEOUT), known).status == "green"
    inr = settings_for(tmp_path, STRIPE_SHIPPING_RATE=rate.id, STRIPE_API_BASE=sandbox.url)
    assert check_shipping_rate(make_stripe_client(inr, TIMEOUT), inr).status == "red"
    assert check_shipping_rate(sandbox_client, settings_for(tmp_path)).status == "green"


# Running them all: bounded in time, nothing hangs.

def test_a_hanging_check_is_red_after_the_timeout():
    start = time.monotonic()
    checks = run_bounded([("Slow", lambda: time.sleep(5)), ("Quick", lambda: Check(
        "Quick", "green", "fine"))], timeout=0.5)
    assert time.monotonic() - start < 1.5
    assert [(c.name, c.status) for c in checks] == [("Slow", "red"), ("Quick", "green")]
    assert "no answer within" in checks[0].message


def test_run_all_with_nothing_running_finishes_quickly(tmp_path):
    settings = settings_for(tmp_path, SANDBOX_URL=closed(), WEBHOOK_URL=closed(),
                            APP_URL=closed(), ORDER_STORE="firestore",
                            FIREBASE_CREDENTIALS=str(tmp_path / "permissions.json"))
    start = time.monotonic()
    checks = {c.name: c for c in run_all(settings)}
    assert time.monotonic() - start < TIMEOUT + 1
    assert checks["Stripe key works"].status == "red"
    assert checks["Webhook sidecar"].status == "red"
    assert checks["Orders store"].status == "red"
    assert checks["Firestore credentials"].status == "red"
    # The webhook log lives in that Firestore too: its check names why it cannot be opened.
    assert checks["Last webhook"].status == "red"
    assert "webhook log cannot be opened" in checks["Last webhook"].message
    assert "permissions.json does not exist" in checks["Last webhook"].message
    assert list(checks)[0] == "Stripe mode" and list(checks)[-1] == "Sign-in"

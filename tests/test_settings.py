"""Settings: one loader over environment, .env files and secrets, failing with named fixes."""
from pathlib import Path

import pytest

from lib.config.settings import ROOT, SANDBOX_KEY, SettingsError, build_settings, load_settings

TEST_KEY = "sk_test_51AbCdEf"
# Built in two parts so secret scanners do not take this made-up key for a real one.
LIVE_KEY = "sk_" + "live_51AbCdEf"


def load(tmp_path, environ=None, secrets=None):
    """Settings from this environment and secrets, with tmp_path as the project root."""
    return load_settings(environ or {}, secrets, tmp_path)


def problems(values):
    """The (setting, problem) pairs build_settings reports for these values."""
    with pytest.raises(SettingsError) as caught:
        build_settings(values)
    for problem in caught.value.problems:
        assert problem.fix, f"{problem.setting} has no fix"
        assert f"{problem.setting}: " in str(caught.value)
    assert "Fix: " in str(caught.value)
    return caught.value.problems


def only_problem(values, setting):
    """The single problem reported, which must be about this setting."""
    found = problems(values)
    assert [p.setting for p in found] == [setting]
    return found[0]


def test_defaults(tmp_path):
    settings = load(tmp_path)
    assert settings.stripe_mode == "sandbox"
    assert settings.api_key == SANDBOX_KEY
    assert settings.api_base == settings.sandbox_url == "http://127.0.0.1:12111"
    assert settings.store_currency == "INR"
    assert settings.locale == "en_IN"
    assert settings.order_store == "sqlite"
    assert settings.data_dir == ROOT / ".data"
    assert settings.app_url == "http://localhost:8501"
    assert settings.webhook_url == "http://127.0.0.1:4242"
    assert settings.shipping_countries == ("IN", "GB", "US", "CA")
    assert settings.oidc_configured is False
    assert settings.allow_live_keys is False


def test_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("# a comment\nSTORE_CURRENCY=usd\nSTRIPE_SECRET_KEY="
                                   f"{TEST_KEY}\nDATA_DIR={tmp_path / 'd'}\n")
    settings = load(tmp_path)
    assert settings.store_currency == "USD"
    assert settings.stripe_secret_key == TEST_KEY
    assert settings.data_dir == tmp_path / "d"


def test_dotenv_local_overrides_dotenv(tmp_path):
    (tmp_path / ".env").write_text("STORE_CURRENCY=USD\nORDER_STORE=sqlite\n")
    (tmp_path / ".env.local").write_text("STORE_CURRENCY=GBP\n")
    settings = load(tmp_path)
    assert settings.store_currency == "GBP"
    assert settings.order_store == "sqlite"


def test_environment_wins_over_files_and_secrets(tmp_path):
    (tmp_path / ".env").write_text("STORE_CURRENCY=USD\n")
    (tmp_path / ".env.local").write_text("STORE_CURRENCY=GBP\n")
    secrets = {"STORE_CURRENCY": "JPY"}
    assert load(tmp_path, secrets=secrets).store_currency == "JPY"
    assert load(tmp_path, {"STORE_CURRENCY": "EUR"}, secrets).store_currency == "EUR"


def test_secrets_mapping(tmp_path):
    secrets = {"STRIPE_SECRET_KEY": TEST_KEY, "WEBHOOK_PORT": 4343,
               "auth": {"client_id": "c"}}
    settings = load(tmp_path, secrets=secrets)
    assert settings.stripe_secret_key == TEST_KEY
    assert settings.webhook_url == "http://127.0.0.1:4343"
    assert settings.oidc_configured is True


def test_tutorial_aliases(tmp_path):
    (tmp_path / ".env.local").write_text(
        "STRIPE_SIGNING_SECRET=whsec_abc\nHOST=http://localhost:3000/\n")
    settings = load(tmp_path)
    assert settings.stripe_webhook_secret == "whsec_abc"
    assert settings.app_url == "http://localhost:3000"


def test_canonical_names_win_over_aliases(tmp_path):
    settings = load(tmp_path, {"STRIPE_SIGNING_SECRET": "whsec_old",
                               "STRIPE_WEBHOOK_SECRET": "whsec_new",
                               "HOST": "http://old:3000", "APP_URL": "https://shop.example"})
    assert settings.stripe_webhook_secret == "whsec_new"
    assert settings.app_url == "https://shop.example"


def test_test_key_means_test_mode_against_real_stripe(tmp_path):
    settings = load(tmp_path, {"STRIPE_SECRET_KEY": TEST_KEY, "STRIPE_PUBLIC_KEY": "pk_test_1"})
    assert settings.stripe_mode == "test"
    assert settings.api_key == TEST_KEY
    assert settings.api_base == ""
    assert load(tmp_path, {"STRIPE_SECRET_KEY": "rk_test_1"}).stripe_mode == "test"


def test_only_a_live_prefix_means_live_mode(tmp_path):
    # "_live_" inside a test key is part of its random tail, not its mode.
    assert load(tmp_path, {"STRIPE_SECRET_KEY": "sk_test_51Ab_live_Cd"}).stripe_mode == "test"
    assert load(tmp_path, {"STRIPE_SECRET_KEY": "rk_test_x_live_y"}).stripe_mode == "test"
    live = {"ALLOW_LIVE_KEYS": "1"}
    assert load(tmp_path, {"STRIPE_SECRET_KEY": "rk_live_1", **live}).stripe_mode == "live"
    assert load(tmp_path, {"STRIPE_SECRET_KEY": "sk_live_1", **live}).stripe_mode == "live"


def test_explicit_api_base(tmp_path):
    settings = load(tmp_path, {"STRIPE_SECRET_KEY": TEST_KEY,
                               "STRIPE_API_BASE": "http://127.0.0.1:9999/"})
    assert settings.api_base == "http://127.0.0.1:9999"


def test_live_key_refused_without_permission():
    problem = only_problem({"STRIPE_SECRET_KEY": LIVE_KEY}, "STRIPE_SECRET_KEY")
    assert "live key" in problem.message
    assert "ALLOW_LIVE_KEYS=1" in problem.fix
    only_problem({"STRIPE_SECRET_KEY": LIVE_KEY, "ALLOW_LIVE_KEYS": "yes"}, "STRIPE_SECRET_KEY")


def test_live_key_accepted_with_permission():
    settings = build_settings({"STRIPE_SECRET_KEY": LIVE_KEY, "ALLOW_LIVE_KEYS": "1"})
    assert settings.stripe_mode == "live"
    assert settings.allow_live_keys is True
    assert settings.api_base == ""


def test_publishable_key_in_the_secret_slot():
    problem = only_problem({"STRIPE_SECRET_KEY": "pk_test_abc"}, "STRIPE_SECRET_KEY")
    assert "publishable key" in problem.message
    assert "Swap them" in problem.fix and "STRIPE_PUBLIC_KEY" in problem.fix


def test_secret_key_in_the_public_slot():
    problem = only_problem({"STRIPE_PUBLIC_KEY": TEST_KEY}, "STRIPE_PUBLIC_KEY")
    assert "secret key" in problem.message
    assert "Swap them" in problem.fix


def test_both_keys_swapped_report_both():
    found = problems({"STRIPE_SECRET_KEY": "pk_test_abc", "STRIPE_PUBLIC_KEY": TEST_KEY})
    assert [p.setting for p in found] == ["STRIPE_SECRET_KEY", "STRIPE_PUBLIC_KEY"]


@pytest.mark.parametrize("setting, value", [
    ("STRIPE_SECRET_KEY", "not-a-key"),
    ("STRIPE_PUBLIC_KEY", "publishable"),
    ("STRIPE_WEBHOOK_SECRET", "secret_abc"),
])
def test_misshapen_keys(setting, value):
    problem = only_problem({setting: value}, setting)
    assert "does not" in problem.message


def test_webhook_secret_shape_names_whsec():
    problem = only_problem({"STRIPE_WEBHOOK_SECRET": "sk_test_oops"}, "STRIPE_WEBHOOK_SECRET")
    assert "whsec_" in problem.message and "stripe listen" in problem.fix


def test_bad_order_store():
    problem = only_problem({"ORDER_STORE": "postgres"}, "ORDER_STORE")
    assert "'postgres'" in problem.message and "sqlite" in problem.fix
    problem = only_problem({"STORE": "postgres"}, "STORE")
    assert "'postgres'" in problem.message and "firestore" in problem.fix


def test_store_chooses_the_backend_and_order_store_is_its_old_name():
    emulator = {"FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080", "GOOGLE_CLOUD_PROJECT": "demo"}
    assert build_settings({}).store == "sqlite"
    assert build_settings({"STORE": " Firestore ", **emulator}).store == "firestore"
    old_name = build_settings({"ORDER_STORE": "firestore", **emulator})
    assert old_name.store == old_name.order_store == "firestore"
    both = build_settings({"STORE": "firestore", "ORDER_STORE": "FIRESTORE", **emulator})
    assert both.store == "firestore"
    # An empty value is unset: the other name decides.
    assert build_settings({"STORE": "", "ORDER_STORE": "firestore", **emulator}).store == (
        "firestore")


def test_store_and_its_old_name_disagreeing_is_one_problem():
    problem = only_problem({"STORE": "firestore", "ORDER_STORE": "sqlite",
                            "FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080"}, "STORE")
    assert "'firestore'" in problem.message and "ORDER_STORE (its old name) is 'sqlite'" in (
        problem.message)
    assert "remove ORDER_STORE" in problem.fix


def test_firestore_without_config():
    problem = only_problem({"ORDER_STORE": "firestore"}, "ORDER_STORE")
    assert "no Firestore is configured" in problem.message
    assert "FIREBASE_CREDENTIALS" in problem.fix and "FIRESTORE_EMULATOR_HOST" in problem.fix
    assert only_problem({"STORE": "firestore"}, "STORE").message == problem.message


def test_firestore_with_emulator_or_credentials():
    emulator = build_settings({"ORDER_STORE": "Firestore", "FIRESTORE_EMULATOR_HOST":
                               "127.0.0.1:8080", "GOOGLE_CLOUD_PROJECT": "demo"})
    assert emulator.order_store == "firestore"
    assert emulator.firestore_emulator_host == "127.0.0.1:8080"
    creds = build_settings({"ORDER_STORE": "firestore", "FIREBASE_CREDENTIALS": "perm.json"})
    assert creds.firebase_credentials == "perm.json"


def test_bad_currency():
    problem = only_problem({"STORE_CURRENCY": "XYZ"}, "STORE_CURRENCY")
    assert "'XYZ'" in problem.message and "INR" in problem.fix


@pytest.mark.parametrize("currency", ["CAD", "AUD"])
def test_currency_the_catalog_does_not_price_is_refused(currency):
    problem = only_problem({"STORE_CURRENCY": currency}, "STORE_CURRENCY")
    assert "JPY" in problem.fix and currency not in problem.fix


@pytest.mark.parametrize("setting", ["APP_URL", "STRIPE_API_BASE", "WEBHOOK_URL"])
@pytest.mark.parametrize("url", ["localhost:8501", "ftp://example.com", "http://"])
def test_bad_url(setting, url):
    problem = only_problem({setting: url}, setting)
    assert "not an http(s) URL" in problem.message
    assert f"Set {setting}" in problem.fix


@pytest.mark.parametrize("port", ["0", "65536", "http", "-1", "42.0"])
def test_bad_port(port):
    problem = only_problem({"WEBHOOK_PORT": port}, "WEBHOOK_PORT")
    assert "not a port number" in problem.message and "4242" in problem.fix


def test_good_ports_shape_the_urls():
    settings = build_settings({"WEBHOOK_PORT": "5000", "SANDBOX_PORT": "12000"})
    assert settings.webhook_url == "http://127.0.0.1:5000"
    assert settings.api_base == "http://127.0.0.1:12000"


@pytest.mark.parametrize("values, port", [
    ({}, 4242),
    ({"WEBHOOK_PORT": "5000"}, 5000),
    ({"WEBHOOK_URL": "http://127.0.0.1:18101"}, 18101),
    ({"WEBHOOK_URL": "https://hooks.example.com"}, 4242),  # a proxy's address, no port
    ({"WEBHOOK_URL": "https://hooks.example.com:8443", "WEBHOOK_PORT": "4300"}, 4300),
])
def test_one_webhook_port_for_the_sidecar_and_run_py(values, port, tmp_path):
    """The sidecar listens where Settings say, and run.py starts it there (one source)."""
    from devtools.demo import demo_processes

    settings = build_settings({**values, "DATA_DIR": str(tmp_path)})
    assert settings.webhook_port == port
    webhook = [p for p in demo_processes(settings) if p[0] == "webhook"]
    assert webhook[0][3] == port and "WEBHOOK_PORT" not in webhook[0][2]


def test_a_url_with_a_broken_port_is_a_problem():
    problem = only_problem({"WEBHOOK_URL": "http://127.0.0.1:99999"}, "WEBHOOK_URL")
    assert "no valid port number" in problem.message


def test_bad_shipping_countries():
    only_problem({"SHIPPING_COUNTRIES": "India,GB"}, "SHIPPING_COUNTRIES")
    assert build_settings({"SHIPPING_COUNTRIES": " in, gb "}).shipping_countries == ("IN", "GB")


def test_every_problem_is_reported_at_once():
    found = problems({"STORE_CURRENCY": "XYZ", "ORDER_STORE": "mongo", "APP_URL": "nope",
                      "SANDBOX_PORT": "99999"})
    assert {p.setting for p in found} == {"STORE_CURRENCY", "ORDER_STORE", "APP_URL",
                                          "SANDBOX_PORT"}


def test_relative_data_dir_is_under_the_project():
    assert build_settings({"DATA_DIR": "elsewhere"}).data_dir == ROOT / "elsewhere"
    assert build_settings({"DATA_DIR": "/tmp/x"}).data_dir == Path("/tmp/x")


@pytest.mark.parametrize("host", ["buildbox-7", "0.0.0.0", "localhost"])
def test_a_host_that_is_not_a_url_is_not_taken_for_app_url(tmp_path, host):
    # Shells and containers often export HOST as a machine name; only the tutorial's
    # URL-shaped HOST means the app's address.
    settings = load(tmp_path, {"HOST": host})
    assert settings.app_url == "http://localhost:8501"


def test_a_port_of_non_ascii_digits_is_a_problem_not_a_crash():
    only_problem({"SANDBOX_PORT": "²"}, "SANDBOX_PORT")


# --- Addresses: where processes listen, and where people reach them -------------------------

def test_listen_address_and_public_urls_are_separate_settings(tmp_path):
    settings = load(tmp_path)
    assert settings.listen_address == "127.0.0.1" and settings.app_port == 8501
    assert settings.sandbox_public_url == settings.sandbox_url == "http://127.0.0.1:12111"
    proxied = load(tmp_path, {"LISTEN_ADDRESS": "0.0.0.0", "APP_URL": "https://shop.example.org",
                              "SANDBOX_PUBLIC_URL": "https://pay.example.org/",
                              "APP_PUBLIC_URLS": "http://192.168.1.20:8501, https://b.example"})
    assert proxied.listen_address == "0.0.0.0"
    assert proxied.app_port == 8501  # a proxy's address says nothing of where Streamlit listens
    assert proxied.sandbox_public_url == "https://pay.example.org"
    assert proxied.sandbox_url == "http://127.0.0.1:12111"  # processes still talk directly
    assert proxied.known_origins[0] == "https://shop.example.org"
    assert {"http://192.168.1.20:8501", "https://b.example",
            "http://127.0.0.1:8501"} <= set(proxied.known_origins)


def test_app_port_follows_a_loopback_app_url_and_moves_it(tmp_path):
    assert load(tmp_path, {"APP_URL": "http://127.0.0.1:9000"}).app_port == 9000
    moved = load(tmp_path, {"APP_PORT": "8600"})
    assert moved.app_port == 8600 and moved.app_url == "http://localhost:8600"
    both = load(tmp_path, {"APP_URL": "http://127.0.0.1:18080", "APP_PORT": "8501"})
    assert both.app_port == 8501 and both.app_url == "http://127.0.0.1:18080"


@pytest.mark.parametrize("values, setting", [
    ({"LISTEN_ADDRESS": "http://0.0.0.0"}, "LISTEN_ADDRESS"),
    ({"APP_PORT": "eighty"}, "APP_PORT"),
    ({"SANDBOX_PUBLIC_URL": "pay.example.org"}, "SANDBOX_PUBLIC_URL"),
    ({"APP_PUBLIC_URLS": "https://ok.example,not-a-url"}, "APP_PUBLIC_URLS"),
])
def test_bad_addresses_are_named(values, setting):
    only_problem(values, setting)


def test_a_codespace_defaults_to_its_forwarded_addresses(tmp_path):
    codespace = {"CODESPACE_NAME": "asha-storefront-x7q9", "CODESPACES": "true",
                 "GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN": "app.github.dev"}
    settings = load(tmp_path, codespace)
    assert settings.app_url == "https://asha-storefront-x7q9-8501.app.github.dev"
    assert settings.sandbox_public_url == "https://asha-storefront-x7q9-12111.app.github.dev"
    assert settings.sandbox_url == "http://127.0.0.1:12111" and settings.app_port == 8501
    assert settings.listen_address == "127.0.0.1"  # Codespaces forwards the loopback ports
    moved = load(tmp_path, {**codespace, "APP_PORT": "8600", "SANDBOX_PORT": "12200"})
    assert moved.app_url == "https://asha-storefront-x7q9-8600.app.github.dev"
    assert moved.sandbox_public_url == "https://asha-storefront-x7q9-12200.app.github.dev"
    mine = load(tmp_path, {**codespace, "APP_URL": "https://mine.example",
                           "SANDBOX_PUBLIC_URL": "https://pay.mine.example"})
    assert (mine.app_url, mine.sandbox_public_url) == ("https://mine.example",
                                                       "https://pay.mine.example")
    half = load(tmp_path, {"CODESPACE_NAME": "asha-storefront-x7q9"})  # no domain: not one
    assert half.app_url == "http://localhost:8501"


def test_a_short_app_secret_is_a_problem():
    problem = only_problem({"APP_SECRET": "short"}, "APP_SECRET")
    assert "5 characters" in problem.message and "token_hex" in problem.fix
    assert build_settings({"APP_SECRET": "s" * 32}).app_secret == "s" * 32


def test_the_inbox_knobs_default_and_are_read():
    defaults = build_settings({})
    assert (defaults.inbox_lease_seconds, defaults.inbox_workers,
            defaults.inbox_poll_seconds) == (60.0, 4, None)
    tuned = build_settings({"INBOX_LEASE_SECONDS": "2.5", "INBOX_WORKERS": "8",
                            "INBOX_POLL_SECONDS": "0.5"})
    assert (tuned.inbox_lease_seconds, tuned.inbox_workers,
            tuned.inbox_poll_seconds) == (2.5, 8, 0.5)


@pytest.mark.parametrize("lease", ["0", "0.1", "-5", "soon", "nan", "inf", "3601"])
def test_an_unusable_inbox_lease_is_a_problem(lease):
    problem = only_problem({"INBOX_LEASE_SECONDS": lease}, "INBOX_LEASE_SECONDS")
    assert repr(lease) in problem.message and "60" in problem.fix


@pytest.mark.parametrize("poll", ["0", "0.01", "61", "often", "nan"])
def test_an_unusable_inbox_poll_is_a_problem(poll):
    problem = only_problem({"INBOX_POLL_SECONDS": poll}, "INBOX_POLL_SECONDS")
    assert repr(poll) in problem.message and "Firestore" in problem.fix


@pytest.mark.parametrize("workers", ["0", "65", "four", "2.5", "-1"])
def test_an_unusable_inbox_worker_count_is_a_problem(workers):
    problem = only_problem({"INBOX_WORKERS": workers}, "INBOX_WORKERS")
    assert repr(workers) in problem.message and "4" in problem.fix

"""secrets.toml for every process: read from .streamlit/, tables flattened, one precedence."""
import json

import pytest

from lib.config.secrets_toml import flatten_secrets
from lib.config.settings import SettingsError, load_settings

KEY = "sk_test_" + "51SecretsOnly"  # in two parts, so scanners do not flag a made-up key
SERVICE_ACCOUNT = {"type": "service_account", "project_id": "demo-storefront",
                   "private_key_id": "abc", "client_email": "svc@demo-storefront.iam.example",
                   # a made-up key, its marker split so scanners do not flag it as real
                   "private_key": "-----" + "BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"}


def write_secrets(root, text: str) -> None:
    """Put a secrets.toml where Streamlit looks for it: root/.streamlit/secrets.toml."""
    (root / ".streamlit").mkdir(exist_ok=True)
    (root / ".streamlit" / "secrets.toml").write_text(text, encoding="utf-8")


def test_tables_become_setting_names():
    flat = flatten_secrets({"STORE_CURRENCY": "USD", "WEBHOOK_PORT": 4343,
                            "stripe": {"secret_key": KEY, "publishable_key": "pk_test_1",
                                       "STRIPE_WEBHOOK_SECRET": "whsec_1",
                                       "signing_secret": "whsec_2"},
                            "auth": {"client_id": "c"}, "connections": {"x": {"y": 1}}})
    assert flat == {"STORE_CURRENCY": "USD", "WEBHOOK_PORT": "4343", "STRIPE_SECRET_KEY": KEY,
                    "STRIPE_PUBLIC_KEY": "pk_test_1", "STRIPE_WEBHOOK_SECRET": "whsec_2"}


def test_a_firebase_table_is_a_service_account():
    flat = flatten_secrets({"firebase": SERVICE_ACCOUNT})
    assert json.loads(flat["FIREBASE_SERVICE_ACCOUNT"]) == SERVICE_ACCOUNT
    assert flatten_secrets({"firebase": {"credentials": "permissions.json"}}) == {
        "FIREBASE_CREDENTIALS": "permissions.json"}


def test_every_process_without_st_secrets_reads_the_file(tmp_path):
    """What run.py, the sidecar and `run.py check` do: load_settings without secrets."""
    write_secrets(tmp_path, f'[stripe]\nsecret_key = "{KEY}"\n\n[auth]\nclient_id = "c"\n')
    settings = load_settings({}, root=tmp_path)
    assert settings.stripe_secret_key == KEY and settings.stripe_mode == "test"
    assert settings.oidc_configured is True  # the sidecar and check know about [auth] too


def test_the_precedence_is_environment_secrets_env_local_env(tmp_path):
    (tmp_path / ".env").write_text("STORE_CURRENCY=USD\nSHIPPING_COUNTRIES=US\nORDER_STORE=sqlite\n")
    (tmp_path / ".env.local").write_text("STORE_CURRENCY=GBP\nSHIPPING_COUNTRIES=GB\n")
    write_secrets(tmp_path, 'STORE_CURRENCY = "JPY"\n')
    assert load_settings({}, root=tmp_path).store_currency == "JPY"
    assert load_settings({"STORE_CURRENCY": "EUR"}, root=tmp_path).store_currency == "EUR"
    assert load_settings({}, root=tmp_path).shipping_countries == ("GB",)


def test_firestore_from_a_firebase_table(tmp_path):
    body = "\n".join(f"{k} = {json.dumps(v)}" for k, v in SERVICE_ACCOUNT.items())
    write_secrets(tmp_path, f'ORDER_STORE = "firestore"\n\n[firebase]\n{body}\n')
    settings = load_settings({}, root=tmp_path)
    assert settings.order_store == "firestore"
    assert json.loads(settings.firebase_service_account)["project_id"] == "demo-storefront"
    assert "PRIVATE KEY" not in repr(settings)


def test_a_broken_secrets_file_is_named(tmp_path):
    write_secrets(tmp_path, '[stripe\nsecret_key = "x"\n')
    with pytest.raises(SettingsError) as caught:
        load_settings({}, root=tmp_path)
    assert caught.value.problems[0].setting == "secrets.toml"
    assert "secrets.toml is not valid TOML" in str(caught.value)


def test_a_firebase_table_that_is_no_service_account_is_a_problem(tmp_path):
    with pytest.raises(SettingsError) as caught:
        load_settings({"FIREBASE_SERVICE_ACCOUNT": '{"type": "user"}'}, root=tmp_path)
    assert [p.setting for p in caught.value.problems] == ["FIREBASE_SERVICE_ACCOUNT"]

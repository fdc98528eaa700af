"""The Sign in page through AppTest: demo sign-in, sign-out, and OIDC switching the demo off."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures_pages import new_app
from ui.markdown_text import md_text

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
        "client_id": "c", "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


@pytest.fixture
def account(app_env):
    """A new session opened on the account page, with its own data directory."""
    at = new_app()
    at.switch_page("pages/account.py").run()
    assert not at.exception
    return at


def submit(at, name: str, email: str) -> AppTest:
    """Fill in and send the demo sign-in form."""
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_email").input(email)
    return next(b for b in at.button if b.label == "Sign in (demo)").click().run()


def test_demo_form_is_clearly_labelled(account):
    assert [t.value for t in account.title] == ["Sign in"]
    assert "Demo sign-in" in account.info[0].value
    assert account.text_input(key="signin_name") and account.text_input(key="signin_email")


@pytest.mark.parametrize("name, email, error", [
    ("", "ada@example.com", "Enter your name."),
    ("Ada", "", "Enter your email address."),
    ("Ada", "ada@example", "'ada@example' is not a valid email address."),
    ("Ada", "not an email", "'not an email' is not a valid email address."),
])
def test_demo_sign_in_validation_errors_are_shown(account, name, email, error):
    submit(account, name, email)
    assert not account.exception
    assert [e.value for e in account.error] == [md_text(error)]
    assert not account.session_state["shopper"].signed_in
    assert [t.value for t in account.title] == ["Sign in"]


def test_sign_in_then_sign_out(account):
    submit(account, "  Ada  Lovelace ", "Ada@Example.com")
    assert not account.exception
    shopper = account.session_state["shopper"]
    assert (shopper.kind, shopper.name, shopper.email) == ("demo", "Ada Lovelace",
                                                           "ada@example.com")
    assert [t.value for t in account.title] == ["Your basket"]  # sign-in leads to the basket

    account.switch_page("pages/account.py").run()
    assert [t.value for t in account.title] == ["Your account"]
    assert any(md_text("ada@example.com") in m.value for m in account.markdown)
    account.button(key="sign_out").click().run()
    assert not account.exception
    assert not account.session_state["shopper"].signed_in
    assert [t.value for t in account.title] == ["Sign in"]
    assert account.text_input(key="signin_name")


def test_demo_form_is_absent_when_oidc_is_configured(app_env):
    at = new_app()
    at.secrets["auth"] = AUTH
    at.switch_page("pages/account.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert "signin_name" not in [t.key for t in at.text_input]
    assert not at.info
    assert at.button(key="oidc_login").label == "Sign in with your identity provider"


def test_a_demo_shopper_is_not_kept_once_oidc_is_configured(app_env):
    from lib.shoppers.identity import demo_shopper

    at = new_app()
    at.secrets["auth"] = AUTH
    at.session_state["shopper"] = demo_shopper("Ada", "ada@example.com")
    at.switch_page("pages/account.py").run()
    assert not at.exception
    assert not at.session_state["shopper"].signed_in
    assert at.button(key="oidc_login")

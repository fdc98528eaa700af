"""The Setup page: each problem named with its fix, on the page for whoever the presenter gate
lets in, and in the terminal (`python run.py check`) when the gate stays closed."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from harness.processes import free_port
from tests.environments import environment
from tests.fixtures_pages import open_page


def setup_page() -> AppTest:
    """The app, switched to the Setup page and run."""
    return open_page("pages/setup.py")


def verdicts(at: AppTest) -> str:
    """Every check's line and fix as one text."""
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_wrong_key_is_named_with_its_fix(monkeypatch, tmp_path, sandbox):
    # With real keys the page is for presenters; `python run.py check` prints the same checks.
    from lib.setup_check.report import collect, format_report

    environment(monkeypatch, tmp_path, STRIPE_SECRET_KEY="rk_test_wrongkey",
                STRIPE_API_BASE=sandbox.url)
    text = format_report(collect())
    assert "Stripe key works" in text and "Stripe refused the key" in text
    assert "Copy the secret key (sk_test_...) again" in text
    assert "Webhook sidecar" in text and "nothing answers" in text


def test_broken_settings_are_named_in_the_terminal_not_on_the_page(monkeypatch, tmp_path):
    from lib.setup_check.report import collect, format_report

    environment(monkeypatch, tmp_path, STRIPE_SECRET_KEY="pk_test_abc", WEBHOOK_PORT="nope")
    at = setup_page()
    # The gate cannot decide without settings: closed (tests/test_page_presenter_gate.py).
    assert [t.value for t in at.title] == ["Presenters only"] and "Fix:" not in verdicts(at)
    text = format_report(collect())
    assert "STRIPE_SECRET_KEY" in text and "holds a publishable key" in text
    assert "Swap them" in text and "WEBHOOK_PORT" in text


def test_broken_credentials_file_is_named_by_the_terminal_check(monkeypatch, tmp_path):
    from lib.setup_check.report import collect, format_report

    (tmp_path / "permissions.json").write_text("{not json")
    environment(monkeypatch, tmp_path, ORDER_STORE="firestore",
                FIREBASE_CREDENTIALS=str(tmp_path / "permissions.json"),
                SANDBOX_URL=f"http://127.0.0.1:{free_port()}")
    # A real Firestore project: the page is for presenters even in sandbox mode.
    assert [t.value for t in setup_page().title] == ["Presenters only"]
    text = format_report(collect())
    assert "Firestore credentials" in text and "is not valid JSON" in text
    assert "Generate new private key" in text


def test_the_page_checks_with_the_apps_own_stripe_client_and_log(monkeypatch, tmp_path, sandbox):
    """No second StripeClient or webhook log: run_all gets the app's, so it builds none."""
    import lib.setup_check.runner as runner

    def refuse(*args, **kwargs):
        raise AssertionError("the Setup page built a second Stripe client or webhook log")

    monkeypatch.setattr(runner, "make_stripe_client", refuse)
    monkeypatch.setattr(runner, "make_webhook_log", refuse)
    environment(monkeypatch, tmp_path, STRIPE_API_BASE=sandbox.url)
    text = verdicts(setup_page())
    assert ":green[:material/check_circle:] **Stripe key works**" in text
    assert "**Last webhook**: the sidecar has not received any event yet" in text


def test_the_page_shows_no_file_path_of_this_machine(monkeypatch, tmp_path):
    environment(monkeypatch, tmp_path, ORDER_STORE="sqlite")
    at = setup_page()
    text = verdicts(at)
    assert "Orders store" in text
    assert str(tmp_path) not in text and "…/orders.sqlite3" in text


def test_with_real_keys_the_page_is_for_presenters_and_points_at_the_terminal(monkeypatch,
                                                                               tmp_path):
    environment(monkeypatch, tmp_path, STRIPE_SECRET_KEY="rk_test_wrongkey")
    at = setup_page()
    assert [t.value for t in at.title] == ["Presenters only"]
    assert "python run.py check" in at.info[0].value and not verdicts(at).count("Fix:")

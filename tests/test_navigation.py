"""The app's navigation through AppTest: the header's Learn and Presenter menus, every page
reachable, the presenter pages listed only to those who may open them."""
import ast

import pytest
import streamlit

from lib.config.settings import ROOT
from lib.shoppers.identity import demo_shopper
from tests.fixtures_pages import new_app
from ui.frame import PAGES
from ui.navigation import listed

TEST_KEY = "sk_" + "test_51AbCdEf"
LEARN = ["Setup check", "Webhook inspector", "The tutorial, mapped"]
PRESENTER = ["Sales dashboard", "Data explorer", "Demo data", "Last purchase"]
# What each page shows first, to know the run reached it.
HEADINGS = {"shop": "Shop", "basket": "Your basket", "orders": "Your orders",
            "account": "Sign in", "setup": "Setup check", "events": "Webhook inspector",
            "dashboard": "Sales dashboard", "explorer": "Data explorer",
            "demo_data": "Demo data", "timeline": "The last purchase, step by step",
            "success": "This page needs a checkout session id from Stripe"}


@pytest.fixture
def menus(monkeypatch):
    """Record, for each run, the menus st.navigation draws in the header: {section: [titles]}
    of the visible pages, and its position; st.navigation itself still runs."""
    calls = []
    real = streamlit.navigation

    def recording(pages, **kwargs):
        calls.append((
            {section: [p.title for p in listed if p.visibility == "visible"]
             for section, listed in pages.items()},
            kwargs.get("position")))
        return real(pages, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", recording)
    return calls


def through_the_menu(path: str, shopper=None):
    """A new session run from the entry script (which draws the navigation), then switched to
    path, as a click in the header's menu does; asserts both runs ran."""
    at = new_app()
    if shopper is not None:
        at.session_state["shopper"] = shopper
    at.run()
    assert not at.exception, at.exception
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def visible(menus) -> dict[str, list[str]]:
    """The last run's menus, without empty sections."""
    shown, position = menus[-1]
    assert position == "top"
    return {section: titles for section, titles in shown.items() if titles}


def test_in_sandbox_mode_the_header_lists_learn_and_presenter_menus(app_env, menus):
    through_the_menu("pages/shop.py")
    assert visible(menus) == {"Learn": LEARN, "Presenter": PRESENTER}


@pytest.mark.parametrize("shopper", [None, demo_shopper("Ada", "ada@example.com")],
                         ids=["guest", "demo-with-presenter-email"])
def test_with_real_keys_shoppers_see_only_the_tutorial(app_env, monkeypatch, menus, shopper):
    monkeypatch.setenv("STRIPE_SECRET_KEY", TEST_KEY)
    monkeypatch.setenv("DEMO_SIGN_IN", "1")
    monkeypatch.setenv("PRESENTER_EMAILS", "ada@example.com")
    through_the_menu("pages/shop.py", shopper)
    assert visible(menus) == {"Learn": ["The tutorial, mapped"]}


def test_when_the_services_cannot_be_built_guests_see_no_presenter_menu(app_env, monkeypatch,
                                                                       menus):
    (app_env / "products.json").write_text("{not json")
    monkeypatch.setenv("STRIPE_SECRET_KEY", TEST_KEY)
    monkeypatch.setenv("CATALOG_PATH", str(app_env / "products.json"))
    at = new_app()
    at.run()
    assert not at.exception, at.exception
    assert visible(menus) == {"Learn": ["The tutorial, mapped"]}


def test_a_presenter_is_listed_every_menu_page_and_the_shop_pages_never():
    # A real presenter needs [auth] and an identity provider (tests/browser/test_real_sign_in.py
    # signs in for real); presenter_refusal's verdicts are tested in test_page_presenter_access.
    assert [p.title for p in PAGES if listed(p, presenter=True)] == LEARN + PRESENTER
    assert [p.title for p in PAGES if listed(p, presenter=False)] == ["The tutorial, mapped"]
    assert not [p for p in PAGES if p.section == "Store" and listed(p, presenter=True)]


def test_the_setup_check_is_a_learn_page_that_presenters_open():
    setup = next(page for page in PAGES if page.path == "pages/setup.py")
    assert (setup.section, setup.presenter) == ("Learn", True)
    assert listed(setup, presenter=True) and not listed(setup, presenter=False)


def calls_in(path: str) -> set[str]:
    """The names of the functions a page file calls."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {node.func.id for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path)
def test_a_page_draws_the_presenter_frame_exactly_when_pages_marks_it(page):
    assert ("presenter_frame" in calls_in(page.path)) == page.presenter


@pytest.mark.parametrize("page", [p for p in PAGES if p.url_path != "tutorial"],
                         ids=lambda p: p.url_path)
def test_every_page_is_reachable(app_env, page):
    at = through_the_menu(page.path)
    titles = [t.value for t in at.title] + [e.value for e in at.error]
    assert any(HEADINGS[page.url_path] in text for text in titles), titles


def test_the_tutorial_page_shows_the_mapped_steps(app_env):
    at = through_the_menu("pages/tutorial.py")
    text = "\n".join(m.value for m in at.markdown)
    assert "# The tutorial, mapped to this code" in text
    assert "### Step 19" in text


@pytest.mark.parametrize("page", ["pages/setup.py", "pages/sales_dashboard.py"])
def test_an_unlisted_presenter_page_opened_by_url_says_why(app_env, monkeypatch, page):
    monkeypatch.setenv("STRIPE_SECRET_KEY", TEST_KEY)
    at = through_the_menu(page)
    assert [t.value for t in at.title] == ["Presenters only"]

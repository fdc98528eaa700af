"""axe-core over every page a shopper, a learner and a presenter open, in Chromium against the
real processes: 0 serious or critical violations in what we render. What Streamlit renders
itself and fails is listed in ALLOWED with its upstream issue; the list is exact, so an entry
that no longer occurs fails the test too."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from lib.config.settings import saved_sandbox_key
from tests.browser.axe_check import Allowed, settle, severe_violations
from tests.browser.screen import offline
from tests.browser.shopper import (
    add_from_card,
    fill_hosted_page,
    go,
    go_menu,
    open_app,
    pay,
    sign_in_demo,
    start_checkout,
)

EMAIL = "axe.test@example.com"
MUGS = "saffron-glaze-mug-set"
# What a search of github.com/streamlit/streamlit's issues (toast accessibility, alertdialog,
# aria-labelledby; sidebar navigation sections, list markup) did not find: written up, ready to
# file, in docs/upstream-issues.md (this machine cannot reach GitHub).
NOT_FILED = ("no upstream issue found: drafted in docs/upstream-issues.md, to be filed at "
             "github.com/streamlit/streamlit/issues")
ALLOWED: tuple[Allowed, ...] = (
    Allowed(
        rule="aria-dialog-name", inside="[data-testid=stToast]", pages=("shop-after-add",),
        issue=NOT_FILED,
        why="every st.toast is a role=alertdialog whose aria-labelledby names an element "
            "Streamlit never renders, so the toast has no accessible name; we only choose its "
            "text"),
    Allowed(
        rule="color-contrast", inside="[data-testid=stJson]", pages=("explorer",),
        issue="https://github.com/streamlit/streamlit/issues/11711",
        why="st.json draws numbers in react-json-view's built-in rjv-default theme, #268bd2 on "
            "white (3.68:1); Streamlit offers no setting for st.json's colours, which #11711 "
            "(open) proposes replacing with Streamlit's own theme"),
    # On a phone Streamlit moves the header's menus into the sidebar, as a list with sections.
    Allowed(
        rule="list", inside="[data-testid=stSidebarNavItems]",
        pages=("phone-shop", "phone-menu"),
        issue=NOT_FILED,
        why="Streamlit's sidebar navigation with sections puts each section in a <div> directly "
            "inside its <ul>, which a list may not hold"),
    Allowed(
        rule="listitem", inside="[data-testid=stSidebarNavItems]",
        pages=("phone-shop", "phone-menu"),
        issue=NOT_FILED,
        why="the same sections' <li> items then have a <div>, not a list, as their parent"),
)


class Audit:
    """The pages audited, in order, and what axe found on each beyond ALLOWED."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}
        self.allowed_seen: set[Allowed] = set()
        self.allowed_on: dict[str, list[str]] = {}

    def check(self, page: Page, name: str, streamlit: bool = True,
              toasts_gone: bool = True) -> None:
        """Audit the page under this name, once it has drawn (a Streamlit page: settled)."""
        if streamlit:
            settle(page, toasts_gone)
        ours = []
        for violation in severe_violations(page, name):
            allowance = next((a for a in ALLOWED if a.matches(page, name, violation)), None)
            if allowance is None:
                ours.append(str(violation))
            else:
                self.allowed_seen.add(allowance)
                self.allowed_on.setdefault(name, []).append(violation.rule)
        self.found[name] = ours
        # One line per page for the run's log: what is ours, what Streamlit's.
        print(f"axe {name}: {len(ours)} of ours, Streamlit's: {self.allowed_on.get(name, [])}")

    def assert_clean(self, expected_pages: list[str]) -> None:
        """Every page audited, none with a violation of ours, and every allowance for these
        pages still needed (an allowance that no longer occurs must leave the list)."""
        assert list(self.found) == expected_pages
        assert {name: v for name, v in self.found.items() if v} == {}
        stale = [a for a in ALLOWED if set(a.pages) & set(expected_pages)
                 and a not in self.allowed_seen]
        assert stale == [], f"allowed violations that no longer occur: {stale}"


def test_every_page_has_no_serious_or_critical_violation(page: Page, new_context, storefront):
    audit = Audit()
    open_app(page, storefront.url)
    audit.check(page, "shop")
    page.locator(f".st-key-details_{MUGS}").get_by_role("button", name="Details").click()
    expect(page.get_by_role("button", name="← Back to the shop")).to_be_visible()
    audit.check(page, "product")
    page.get_by_role("button", name="← Back to the shop").click()
    add_from_card(page, MUGS, 1)
    expect(page.get_by_test_id("stToast")).to_be_visible()
    audit.check(page, "shop-after-add", toasts_gone=False)
    go(page, "Sign in", "Sign in")
    audit.check(page, "sign-in")
    sign_in_demo(page, storefront.url, "Axe Tester", EMAIL)
    audit.check(page, "basket")
    hosted = start_checkout(page)
    audit.check(page, "basket-pay-link")
    audit.check(hosted, "hosted-checkout", streamlit=False)
    fill_hosted_page(hosted, EMAIL)
    audit.check(hosted, "hosted-checkout-filled", streamlit=False)
    pay(hosted)
    expect(hosted.get_by_role("heading", name="Thank you! Your order is confirmed.")
           ).to_be_visible()
    audit.check(hosted, "success")
    go(hosted, "Orders", "Your orders")
    expect(hosted.get_by_text("1 order", exact=True)).to_be_visible()
    audit.check(hosted, "orders")
    go(hosted, "Account", "Your account")
    audit.check(hosted, "account")
    for menu, title, heading, name in [
            ("Learn", "Setup check", "Setup check", "setup"),
            ("Learn", "Webhook inspector", "Webhook inspector", "inspector"),
            ("Learn", "The tutorial, mapped", "The tutorial, mapped to this code", "tutorial"),
            ("Presenter", "Sales dashboard", "Sales dashboard", "dashboard"),
            ("Presenter", "Data explorer", "Data explorer", "explorer"),
            ("Presenter", "Demo data", "Demo data", "demo-data"),
            ("Presenter", "Last purchase", "The last purchase, step by step", "timeline")]:
        go_menu(hosted, menu, title, heading)
        if name == "tutorial":  # with a step's code open, as a learner reads it
            box = hosted.get_by_test_id("stExpander").filter(has_text="Code: start_checkout in")
            box.locator("summary").click()
            expect(box.get_by_test_id("stCode")).to_be_visible()
        if name == "explorer":  # with the order found, as the presenter shows it
            hosted.get_by_label("Find by email or session id").fill(EMAIL)
            hosted.get_by_label("Find by email or session id").press("Enter")
            expect(hosted.get_by_text("1 order, newest first")).to_be_visible()
        audit.check(hosted, name)
    dashboard = sandbox_dashboard(new_context, storefront)
    audit.check(dashboard, "sandbox-dashboard", streamlit=False)
    audit.assert_clean(["shop", "product", "shop-after-add", "sign-in", "basket", "basket-pay-link",
                        "hosted-checkout", "hosted-checkout-filled", "success", "orders",
                        "account", "setup", "inspector", "tutorial", "dashboard", "explorer",
                        "demo-data", "timeline", "sandbox-dashboard"])


def sandbox_dashboard(new_context, storefront) -> Page:
    """The sandbox's Dashboard (payments, refunds, events), signed in with its API key typed into
    its sign-in form, in a context of its own (closed with the test's)."""
    key = saved_sandbox_key(Path(storefront.data_dir))
    sandbox_url = next(s for s in storefront.servers if s.name.startswith("sandbox")).url
    context = offline(new_context())
    dashboard = context.new_page()
    dashboard.goto(f"{sandbox_url}/dashboard")
    dashboard.get_by_label("The sandbox's secret key").fill(key)
    dashboard.get_by_role("button", name="Sign in").click()
    expect(dashboard.get_by_role("heading", level=1)).to_have_text(re.compile("Dashboard"))
    return dashboard


def test_on_a_phone_the_shop_and_its_menus_have_no_serious_or_critical_violation(
        page: Page, storefront):
    audit = Audit()
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, storefront.url)
    audit.check(page, "phone-shop")
    page.get_by_role("button", name="Expand sidebar").click()
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
    audit.check(page, "phone-menu")
    audit.assert_clean(["phone-shop", "phone-menu"])

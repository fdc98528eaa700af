"""The presenter pages in headless Chromium against the real processes: a purchase shows up on
the dashboard, in the data explorer and as a timeline; demo data fills the charts."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.screen import save_screenshot
from tests.browser.shopper import (
    add_from_card,
    fill_hosted_page,
    go_menu,
    inr,
    open_app,
    pay,
    price,
    sign_in_demo,
    start_checkout,
)

KETTLE = "aurora-kettle"
EMAIL = "presenter.test@example.com"
STANDARD = 4900  # standard shipping in INR minor units below the free-shipping threshold


def metric(page: Page, label: str):
    """The value element of the metric with this label."""
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_a_purchase_on_the_dashboard_in_the_explorer_and_as_a_timeline(page: Page,
                                                                      own_storefront):
    open_app(page, own_storefront.url)
    add_from_card(page, KETTLE, 1)
    sign_in_demo(page, own_storefront.url, "Presenter Test", EMAIL)
    hosted = start_checkout(page)
    fill_hosted_page(hosted, EMAIL)
    pay(hosted)
    expect(hosted.get_by_role("heading", name="Thank you! Your order is confirmed.")
           ).to_be_visible()

    go_menu(page, "Presenter", "Sales dashboard", "Sales dashboard")
    expect(metric(page, "Paid orders")).to_have_text("1")
    revenue = metric(page, "Revenue")
    expect(revenue).to_have_text(re.compile(r"^₹"))
    assert revenue.inner_text() in (inr(price(KETTLE) + STANDARD), inr(price(KETTLE)))
    expect(page.get_by_role("heading", name="Revenue by hour")).to_be_visible()
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(5)
    save_screenshot(page, "dashboard-one-purchase")

    go_menu(page, "Presenter", "Data explorer", "Data explorer")
    page.get_by_label("Find by email or session id").fill(EMAIL)
    page.get_by_label("Find by email or session id").press("Enter")
    expect(page.get_by_text("1 order, newest first")).to_be_visible()
    row = page.get_by_test_id("stCode").first
    expect(row).to_contain_text(EMAIL)
    expect(page.get_by_test_id("stJson").first).to_contain_text("aurora-kettle")
    save_screenshot(page, "explorer")

    go_menu(page, "Presenter", "Last purchase", "The last purchase, step by step")
    expect(page.get_by_test_id("stCode").first).to_contain_text(EMAIL)
    grid = page.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible()
    save_screenshot(page, "timeline")


def test_demo_data_fills_the_charts(page: Page, own_storefront):
    open_app(page, own_storefront.url)
    go_menu(page, "Presenter", "Demo data", "Demo data")
    expect(page.get_by_role("button", name="Create demo purchases")).to_have_count(0)
    # The presenter types the key the sandbox printed (run.py keeps it under DATA_DIR).
    key = page.get_by_label("The sandbox's API key")
    key.fill((own_storefront.data_dir / "sandbox_api_key").read_text().strip())
    key.press("Enter")
    page.get_by_label("Purchases").fill("12")
    page.get_by_label("Purchases").press("Enter")
    page.get_by_role("button", name="Create demo purchases").click()
    expect(page.get_by_text("12 purchases paid and recorded as orders.")).to_be_visible(
        timeout=60_000)
    expect(metric(page, "Generated orders stored")).to_have_text("12")
    go_menu(page, "Presenter", "Sales dashboard", "Sales dashboard")
    expect(page.get_by_role("heading", name="Revenue by day")).to_be_visible()
    expect(page.get_by_text(re.compile(r"12 of these orders are generated demo data"))
           ).to_be_visible()
    paid = int(metric(page, "Paid orders").inner_text())
    assert paid >= 12
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(5)
    save_screenshot(page, "dashboard-demo-data")

    go_menu(page, "Presenter", "Demo data", "Demo data")
    page.get_by_role("button", name="Remove demo data").click()
    expect(page.get_by_text(re.compile(r"^Removed 12 generated orders"))).to_be_visible()

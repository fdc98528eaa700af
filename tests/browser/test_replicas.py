"""Two replicas of each process on one Firestore emulator, each with a DATA_DIR of its own: a
shopper fills the basket on app server A, finds it on server B (same browser, same cookie),
signs in and pays there, comes back to B and sees the order; A agrees; signing out on A revokes
the old cookie on B."""
from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from devtools.demo import streamlit_command
from harness.processes import free_port, python_module, start
from harness.replicas import firestore_env
from harness.waiting import wait_until
from lib.config.settings import build_settings, load_settings
from lib.shoppers.identity import COOKIE_NAME
from lib.stores.factory import make_order_store
from tests.browser.processes import (
    HEALTH,
    PINNED,
    SANDBOX_TIMINGS,
    STREAMLIT_FLAGS,
    Storefront,
    write_secrets,
)
from tests.browser.shopper import (
    add_from_card,
    expect_basket_count,
    expect_guest,
    expect_signed_in,
    fill_hosted_page,
    go,
    inr,
    open_app,
    pay,
    price,
    sign_in_demo,
    start_checkout,
    title,
)
from tests.fixtures_firestore import unique_project

MUGS = "saffron-glaze-mug-set"
EMAIL = "asha.replicas@example.com"


def launch_replicas(base: Path, emulator: str) -> tuple[Storefront, list[str]]:
    """One sandbox delivering every event to two sidecars, and two Streamlit servers; every
    process with its own DATA_DIR and all stores in one Firestore project. Returns the
    processes and the two app URLs."""
    ports = {name: free_port() for name in ("sandbox", "hook0", "hook1", "web0", "web1")}
    hooks = [f"http://127.0.0.1:{ports[f'hook{n}']}" for n in (0, 1)]
    shared = {**PINNED, **firestore_env(emulator, unique_project()), "APP_SECRET": "",
              "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_hex(16),
              "SANDBOX_API_KEY": "sk_test_" + secrets.token_hex(16),
              "SANDBOX_URL": f"http://127.0.0.1:{ports['sandbox']}", "PYTHONIOENCODING": "utf-8"}
    shop = Storefront(f"http://127.0.0.1:{ports['web0']}", base)
    try:
        shop.servers.append(start("sandbox", python_module("stripe_sandbox"), {
            **shared, **SANDBOX_TIMINGS, "DATA_DIR": base / "sandbox", "SANDBOX_PUBLIC_URL": "",
            "SANDBOX_PORT": ports["sandbox"],
            "SANDBOX_WEBHOOK_URL": ",".join(f"{h}/webhook" for h in hooks)},
            base, HEALTH["sandbox"], ports["sandbox"]))
        for n in (0, 1):
            shop.servers.append(start(f"webhook{n}", python_module("webhook_server"), {
                **shared, "DATA_DIR": base / f"webhook{n}", "WEBHOOK_URL": hooks[n]},
                base, HEALTH["webhook"], ports[f"hook{n}"]))
        urls = []
        for n in (0, 1):
            url = f"http://127.0.0.1:{ports[f'web{n}']}"
            env = {**shared, "DATA_DIR": str(base / f"web{n}"), "APP_URL": url,
                   "APP_PORT": str(ports[f"web{n}"]), "WEBHOOK_URL": hooks[n]}
            secrets_file = write_secrets(base / f"secrets{n}.toml", url)
            command = [*streamlit_command(load_settings(env)), *STREAMLIT_FLAGS,
                       f"--secrets.files={secrets_file}"]
            shop.servers.append(start(f"web{n}", command, env, base, HEALTH["web"],
                                      ports[f"web{n}"], timeout=60))
            urls.append(url)
    except Exception:
        shop.stop()
        raise
    return shop, urls


@pytest.fixture
def replicas(tmp_path, firestore_emulator):
    """The two-replica deployment, stopped by PID after the test."""
    shop, urls = launch_replicas(tmp_path, firestore_emulator)
    yield shop, urls
    shop.stop()


@pytest.mark.firestore
def test_basket_on_server_a_bought_on_server_b_order_seen_on_both(page: Page, replicas):
    shop, (server_a, server_b) = replicas
    open_app(page, server_a)
    add_from_card(page, MUGS, 2)

    open_app(page, server_b)  # nothing on B's disk: the cookie and Firestore are all it has
    expect_basket_count(page, 2)
    go(page, "Basket", "Your basket")
    expect(page.get_by_text(f"Subtotal (2 items): {inr(2 * price(MUGS))}")).to_be_visible()
    sign_in_demo(page, server_b, "Asha Rao", EMAIL)
    expect(page.get_by_text(f"Subtotal (2 items): {inr(2 * price(MUGS))}")).to_be_visible()

    hosted = start_checkout(page)
    fill_hosted_page(hosted, EMAIL)
    pay(hosted)
    expect(hosted.get_by_role("heading", name="Thank you! Your order is confirmed.")
           ).to_be_visible()
    assert hosted.url.startswith(f"{server_b}/success?session_id=cs_"), hosted.url
    session_id = hosted.url.split("session_id=")[1].split("&")[0]
    expect_signed_in(hosted, EMAIL)
    expect_basket_count(hosted, 0)
    go(hosted, "Orders", "Your orders")
    expect(hosted.get_by_text("1 order", exact=True)).to_be_visible()
    expect(hosted.get_by_text(title(MUGS))).to_be_visible()

    open_app(hosted, server_a, "orders", "Your orders")  # A signs the cookie with the same key
    expect_signed_in(hosted, EMAIL)
    expect_basket_count(hosted, 0)
    expect(hosted.get_by_text("1 order", exact=True)).to_be_visible()

    # Signing out on A revokes the shopper's cookie on B as well: a copy of the old cookie,
    # put back in the browser, is a guest's on B (the sign-out generation is in Firestore).
    signed_in_cookies = hosted.context.cookies()
    open_app(hosted, server_a, "account", "Your account")
    hosted.get_by_role("button", name="Sign out").click()
    expect(hosted.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    signed_out = {c["name"]: c["value"] for c in hosted.context.cookies()}
    hosted.context.add_cookies(signed_in_cookies)
    old = {c["name"]: c["value"] for c in signed_in_cookies}
    assert signed_out[COOKIE_NAME] != old[COOKIE_NAME]  # sign-out gave the browser a new one
    open_app(hosted, server_b, "orders", "Your orders")
    expect(hosted.get_by_text("Sign in to see your orders.")).to_be_visible()
    expect_guest(hosted)

    # Stripe's event reached both sidecars; the one order is in Firestore, not on a disk.
    for hook in (s for s in shop.servers if s.name.startswith("webhook")):
        wait_until(lambda hook=hook: "checkout.session.completed" in hook.log()
                   and session_id in hook.log(), timeout=60)
    store = make_order_store(build_settings(shop.servers[-1].env))
    try:
        assert store.count_orders(EMAIL) == 1
        order = store.get_order(EMAIL, session_id)
        assert order.status == "paid" and order.items[0].quantity == 2
    finally:
        store.close()

"""The frame every page draws first: page config, services, the shopper, the sidebar.

Each page calls page_frame() itself rather than relying on streamlit_app.py, because on a
fresh server Streamlit runs a file from pages/ directly when the first request asks for it
(its older multipage mode), and the page must look and behave the same either way.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lib.config.settings import ROOT, SettingsError
from lib.services import Services
from lib.shop.catalog import CatalogError
from lib.shoppers.identity import Shopper
from lib.shoppers.presenter_access import CANNOT_DECIDE
from lib.stores.errors import StoreError
from ui import cached_services, presenter_gate, session_shopper
from ui.markdown_text import md_text
from ui.top_bar import BasketLink, draw_top_bar

# The storefront's CSS: the bar kept in view, toasts clear of its basket count.
STYLE = ROOT / "static" / "storefront.css"


@dataclass(frozen=True)
class PageSpec:
    """One page: its file, menu title, icon, URL path and menu section, and whether it is a
    presenter page (it shows every shopper's data or the machine's configuration, so
    presenter_refusal decides who may open it and the menus list it only to them)."""

    path: str
    title: str
    icon: str
    url_path: str
    section: str
    presenter: bool = False


# Every page, said once: the menus (ui.navigation), the sidebar and the presenter gate read it.
PAGES = (
    PageSpec("pages/shop.py", "Shop", ":material/storefront:", "shop", "Store"),
    PageSpec("pages/basket.py", "Basket", ":material/shopping_basket:", "basket", "Store"),
    PageSpec("pages/orders.py", "Orders", ":material/receipt_long:", "orders", "Store"),
    PageSpec("pages/account.py", "Sign in", ":material/person:", "account", "Store"),
    # Learn: what a learner opens beside the tutorial; the Setup check and the inspector show
    # the machine's configuration and every delivery, so they are presenter pages too.
    PageSpec("pages/setup.py", "Setup check", ":material/checklist:", "setup", "Learn",
             presenter=True),
    PageSpec("pages/webhook_inspector.py", "Webhook inspector", ":material/webhook:", "events",
             "Learn", presenter=True),
    PageSpec("pages/tutorial.py", "The tutorial, mapped", ":material/map:", "tutorial", "Learn"),
    # Presenter: what a workshop did, across every shopper.
    PageSpec("pages/sales_dashboard.py", "Sales dashboard", ":material/monitoring:", "dashboard",
             "Presenter", presenter=True),
    PageSpec("pages/explorer.py", "Data explorer", ":material/database:", "explorer",
             "Presenter", presenter=True),
    PageSpec("pages/demo_data.py", "Demo data", ":material/auto_awesome:", "demo_data",
             "Presenter", presenter=True),
    PageSpec("pages/timeline.py", "Last purchase", ":material/timeline:", "timeline",
             "Presenter", presenter=True),
    # Stripe sends the shopper back here; it is reached by URL, not from the menu.
    PageSpec("pages/success.py", "Thank you", ":material/check_circle:", "success", ""),
)


def draw_sidebar(svc: Services, shopper: Shopper, search_here: bool = False) -> BasketLink:
    """The top bar (search_here: the page has its own search box), then the sidebar: the shop's
    pages, who is signed in and the payment mode (the Learn and Presenter pages are in the
    header's menus, ui.navigation). Returns the bar's basket link; the basket's count is shown
    there alone, so an "Add to basket" has one number to redraw."""
    basket = draw_top_bar(shopper, svc.baskets.load(shopper.key).count, on_shop=search_here)
    with st.sidebar:
        st.markdown("### :material/storefront: Storefront")
        for page in PAGES:
            if page.section != "Store":
                continue
            label = "Account" if page.url_path == "account" and shopper.signed_in else page.title
            st.page_link(page.path, label=label, icon=page.icon)
        st.divider()
        if shopper.signed_in:
            # An identity provider may send no name; the email then stands in for it, once.
            name = f"**{md_text(shopper.name)}**  \n" if shopper.name != shopper.email else ""
            st.markdown(f"Signed in as {name}{md_text(shopper.email)}")
        else:
            st.markdown("Browsing as a **guest**")
        mode = {"sandbox": "local sandbox", "test": "Stripe test mode",
                "live": "LIVE"}[svc.settings.stripe_mode]
        st.caption(f"Payments: {mode} · orders: {svc.settings.order_store}")
    return basket


def _open() -> tuple[Services | None, Shopper | None, str]:
    """Set up the page; (services, shopper, "") or, when the services cannot be built,
    (None, None, what the page may say about it), the details told to the terminal."""
    st.set_page_config(page_title="Storefront", page_icon=":material/storefront:",
                       layout="wide")
    st.html(STYLE)  # style only: Streamlit puts it where it takes no space
    try:
        svc = cached_services.services()
    except (SettingsError, CatalogError, StoreError) as exc:
        return None, None, presenter_gate.broken_shop_text(exc)
    shopper = session_shopper.current_shopper(svc)
    session_shopper.flush_cookie(svc)
    return svc, shopper, ""


def _stop_broken(problem: str) -> None:
    """Say the shop cannot start (and where to look), then stop the page."""
    st.error(problem)
    st.page_link("pages/setup.py", label="Open the Setup check", icon=":material/checklist:")
    st.stop()


def open_frame(allow_broken: bool = False) -> tuple[Services | None, Shopper | None]:
    """Set up the page and return (services, shopper) without the sidebar; when the services
    cannot be built, stop saying so (or, with allow_broken, return (None, None))."""
    svc, shopper, problem = _open()
    if problem and not allow_broken:
        _stop_broken(problem)
    return svc, shopper


def page_frame(allow_broken: bool = False,
               search_here: bool = False) -> tuple[Services | None, Shopper | None]:
    """open_frame, then the top bar and sidebar: what every page but /success draws first."""
    svc, shopper = open_frame(allow_broken)
    if svc is not None:
        draw_sidebar(svc, shopper, search_here)
    return svc, shopper


def presenter_frame(allow_broken: bool = False) -> tuple[Services | None, Shopper | None]:
    """page_frame for a presenter page: stops with the reason when this shopper may not see it,
    or when the gate cannot decide (closed); the gate comes before any word about a broken
    configuration (allow_broken: the Setup page, which shows the problems itself)."""
    svc, shopper, problem = _open()
    if svc is not None:
        draw_sidebar(svc, shopper)
    if refusal := presenter_gate.refusal(svc, shopper):
        st.title("Presenters only")
        if refusal != CANNOT_DECIDE:
            refusal += (" The Setup check also runs in a terminal on this machine: "
                        "`python run.py check`.")
        st.info(refusal, icon=":material/lock:")
        st.stop()
    if problem and not allow_broken:
        _stop_broken(problem)
    return svc, shopper

"""Storefront's entry point: page frame, navigation and the sidebar; every page is in pages/."""
import streamlit as st

from lib.catalog import CatalogError
from lib.settings import SettingsError
from lib.stores.base import StoreError
from ui import context
from ui.widgets import sidebar

st.set_page_config(page_title="Storefront", page_icon=":material/storefront:", layout="wide")

shop = st.Page("pages/shop.py", title="Shop", icon=":material/storefront:", default=True)
pages = {
    "Store": [
        shop,
        st.Page("pages/basket.py", title="Basket", icon=":material/shopping_basket:",
                url_path="basket"),
        st.Page("pages/orders.py", title="Orders", icon=":material/receipt_long:",
                url_path="orders"),
        st.Page("pages/account.py", title="Sign in", icon=":material/person:",
                url_path="account"),
    ],
    "Learn": [
        st.Page("pages/setup.py", title="Setup check", icon=":material/checklist:",
                url_path="setup"),
        st.Page("pages/events.py", title="Webhook inspector", icon=":material/webhook:",
                url_path="events"),
    ],
}
# Stripe sends the shopper back here; it is reached by URL, not from the menu.
success = st.Page("pages/success.py", title="Thank you", icon=":material/check_circle:",
                  url_path="success")
navigation = st.navigation({**pages, "": [success]}, position="hidden")

try:
    svc = context.services()
except (SettingsError, CatalogError, StoreError) as exc:
    svc = None
    if not navigation.url_path == "setup":
        st.error(f"Storefront cannot start with this configuration:\n\n{exc}")
        st.page_link("pages/setup.py", label="Open the Setup check", icon=":material/checklist:")
        st.stop()

if svc is not None:
    shopper = context.current_shopper(svc)
    sidebar(svc, shopper, pages)
navigation.run()
if svc is not None:
    context.flush_cookie(svc)

"""Orders: the signed-in shopper's orders, newest first, a page at a time."""
import streamlit as st

from lib.sign_in_policy import EXPOSED_WARNING, demo_sign_in
from lib.stores.base import StoreError
from ui.frame import page_frame
from ui.widgets import order_view

PAGE_SIZE = 10
svc, shopper = page_frame()

st.title("Your orders")
if not shopper.signed_in:
    st.info("Sign in to see your orders.", icon=":material/lock:")
    st.page_link("pages/account.py", label="Sign in", icon=":material/person:")
    st.stop()
if shopper.kind == "demo" and demo_sign_in(svc.settings).warn:
    st.warning(EXPOSED_WARNING, icon=":material/warning:")

try:
    total = svc.orders.count_orders(shopper.email)
    pages = max(1, -(-total // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1,
                               key="orders_page")
    orders = svc.orders.list_orders(shopper.email, PAGE_SIZE, (page - 1) * PAGE_SIZE)
except StoreError as exc:
    st.error(f"Your orders cannot be read right now: {exc}. The Setup check says why.")
    st.page_link("pages/setup.py", label="Setup check", icon=":material/checklist:")
    st.stop()

if not orders:
    st.info("You have no orders yet.", icon=":material/receipt_long:")
    st.page_link("pages/shop.py", label="Start shopping", icon=":material/storefront:")
    st.stop()

st.caption(f"{total} order{'s' if total != 1 else ''}")
for order in orders:
    order_view(svc, order)

"""Orders: the signed-in shopper's orders, newest first, a page at a time (cursor paging)."""
import streamlit as st

from lib.shoppers.identity import ShopperKind
from lib.shoppers.sign_in_policy import EXPOSED_WARNING, demo_sign_in
from lib.stores.errors import StoreError
from ui.frame import page_frame
from ui.markdown_text import problem_text
from ui.widgets import order_view, page_count

PAGE_SIZE = 10
svc, shopper = page_frame()

st.title("Your orders")
if not shopper.signed_in:
    st.info("Sign in to see your orders.", icon=":material/lock:")
    st.page_link("pages/account.py", label="Sign in", icon=":material/person:")
    st.stop()
if shopper.kind == ShopperKind.DEMO and demo_sign_in(svc.settings).warn:
    st.warning(EXPOSED_WARNING, icon=":material/warning:")

# The cursor each page seen so far starts at: "Older" pushes the next one, "Newer" pops.
trails = st.session_state.setdefault("orders_trails", {})
starts = trails.setdefault(shopper.email, [None])
try:
    total = svc.orders.count_orders(shopper.email)
    page = svc.orders.page_orders(shopper.email, PAGE_SIZE, starts[-1])
except StoreError as exc:
    st.error(f"Your orders cannot be read right now: {problem_text(exc)}. The Setup check says "
             "why.")
    st.page_link("pages/setup.py", label="Setup check", icon=":material/checklist:")
    st.stop()

if not total:
    st.info("You have no orders yet.", icon=":material/receipt_long:")
    st.page_link("pages/shop.py", label="Start shopping", icon=":material/storefront:")
    st.stop()

pages = page_count(total, PAGE_SIZE)
st.caption(f"{total} order{'s' if total != 1 else ''}")
if page.skipped:
    many = len(page.skipped) != 1
    st.caption(f":material/info: {len(page.skipped)} stored order{'s' if many else ''} could "
               f"not be read and {'are' if many else 'is'} not shown here; the app's log names "
               f"{'each one' if many else 'it'}.")
for order in page.orders:
    order_view(svc, order)
if pages > 1 or len(starts) > 1:
    newer, where, older = st.columns([1, 2, 1], vertical_alignment="center")
    newer.button("Newer", key="orders_newer", disabled=len(starts) == 1,
                 icon=":material/arrow_back:", on_click=starts.pop)
    where.caption(f"Page {len(starts)} of {pages}", text_alignment="center")
    older.button("Older", key="orders_older", disabled=page.next_cursor is None,
                 icon=":material/arrow_forward:", on_click=starts.append,
                 args=(page.next_cursor,))

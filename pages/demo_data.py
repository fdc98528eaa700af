"""Demo data (sandbox only): real purchases spread over past weeks, so the dashboard has a story;
making and removing them is for the presenter alone."""
import streamlit as st

from lib.presenter.demo_data import (
    GENERATED_DOMAIN,
    MAX_PURCHASES,
    DemoDataError,
    count_generated,
    create_purchases,
    remove_generated,
)
from lib.shoppers.presenter_access import may_change_demo_data
from lib.stores.errors import StoreError
from ui.frame import presenter_frame
from ui.markdown_text import problem_text

svc, shopper = presenter_frame()

st.title("Demo data")
if svc.settings.stripe_mode != "sandbox":
    st.info("Demo data is made only in the local sandbox: with real Stripe keys every purchase "
            "would be a real test-mode payment.", icon=":material/lock:")
    st.stop()
st.caption(f"Each purchase takes a shopper's path: a Checkout Session from a basket, moved into "
           f"the past by the sandbox's backdating test helper, paid in the sandbox, its webhook "
           f"delivered to the sidecar, which records the order. Generated shoppers have "
           f"addresses at {GENERATED_DOMAIN}; each of their orders is marked demo data by the "
           f"generator, and Remove deletes only orders with that mark.")
try:
    generated = count_generated(svc.orders)
except StoreError as exc:
    st.error(f"The order store cannot be read right now: {problem_text(exc)}")
    st.stop()
st.metric("Generated orders stored", f"{generated:,}")

# The key is checked once per session; it is never kept in the widget between runs.
typed = st.session_state.pop("presenter_key", "")
if may_change_demo_data(svc.settings, shopper, typed):
    st.session_state["demo_presenter"] = True
if not st.session_state.get("demo_presenter"):
    st.info("Making and removing demo data is for the presenter: type the sandbox's API key, "
            "which the sandbox printed where `python run.py` started it (\"Your sandbox secret "
            "key is ...\"), or sign in for real as one of PRESENTER_EMAILS.",
            icon=":material/lock:")
    if typed:
        st.error("That is not the sandbox's key.", icon=":material/key_off:")
    st.text_input("The sandbox's API key", type="password", key="presenter_key")
    st.stop()

count_col, weeks_col = st.columns(2)
count = count_col.number_input("Purchases", min_value=1, max_value=MAX_PURCHASES, value=30,
                               key="demo_count")
weeks = weeks_col.slider("Spread over the past weeks", min_value=1, max_value=12, value=4,
                         key="demo_weeks")
make, remove = st.columns(2)
# Each action leaves its message for the next run and reruns, so the count above is current.
if note := st.session_state.pop("demo_note", None):
    getattr(st, note[0])(note[1])
    st.page_link("pages/sales_dashboard.py", label="Open the Sales dashboard",
                 icon=":material/monitoring:")
if make.button("Create demo purchases", key="demo_create", icon=":material/add_shopping_cart:",
               type="primary"):
    bar = st.progress(0.0, text="Paying in the sandbox...")
    try:
        run = create_purchases(svc.settings, svc.stripe, svc.catalog, svc.orders, int(count),
                               int(weeks), progress=lambda done, total: bar.progress(
                                   done / total, text=f"Paid {done} of {total}"))
    except (DemoDataError, StoreError) as exc:
        st.session_state["demo_note"] = ("error", f"Demo data stopped: {problem_text(exc)}")
    else:
        st.session_state["demo_note"] = (
            ("success", f"{run.paid} purchases paid and recorded as orders.") if run.complete
            else ("warning", f"{run.paid} purchases paid, {run.recorded} recorded so far. The "
                  "rest arrive when the sidecar receives their webhooks: the Webhook inspector "
                  "shows whether it is running."))
    st.rerun()
if remove.button("Remove demo data", key="demo_remove", icon=":material/delete:",
                 disabled=not generated):
    try:
        st.session_state["demo_note"] = ("success", f"Removed {remove_generated(svc.orders)} "
                                         "generated orders; no shopper's own order was touched.")
    except StoreError as exc:
        st.session_state["demo_note"] = ("error", f"Removing stopped: {problem_text(exc)}")
    st.rerun()

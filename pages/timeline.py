"""The last purchase as a timeline: each step with its time and the file of ours that handled it."""
import streamlit as st
import stripe

from lib.presenter.purchase_timeline import build_timeline, last_purchase
from lib.stores.errors import StoreError
from ui.frame import presenter_frame
from ui.markdown_text import problem_text

svc, _ = presenter_frame()


st.title("The last purchase, step by step")
try:
    last = last_purchase(svc.orders)
    if last is None:
        st.info("No purchase yet (generated demo data does not count). Buy something in the "
                "shop and come back.", icon=":material/timeline:")
        st.stop()
    steps = build_timeline(svc.settings, svc.stripe, svc.orders, svc.webhook_log, *last,
                           inbox=svc.inbox)
except (StoreError, stripe.StripeError) as exc:
    st.error(f"The purchase's records cannot be read right now: {problem_text(exc)}")
    st.stop()

email, session_id = last
st.caption("Built from what the sandbox, the webhook sidecar and the order store recorded; "
           "times in UTC, each with how long after the session was created.")
# Shopper data: shown as code, not Markdown; wrapped, so it never scrolls sideways.
st.code(f"{email} · {session_id}", language=None, wrap_lines=True)
start = steps[0].at
st.dataframe([{
    "step": step.name,
    "time (UTC)": step.at.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] if step.at else "not recorded",
    "after": f"+{(step.at - start).total_seconds():.3f} s" if step.at and start else "",
    "handled by": step.handled_by,
    "detail": step.detail} for step in steps], hide_index=True, width="stretch")

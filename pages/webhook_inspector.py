"""Webhook inspector: what the sidecar received, live; in sandbox mode also deliveries, resend and pay."""
from datetime import UTC, datetime

import streamlit as st

from lib.presenter.inbox_view import inbox_columns_for
from lib.presenter.sandbox_admin import (
    SandboxError,
    own_open_sessions,
    pay_session,
    recent_deliveries,
    resend,
)
from ui.frame import presenter_frame
from ui.markdown_text import md_text
from ui.widgets import money

svc, shopper = presenter_frame()
settings = svc.settings
STATES = {"delivered": ":green[delivered]", "pending": ":orange[retrying]",
          "failed": ":red[gave up]", "none": "no endpoint"}


@st.fragment(run_every=2)
def received() -> None:
    """The sidecar's received events, newest first, refreshed every two seconds."""
    events = svc.webhook_log.recent(50)
    if not events:
        st.info("No event has reached the sidecar yet. Pay for a basket and watch it arrive.",
                icon=":material/hourglass_empty:")
        return
    # Outcome first after the type: it is what a learner looks for; the long ids go last.
    now = datetime.now(UTC)
    inbox = inbox_columns_for(svc.inbox, [e.event_id for e in events], now)  # one read for all
    st.dataframe([{
        "time": e.received_at.astimezone().strftime("%H:%M:%S"), "type": e.event_type,
        "outcome": e.outcome, **inbox[e.event_id],
        "signature": e.signature, "HTTP": e.status,
        "latency ms": round(e.latency_ms, 1), "event id": e.event_id,
        "session id": e.session_id, "detail": e.detail} for e in events],
        hide_index=True, width="stretch")


@st.fragment(run_every=2)
def refused() -> None:
    """Deliveries refused unsigned or mis-signed, and signed events of types the shop does not
    handle, counted per reason per minute (never one line each, so neither a flood of junk nor
    an endpoint subscribed to every type can push the real events above out of view)."""
    counts = svc.webhook_log.rejected(10)
    if not counts:
        return
    st.caption("Refused deliveries (bad or missing signature, too large) and signed events of "
               "types the shop does not handle, counted per minute:")
    st.dataframe([{
        "minute": c.minute.astimezone().strftime("%H:%M"), "reason": c.reason, "count": c.count,
        "last": c.last_at.astimezone().strftime("%H:%M:%S"), "last detail": c.last_detail}
        for c in counts], hide_index=True, width="stretch")


def resend_event(event_id: str) -> None:
    """Ask the sandbox to deliver the event again; the table above shows how it was received."""
    try:
        resend(settings, event_id)
        st.session_state["inspector_note"] = f"{event_id} queued again: watch for already_recorded."
    except SandboxError as exc:
        st.session_state["inspector_note"] = f"Resend failed: {exc}"


@st.fragment(run_every=2)
def deliveries() -> None:
    """The sandbox's events with each delivery attempt, and a Resend button per event."""
    if note := st.session_state.pop("inspector_note", None):
        st.toast(note)
    try:
        items = recent_deliveries(settings, 15)
    except SandboxError as exc:
        st.warning(f"{exc}. The Setup check says how to start it.", icon=":material/warning:")
        return
    if not items:
        st.caption("The sandbox has sent no events yet.")
    for item in items:
        with st.container(border=True):
            left, middle, right = st.columns([4, 3, 1], vertical_alignment="center")
            left.markdown(f"**{md_text(item.event_type)}**  \n{md_text(item.event_id)}")
            middle.markdown(f"{STATES.get(item.state, item.state)} after "
                            f"{len(item.attempts)} attempt(s)  \n{md_text(item.session_id)}")
            right.button("Resend", key=f"resend_{item.event_id}", on_click=resend_event,
                         args=(item.event_id,))
            for attempt in item.attempts:
                at = datetime.fromtimestamp(attempt["at"]).strftime("%H:%M:%S")
                answer = attempt["status_code"] or attempt["error"] or "no answer"
                st.caption(f"{at} → {attempt['url']}: {answer} in {attempt['latency_ms']} ms")


@st.fragment
def simulate_payment() -> None:
    """Pay one of this shopper's own open checkout sessions with the 4242 test card."""
    try:
        # Only the shopper's own: the inspector is open to every learner, their checkouts not.
        sessions = {s.id: s for s in own_open_sessions(svc.stripe, shopper.email)}
    except SandboxError as exc:
        st.warning(str(exc), icon=":material/warning:")
        return
    if not sessions:
        st.caption("None of your checkout sessions is waiting for payment: sign in and start "
                   "one from the Basket.")
        return
    chosen = st.selectbox("Open checkout session", list(sessions), key="simulate_session",
                          format_func=lambda sid: f"{sessions[sid].customer_email or 'guest'} · "
                          f"{money(svc, sessions[sid].amount_total, sessions[sid].currency)} · {sid}")
    if st.button("Pay with card 4242 4242 4242 4242", key="simulate_pay", type="primary"):
        try:
            pay_session(settings, chosen)
            st.success("Paid. The sandbox now sends checkout.session.completed to the sidecar.")
        except SandboxError as exc:
            st.error(f"The payment did not go through: {exc}")


st.title("Webhook inspector")
st.caption(f"Events the webhook sidecar at {settings.webhook_url} received, newest first. "
           "Outcomes: order_created, status_updated, already_recorded (a duplicate, ignored), "
           "ignored, rejected (a signed event the shop cannot use), error (Stripe will retry). "
           "Unsigned or mis-signed posts, and event types the shop does not handle, are counted "
           "per minute below, not listed.")
received()
refused()
if settings.stripe_mode == "sandbox":
    # The sandbox's own Dashboard, like Stripe's: its sign-in form asks for the sandbox's key once.
    st.link_button("Open the sandbox's Dashboard: payments, refunds, events",
                   f"{settings.sandbox_url}/dashboard", icon=":material/open_in_new:")
    st.subheader("Sandbox deliveries")
    st.caption("What the sandbox sent, with every attempt. Resend delivers the same event again, "
               "as Stripe does when an endpoint was slow: the sidecar records the order once.")
    deliveries()
    st.subheader("Simulate payment")
    simulate_payment()
else:
    st.info("With real Stripe, deliveries and Resend live in the Dashboard (Developers > "
            "Events), or run `stripe events resend evt_...` with the Stripe CLI.",
            icon=":material/info:")

"""Sign in: Streamlit's OIDC login when configured, otherwise a clearly labelled demo sign-in."""
import streamlit as st

from lib.shoppers.identity import IdentityError
from lib.shoppers.sign_in_policy import EXPOSED_WARNING, demo_sign_in
from ui import session_shopper
from ui.frame import page_frame
from ui.markdown_text import md_text

svc, shopper = page_frame()

if shopper.signed_in:
    st.title("Your account")
    named = f"**{md_text(shopper.name)}** ({md_text(shopper.email)})"
    if shopper.name == shopper.email:  # an identity provider sent no name
        named = f"**{md_text(shopper.email)}**"
    st.markdown(f"Signed in as {named}.")
    st.page_link("pages/orders.py", label="Your orders", icon=":material/receipt_long:")
    # A callback, not st.rerun(): a rerun drops st.logout()'s redirect to the provider when it
    # has not reached the browser yet, and the identity cookie would survive the sign-out.
    st.button("Sign out", key="sign_out", on_click=session_shopper.sign_out, args=(svc,))
    st.stop()

st.title("Sign in")
if svc.settings.oidc_configured:
    st.write("Sign in with your account to check out and see your orders.")
    if st.button("Sign in with your identity provider", type="primary", key="oidc_login"):
        st.login()
    st.stop()

demo = demo_sign_in(svc.settings)
if not demo.allowed:
    st.info(f"Sign-in is not set up: the demo sign-in is off ({demo.reason}). Configure "
            "`[auth]` in `.streamlit/secrets.toml` for real sign-in; with test keys only, "
            "`DEMO_SIGN_IN=1` turns the demo sign-in on.", icon=":material/lock:")
    st.stop()
if demo.warn:
    st.warning(EXPOSED_WARNING, icon=":material/warning:")
st.info("**Demo sign-in.** No password and no account: your name and email only label your "
        "basket and orders on this machine. Configure `[auth]` in `.streamlit/secrets.toml` "
        "for real sign-in.", icon=":material/science:")
with st.form("demo_sign_in"):
    name = st.text_input("Name", key="signin_name")
    email = st.text_input("Email", key="signin_email", placeholder="you@example.com")
    submitted = st.form_submit_button("Sign in (demo)", type="primary")
if submitted:
    try:
        session_shopper.sign_in_demo(svc, name, email)
    except IdentityError as exc:
        st.error(md_text(exc))
    else:
        st.switch_page("pages/basket.py")

"""The browser benchmark's reference: a bare one-page Streamlit app, one button and a toast."""
import streamlit as st

st.title("Bare app")
if st.button("Show a toast", key="go"):
    st.session_state["clicks"] = st.session_state.get("clicks", 0) + 1
    st.toast(f"Clicked {st.session_state['clicks']} times")

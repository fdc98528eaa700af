"""Storefront's entry point: page config and navigation; each page in pages/ draws its own frame."""
import streamlit as st

from ui import presenter_gate
from ui.frame import open_frame
from ui.navigation import navigation_pages

st.set_page_config(page_title="Storefront", page_icon=":material/storefront:", layout="wide")
# Who is shopping decides whether the Presenter pages are listed; the gate decides without the
# services when they cannot be built, and stays closed when the settings do not load.
svc, shopper = open_frame(allow_broken=True)
presenter = not presenter_gate.refusal(svc, shopper)
# The header's menus: Learn (and Presenter); the shop's pages are in the storefront bar.
st.navigation(navigation_pages(presenter), position="top").run()

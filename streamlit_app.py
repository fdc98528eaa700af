"""Storefront's entry point: page config and navigation; each page in pages/ draws its own frame."""
import streamlit as st

from lib.shoppers.presenter_access import presenter_refusal
from ui.frame import open_frame
from ui.navigation import navigation_pages

st.set_page_config(page_title="Storefront", page_icon=":material/storefront:", layout="wide")
# Who is shopping decides whether the Presenter pages are listed; with settings the shop cannot
# start on, only the Setup check can help, and it is listed.
svc, shopper = open_frame(allow_broken=True)
presenter = svc is None or not presenter_refusal(svc.settings, shopper)
# The header's menus: Learn (and Presenter); the shop's pages are in the storefront bar.
st.navigation(navigation_pages(presenter), position="top").run()

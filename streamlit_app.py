"""Storefront's entry point: page config and navigation; each page in pages/ draws its own frame."""
import streamlit as st

from ui.frame import PAGES

st.set_page_config(page_title="Storefront", page_icon=":material/storefront:", layout="wide")
pages = [st.Page(page.path, title=page.title, icon=page.icon, url_path=page.url_path,
                 default=page.url_path == "shop") for page in PAGES]
# The menu is drawn by ui.frame (it also shows the basket count and who is signed in).
st.navigation(pages, position="hidden").run()

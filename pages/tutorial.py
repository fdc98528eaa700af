"""The tutorial, mapped: docs/tutorial.md, each of the tutorial's steps and where it lives here."""
import streamlit as st

from lib.config.settings import ROOT
from ui.frame import page_frame

page_frame()
# Our own document, written for this page and the repository alike: trusted Markdown.
st.markdown((ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8"))

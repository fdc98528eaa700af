"""A page for the browser test of md_text: each hostile text escaped, and one left raw as a
control that proves the test can see markup when there is some."""
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # streamlit run puts only this dir

from tests.markdown_corpus import HOSTILE  # noqa: E402
from ui.markdown_text import md_text  # noqa: E402

for number, text in enumerate(HOSTILE):
    with st.container(key=f"hostile_{number}"):
        st.markdown(md_text(text))
with st.container(key="raw_control"):
    st.markdown(f"{HOSTILE[0]} {HOSTILE[12]} :red[red]")

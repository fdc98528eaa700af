"""`streamlit run bench/floor/server.py`: the floor app served as the shop is (app_server.py): an
st.App with Storefront's response headers, the repository's .streamlit/config.toml (the server
runs from the repository's root) and the static folder, which Streamlit looks for beside this
file: bench/floor/static links to the repository's static/."""
import streamlit as st
from starlette.middleware import Middleware

from ui.response_headers import FrameAncestors

app = st.App("app.py", middleware=[Middleware(FrameAncestors)])

"""`streamlit run app_server.py`: the shop (streamlit_app.py, pages and all) served by Streamlit's
own server with Storefront's response headers (ui.response_headers); run.py starts this one."""
import streamlit as st
from starlette.middleware import Middleware

from ui.response_headers import FrameAncestors

app = st.App("streamlit_app.py", middleware=[Middleware(FrameAncestors)])

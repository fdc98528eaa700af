"""Storefront's logic: plain Python, no Streamlit or Flask."""

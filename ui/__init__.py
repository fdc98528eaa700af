"""Streamlit-side helpers shared by the pages: building services once, the current shopper."""

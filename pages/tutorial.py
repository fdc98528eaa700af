"""The tutorial, mapped: docs/tutorial.md step by step, each step with the code that does it."""
import streamlit as st

from lib.learn.tutorial_map import read_tutorial, step_code
from ui.frame import page_frame

page_frame()
tutorial = read_tutorial()
# Our own document, written for this page and the repository alike: trusted Markdown.
st.markdown(tutorial.intro)
for step in tutorial.steps:
    st.markdown(step.markdown)
    for ref, definition in step_code(step):
        if definition is None:  # tests/test_docs_references.py fails on this too
            st.warning(f"`{ref.path}` no longer defines `{ref.name}`.", icon=":material/warning:")
            continue
        with st.expander(f"Code: `{ref.name}` in `{ref.path}`, lines {definition.first_line}"
                         f"–{definition.last_line}", icon=":material/code:"):
            st.code(definition.source, language="python")
st.markdown(tutorial.outro)

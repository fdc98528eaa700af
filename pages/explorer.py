"""Data explorer: every stored order at its path, as the stored document (the tutorial's step 19)."""
import streamlit as st

from lib.config.redaction import store_name
from lib.stores.errors import StoreError
from ui.frame import presenter_frame
from ui.markdown_text import problem_text

LIMIT = 50
svc, _ = presenter_frame()

st.title("Data explorer")
if svc.orders.backend == "firestore":
    st.caption(f"Orders are documents at users/{{email}}/orders/{{session_id}} in "
               f"the {store_name(svc.orders)}: what the tutorial's last step looks at in the Firebase "
               "console. Each is shown as stored; dates as ISO 8601 text.")
else:
    st.caption(f"Orders are rows of the table orders in the {store_name(svc.orders)} (with "
               "STORE=firestore they would be documents at "
               "users/{email}/orders/{session_id}). Each row is shown as stored; its JSON columns "
               "(items, images, shipping) parsed.")
search = st.text_input("Find by email or session id", key="explorer_search",
                       placeholder="shopper@example.com or cs_test_...")
try:
    found = svc.orders.stored_orders(search, LIMIT)
except StoreError as exc:
    st.error(f"The stored orders cannot be read right now: {problem_text(exc)}")
    st.stop()

if not found:
    st.info("No stored order matches." if search.strip() else "No order is stored yet.",
            icon=":material/search_off:")
    st.stop()
st.caption(f"{len(found)} order{'s' if len(found) != 1 else ''}, newest first"
           + (f" (the newest {LIMIT})" if len(found) == LIMIT else ""))
for stored in found:
    with st.container(border=True):
        # st.code, not Markdown: the path holds the shopper's email, which is data. Wrapped, so
        # a long path never makes a box that scrolls sideways (and that a keyboard cannot reach).
        st.code(stored.location, language=None, wrap_lines=True)
        st.json(stored.document, expanded=len(found) == 1)

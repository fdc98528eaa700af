"""Shop: search, filter and sort the catalog, open a product, add it to the basket."""
import streamlit as st

from lib.basket import BasketError, add_item
from lib.catalog import SORTS
from lib.markdown_text import md_text
from ui.frame import page_frame
from ui.top_bar import take_wanted_search
from ui.widgets import money, picture, product_card, stars

PAGE_SIZE = 12
svc, shopper = page_frame(search_here=True)
catalog = svc.catalog


def add_to_basket(product_id: str, quantity: int) -> None:
    """Add to the persisted basket and say so."""
    try:
        svc.baskets.update(shopper.key, lambda lines: add_item(lines, catalog, product_id,
                                                               quantity))
        st.toast(f"Added {quantity} × {md_text(catalog.get(product_id).title)} to your basket",
                 icon=":material/shopping_basket:")
    except BasketError as exc:
        st.toast(md_text(exc), icon=":material/error:")


def add_detail(product_id: str) -> None:
    """Add the quantity in the detail view's box, read at click time: a quantity typed just
    before the click arrives with it, after this run bound the button's args."""
    add_to_basket(product_id, int(st.session_state["detail_qty"]))


def show_details(product_id: str) -> None:
    """Open the detail view for a product."""
    st.session_state["detail"] = product_id


detail = catalog.get(st.session_state.get("detail") or st.query_params.get("product", ""))
if detail is not None:
    # Streamlit forgets a widget's value after a run that does not draw it: keep the search,
    # category, sort and page, so "Back to the shop" returns to the same list and boxes.
    for kept in ("search", "category", "sort", "shop_page"):
        if kept in st.session_state:
            st.session_state[kept] = st.session_state[kept]
    if st.button("← Back to the shop", key="back"):
        st.session_state["detail"] = None
        st.query_params.pop("product", None)
        st.rerun()
    image, about = st.columns([2, 3], gap="large")
    image.image(picture(catalog, detail), width="stretch", alt=detail.title)
    with about:
        st.title(md_text(detail.title))
        st.caption(f"{md_text(detail.category)} · {stars(detail.rating)} {detail.rating:.1f} / 5")
        st.markdown(md_text(detail.description))
        st.header(money(svc, detail.price))
        st.number_input("Quantity", min_value=1, max_value=10, value=1, step=1, key="detail_qty")
        st.button("Add to basket", key="detail_add", type="primary", on_click=add_detail,
                  args=(detail.id,))
    st.stop()

st.title("Shop")
if svc.settings.stripe_mode == "sandbox":
    st.caption("A demo storefront: payments go to a local Stripe sandbox and no money moves.")
search, category, order = st.columns([3, 2, 2])
take_wanted_search()
text = search.text_input("Search", placeholder="Search products", key="search")
chosen = category.selectbox("Category", ["All", *catalog.categories], key="category")
sort = order.selectbox("Sort by", list(SORTS), key="sort")
found = catalog.search(text, chosen, sort)

if not found:
    st.info(f"No products match “{md_text(text)}”"
            + (f" in {md_text(chosen)}" if chosen != "All" else "")
            + ". Try another word or category.", icon=":material/search_off:")
    st.stop()

pages = max(1, -(-len(found) // PAGE_SIZE))
if st.session_state.get("shop_page", 1) > pages:
    st.session_state["shop_page"] = 1  # a narrower search has fewer pages
page = st.session_state.get("shop_page", 1)
shown = found[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
for start in range(0, len(shown), 4):
    for column, product in zip(st.columns(4), shown[start:start + 4], strict=False):
        with column:
            product_card(svc, product, add_to_basket, show_details)

count, pager = st.columns([4, 1], vertical_alignment="bottom")
count.caption(f"{len(found)} product{'s' if len(found) != 1 else ''} · page {page} of {pages}")
if pages > 1:
    pager.number_input("Page", min_value=1, max_value=pages, step=1, key="shop_page")

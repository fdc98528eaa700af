"""Shop: search, filter and sort the catalog, open a product, add it to the basket."""
import streamlit as st

from lib.shop.basket import BasketError, add_item
from lib.shop.catalog import SORTS
from ui import session_shopper
from ui.frame import draw_sidebar, open_frame
from ui.markdown_text import md_text
from ui.top_bar import take_wanted_search
from ui.widgets import money, page_count, picture, product_card, stars

PAGE_SIZE = 12
# The count the bar shows, kept up to date by each add for the cards' fragments (add_button),
# and what the last add has to say, shown by the run that follows it (show_notice).
BASKET_COUNT, NOTICE = "shop_basket_count", "shop_notice"
STALE = "shop_shopper_stale"  # set by an add refused for a shopper signed out elsewhere

svc, shopper = open_frame()
basket_link = draw_sidebar(svc, shopper, search_here=True)
catalog = svc.catalog
st.session_state[BASKET_COUNT] = basket_link.count


def add_to_basket(product_id: str, quantity: int) -> None:
    """Add to the persisted basket and leave what to say for the run that follows (a callback
    of a fragment's widget must not draw: Streamlit would put it at the top of the page)."""
    if not session_shopper.acting_for(svc, shopper):
        st.session_state[NOTICE] = (session_shopper.SIGNED_OUT, ":material/logout:")
        st.session_state[STALE] = True
        return
    try:
        basket = svc.baskets.update(shopper.key, lambda lines: add_item(lines, catalog,
                                                                        product_id, quantity))
        st.session_state[BASKET_COUNT] = basket.count
        st.session_state[NOTICE] = (f"Added {quantity} × {md_text(catalog.get(product_id).title)}"
                                    " to your basket", ":material/shopping_basket:")
    except BasketError as exc:
        st.session_state[NOTICE] = (md_text(exc), ":material/error:")


def show_notice() -> None:
    """The last add's toast, once."""
    if notice := st.session_state.pop(NOTICE, None):
        st.toast(notice[0], icon=notice[1])


def add_detail(product_id: str) -> None:
    """Add the quantity in the detail view's box, read at click time: a quantity typed just
    before the click arrives with it, after this run bound the button's args."""
    add_to_basket(product_id, int(st.session_state["detail_qty"]))


@st.fragment
def add_button(product_id: str) -> None:
    """A card's Add to basket button and the bar's count: a click reruns only this fragment, so
    the toast and the new count show without the whole page being drawn and sent again."""
    if st.session_state.pop(STALE, False):
        st.rerun()  # the whole page, whose run takes on a guest in place of the signed-out one
    show_notice()
    st.button("Add to basket", key=f"add_{product_id}", type="primary", on_click=add_to_basket,
              args=(product_id, 1), width="stretch", icon=":material/add_shopping_cart:")
    # Every card's fragment draws the link on a full run too: a fragment may only redraw an
    # outside element it drew in the last full run. The slot keeps the last one drawn.
    basket_link.show(st.session_state[BASKET_COUNT])


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
    st.session_state.pop(STALE, None)  # this run, a full one, took on the guest already
    show_notice()
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

pages = page_count(len(found), PAGE_SIZE)
if st.session_state.get("shop_page", 1) > pages:
    st.session_state["shop_page"] = 1  # a narrower search has fewer pages
page = st.session_state.get("shop_page", 1)
shown = found[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
for start in range(0, len(shown), 4):
    for column, product in zip(st.columns(4), shown[start:start + 4], strict=False):
        with column:
            product_card(svc, product, add_button, show_details)

count, pager = st.columns([4, 1], vertical_alignment="bottom")
count.caption(f"{len(found)} product{'s' if len(found) != 1 else ''} · page {page} of {pages}")
if pages > 1:
    pager.number_input("Page", min_value=1, max_value=pages, step=1, key="shop_page")

"""The browser benchmark's floor: the shop's first screen drawn with nothing behind it.

The same element types in the same places as a guest's first load of the Shop page (the
header's menus, the storefront bar, the sidebar, the search box and two filters, twelve cards
with their Markdown pictures from the static folder, the pager, the storefront style and one
script in st.html), and no services, store, shopper, cookie key or fragments: what any app
drawing this screen with Streamlit waits for."""
import streamlit as st

from lib.config.settings import ROOT
from lib.shop.catalog import SORTS, STATIC_IMAGES_PATH, load_catalog
from lib.shop.money import format_money
from ui.frame import PAGES, STYLE
from ui.navigation import navigation_pages
from ui.widgets import page_count, stars

PAGE_SIZE = 12


@st.cache_resource
def _catalog():
    """The shipped catalog in rupees, as the benchmark's shop sells it."""
    return load_catalog(ROOT / "catalog" / "products.json", "INR")


def _elsewhere() -> None:
    """Every other page: the benchmark opens none of them."""
    st.title("Not part of the floor")


def _card(product) -> None:
    """One card as the shop draws it: picture and name in one Markdown block, then the rest."""
    with st.container(border=True):
        st.markdown(f"![{product.title}]({STATIC_IMAGES_PATH}{product.image})\n\n"
                    f"**{product.title}**")
        st.caption(f"{product.category} · {stars(product.rating)} {product.rating:.1f}")
        st.markdown(f"#### {format_money(product.price, 'INR')}")
        st.button("Add to basket", key=f"add_{product.id}", type="primary", width="stretch",
                  icon=":material/add_shopping_cart:")
        st.button("Details", key=f"details_{product.id}", type="tertiary")


def _shop() -> None:
    """The Shop page's first screen: bar, sidebar, search and filters, grid, pager."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small",
                      key="top_bar"):
        st.page_link(pages["Shop"], label="**Storefront**", icon=":material/storefront:")
        st.space("stretch")
        st.page_link(pages["Sign in"], label="Sign in", icon=":material/person:")
        st.empty().page_link(pages["Basket"], label="Basket (0)",
                             icon=":material/shopping_basket:")
    with st.sidebar:
        st.markdown("### :material/storefront: Storefront")
        for spec in PAGES:
            if spec.section == "Store":
                st.page_link(pages[spec.title], label=spec.title, icon=spec.icon)
        st.divider()
        st.markdown("Browsing as a **guest**")
        st.caption("Payments: local sandbox · orders: sqlite")
    catalog = _catalog()
    st.title("Shop")
    st.caption("A demo storefront: payments go to a local Stripe sandbox and no money moves.")
    search, category, order = st.columns([3, 2, 2])
    search.text_input("Search", placeholder="Search products", key="search")
    category.selectbox("Category", ["All", *catalog.categories], key="category")
    order.selectbox("Sort by", list(SORTS), key="sort")
    shown = catalog.products[:PAGE_SIZE]
    for start in range(0, len(shown), 4):
        for column, product in zip(st.columns(4), shown[start:start + 4], strict=False):
            with column:
                _card(product)
    pages_in_all = page_count(len(catalog.products), PAGE_SIZE)
    count, pager = st.columns([4, 1], vertical_alignment="bottom")
    count.caption(f"{len(catalog.products)} products · page 1 of {pages_in_all}")
    pager.number_input("Page", min_value=1, max_value=pages_in_all, step=1, key="shop_page")


st.set_page_config(page_title="Storefront", page_icon=":material/storefront:", layout="wide")
st.html(STYLE)
# The shop's first run writes its guest cookie with a script; this one writes a cookie too.
st.html("<script>document.cookie = 'storefront_floor=1; path=/; SameSite=Lax';</script>",
        unsafe_allow_javascript=True)
# The header's menus as a guest of the sandbox demo sees them (presenter pages open to all).
sections = navigation_pages(True, lambda spec: _shop if spec.url_path == "shop" else _elsewhere)
pages = {page.title: page for section in sections.values() for page in section}
st.navigation(sections, position="top").run()

"""The storefront's top bar: brand, search, account and the basket with its count, on every shop
page and on a phone, where the sidebar starts collapsed."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lib.shoppers.identity import Shopper

# A search typed in the bar of another page, handed to the Shop page's own search box.
WANTED_SEARCH = "wanted_search"
_GO_SHOP = "top_bar_go_shop"


def _search_elsewhere() -> None:
    """Keep what was typed for the Shop page and empty the bar (a callback may still write it)."""
    text = st.session_state.get("bar_search", "").strip()
    st.session_state["bar_search"] = ""
    if text:
        st.session_state[WANTED_SEARCH] = text
        st.session_state[_GO_SHOP] = True


def take_wanted_search() -> None:
    """Put a search typed in another page's bar into the Shop page's search box (call it before
    the box is drawn)."""
    if WANTED_SEARCH in st.session_state:
        st.session_state["search"] = st.session_state.pop(WANTED_SEARCH)


@dataclass(frozen=True)
class BasketLink:
    """The bar's Basket (n) link: the slot it is drawn in and the count it showed first."""

    slot: DeltaGenerator
    count: int

    def show(self, count: int) -> None:
        """Draw the link with this count; from a fragment, it is redrawn in place on each of the
        fragment's reruns, so an "Add to basket" need not rerun the page to change it."""
        self.slot.page_link("pages/basket.py", label=f"Basket ({count})",
                            icon=":material/shopping_basket:")


def draw_top_bar(shopper: Shopper, count: int, on_shop: bool) -> BasketLink:
    """The bar at the top of the page; on the Shop page its search box is the page's own."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small",
                      key="top_bar"):
        st.page_link("pages/shop.py", label="**Storefront**", icon=":material/storefront:")
        if not on_shop:
            st.text_input("Search products", placeholder="Search products", key="bar_search",
                          label_visibility="collapsed", on_change=_search_elsewhere,
                          width=220)
        st.space("stretch")
        st.page_link("pages/account.py", label="Account" if shopper.signed_in else "Sign in",
                     icon=":material/person:")
        basket = BasketLink(st.empty(), count)
        basket.show(count)
    if st.session_state.pop(_GO_SHOP, False):
        st.switch_page("pages/shop.py")
    return basket

"""Streamlit's top navigation: the Learn and Presenter menus; the shop's own pages are reached
from the storefront bar, so they are registered but not listed there."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui.frame import PAGES, PageSpec

# Sections shown as menus in the app's header, in this order.
MENU_SECTIONS = ("Learn", "Presenter")


def listed(page: PageSpec, presenter: bool) -> bool:
    """Whether the header's menus list this page (presenter: this shopper may open presenter
    pages); every page stays reachable by its URL and says itself who may see it."""
    if page.section not in MENU_SECTIONS:
        return False
    return presenter or not page.presenter


def navigation_pages(presenter: bool, source: Callable[[PageSpec], object] | None = None
                     ) -> dict[str, list[st.Page]]:
    """st.navigation's sections: "" holds the pages not listed (hidden, so no empty menu is
    drawn), then one list per menu section with at least one page listed. Each page runs its
    file, or what source(spec) gives in its place (a file or a function)."""
    sections: dict[str, list[st.Page]] = {"": []}
    for page in PAGES:
        shown = listed(page, presenter)
        sections.setdefault(page.section if shown else "", []).append(st.Page(
            source(page) if source else page.path, title=page.title, icon=page.icon,
            url_path=page.url_path, default=page.url_path == "shop",
            visibility="visible" if shown else "hidden"))
    return sections

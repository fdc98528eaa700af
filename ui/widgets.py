"""Small Streamlit pieces used by several pages: the sidebar, product cards, money text."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import streamlit as st

from lib.config.settings import ROOT
from lib.orders.model import OrderWriter
from lib.services import Services
from lib.shop.catalog import STATIC_IMAGES_PATH, Catalog, Product
from lib.shop.money import format_money
from ui.markdown_text import md_text

SERVED_IMAGES = ROOT / "static" / "products"  # the folder behind STATIC_IMAGES_PATH


def money(svc: Services, minor: int, currency: str | None = None) -> str:
    """Minor units as text in the store's locale."""
    return format_money(minor, currency or svc.settings.store_currency)


@lru_cache(maxsize=8)
def _served(images_dir: Path) -> bool:
    """Whether the app's static folder serves this images folder."""
    return images_dir.resolve() == SERVED_IMAGES.resolve()


def served_url(catalog: Catalog, product: Product) -> str | None:
    """The product picture's stable static-folder URL, which the browser caches, when the app
    serves the catalog's pictures (None for a catalog of one's own elsewhere)."""
    if _served(catalog.images_dir):
        return STATIC_IMAGES_PATH + quote(product.image)
    return None


def picture(catalog: Catalog, product: Product) -> str:
    """What st.image shows for a product: its static-folder URL when served, each run sending a
    short string; otherwise the file, which Streamlit inlines into every run's messages."""
    return served_url(catalog, product) or str(catalog.image_path(product))


def page_count(total: int, page_size: int) -> int:
    """How many pages total items fill, page_size to a page (at least one, even when empty)."""
    return max(1, -(-total // page_size))


def stars(rating: float) -> str:
    """A rating as five stars, rounded to the nearest whole star."""
    full = min(5, max(0, int(rating + 0.5)))
    return "★" * full + "☆" * (5 - full)


def product_card(svc: Services, product: Product, add_button, on_details) -> None:
    """One product in the grid: image, title, rating, price, the add button (add_button draws
    it, given the product's id) and details."""
    title = f"**{md_text(product.title)}**"
    with st.container(border=True):
        url = served_url(svc.catalog, product)
        if url:
            # One Markdown element for picture and name: Markdown's code is in Streamlit's main
            # bundle, so the browser asks for the picture at once, where st.image first waits
            # for a script of its own, fetched with the page's other widget scripts.
            st.markdown(f"![{md_text(product.title)}]({url})\n\n{title}")
        else:
            st.image(picture(svc.catalog, product), width="stretch", alt=product.title)
            st.markdown(title)
        st.caption(f"{md_text(product.category)} · {stars(product.rating)} {product.rating:.1f}")
        st.markdown(f"#### {money(svc, product.price)}")
        add_button(product.id)
        st.button("Details", key=f"details_{product.id}", on_click=on_details,
                  args=(product.id,), type="tertiary")


STATUS_LABELS = {
    "paid": ":green-badge[:material/check: Paid]",
    "awaiting_payment": ":orange-badge[:material/schedule: Awaiting payment]",
    "payment_failed": ":red-badge[:material/close: Payment failed]",
    "partially_refunded": ":blue-badge[:material/undo: Partially refunded]",
    "refunded": ":gray-badge[:material/undo: Refunded]",
}


def tutorial_pictures(order) -> None:
    """The pictures the tutorial's webhook stored with an order, in one row."""
    urls = [url for url in order.images if url.startswith(("https://", "http://"))]
    for column, url in zip(st.columns(max(6, len(urls))), urls, strict=False):
        column.image(url, width=64, alt="A product of this order")


def order_view(svc: Services, order) -> None:
    """One order: date, status, items with images, shipping and totals."""
    from babel.dates import format_datetime

    with st.container(border=True):
        head, badge = st.columns([4, 2])
        when = format_datetime(order.timestamp, "medium", locale=svc.settings.locale)
        head.markdown(f"**Order {md_text(order.session_id[-10:])}** · {when}")
        badge.markdown(STATUS_LABELS.get(order.status, order.status), text_alignment="right")
        if order.written_by == OrderWriter.TUTORIAL:
            st.caption(":material/history_edu: Recorded by the tutorial's webhook code: the "
                       "amounts and pictures it kept, no line items.")
            tutorial_pictures(order)
        for item in order.items:
            product = svc.catalog.get(item.product_id)
            thumb, name, total = st.columns([1, 5, 2], vertical_alignment="center")
            if product is not None:
                thumb.image(picture(svc.catalog, product), width=64, alt=product.title)
            name.markdown(f"{md_text(item.name)}  \n{item.quantity} × "
                          f"{format_money(item.unit_amount, order.currency)}")
            total.markdown(format_money(item.amount_total, order.currency), text_alignment="right")
        ship = order.shipping or {}
        address = ship.get("address") or {}
        where = ", ".join(md_text(address[k]) for k in ("line1", "city", "postal_code", "country")
                          if address.get(k))
        if order.written_by != OrderWriter.TUTORIAL:  # the tutorial kept no shipping details
            st.caption(f"Shipping: {md_text(ship.get('rate') or 'standard')}"
                       + (f" to {md_text(ship.get('name') or '')}, {where}" if where else ""))
        discount = ""
        if order.amount_discount:
            code = (order.discount or {}).get("code")
            discount = (f"discount{' ' + md_text(code) if code else ''} "
                        f"−{format_money(order.amount_discount, order.currency)} · ")
        st.markdown(
            f"Subtotal {format_money(order.amount_subtotal, order.currency)} · {discount}shipping "
            f"{format_money(order.amount_shipping, order.currency)} · "
            f"**Total {format_money(order.amount, order.currency)}**", text_alignment="right")
        if order.amount_refunded:
            st.markdown(f"Refunded {format_money(order.amount_refunded, order.currency)}",
                        text_alignment="right")

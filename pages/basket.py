"""Basket: change quantities, see the subtotal, and go to Stripe Checkout when signed in."""
import streamlit as st

from lib.checkout.session import CheckoutError, start_checkout
from lib.checkout.shipping import plan_for
from lib.shop.basket import (
    MAX_QUANTITY,
    BasketError,
    QuantityEdit,
    priced_lines,
    remove_item,
    subtotal,
)
from lib.shop.money import format_money
from ui import session_shopper
from ui.frame import page_frame
from ui.markdown_text import md_text
from ui.request import shopper_return_origin
from ui.widgets import money, picture

svc, shopper = page_frame()
catalog = svc.catalog


def signed_out_elsewhere() -> bool:
    """True, with the reason to show, if a callback must not edit this shopper's basket."""
    if session_shopper.acting_for(svc, shopper):
        return False
    st.session_state["basket_error"] = session_shopper.SIGNED_OUT
    return True


def change_quantity(product_id: str) -> None:
    """Save a line's new quantity by the stale-tab rule (lib.shop.basket.QuantityEdit)."""
    if signed_out_elsewhere():
        return
    wanted = int(st.session_state[f"qty_{product_id}"])
    edit = QuantityEdit(product_id, st.session_state.get(f"shown_qty_{product_id}", wanted),
                        wanted)
    try:
        svc.baskets.update(shopper.key, lambda lines: edit.apply(lines, catalog))
    except BasketError as exc:
        st.session_state["basket_error"] = str(exc)
        return
    if notice := edit.conflict():
        st.session_state["basket_notice"] = notice


def remove(product_id: str) -> None:
    """Take a line out of the basket."""
    if signed_out_elsewhere():
        return
    svc.baskets.update(shopper.key, lambda lines: remove_item(lines, product_id))
    st.toast(f"Removed {md_text(catalog.get(product_id).title)}", icon=":material/delete:")


st.title("Your basket")
basket = svc.baskets.load(shopper.key)
lines = priced_lines(basket, catalog)
if error := st.session_state.pop("basket_error", None):
    st.error(md_text(error))
if notice := st.session_state.pop("basket_notice", None):
    st.info(notice, icon=":material/sync:")
if not lines:
    st.info("Your basket is empty.", icon=":material/shopping_basket:")
    st.page_link("pages/shop.py", label="Continue shopping", icon=":material/storefront:")
    st.stop()

for line in lines:
    product = line.product
    # Show the stored quantity, so a change made in another tab is not overwritten.
    st.session_state[f"qty_{product.id}"] = line.quantity
    st.session_state[f"shown_qty_{product.id}"] = line.quantity  # what a change is measured from
    with st.container(border=True):
        # The last column fits "Remove" with its icon on a 1280-pixel window.
        image, about, qty, total, drop = st.columns([1, 4, 2, 1.5, 1.5],
                                                      vertical_alignment="center")
        image.image(picture(catalog, product), width=96, alt=product.title)
        about.markdown(f"**{md_text(product.title)}**  \n{money(svc, product.price)} each")
        qty.number_input("Quantity", min_value=1, max_value=MAX_QUANTITY, step=1,
                         key=f"qty_{product.id}", on_change=change_quantity, args=(product.id,))
        total.markdown(f"**{money(svc, line.total)}**")
        drop.button("Remove", key=f"remove_{product.id}", on_click=remove, args=(product.id,),
                    icon=":material/delete:")

amount = subtotal(basket, catalog)
plan = plan_for(catalog.currency)
items = "1 item" if basket.count == 1 else f"{basket.count} items"
st.subheader(f"Subtotal ({items}): {money(svc, amount)}")
st.caption(f"Standard shipping is free over {format_money(plan.free_over, catalog.currency)}; "
           "you choose shipping on the checkout page.")

if not shopper.signed_in:
    st.warning("Sign in to checkout.", icon=":material/lock:")
    st.page_link("pages/account.py", label="Sign in", icon=":material/person:")
    st.stop()

if st.button("Proceed to checkout", type="primary", key="checkout", icon=":material/lock:"):
    try:
        session = start_checkout(svc.stripe, basket, catalog, shopper, svc.settings,
                                 return_to=shopper_return_origin(svc.settings))
        st.session_state["checkout_started"] = {"version": basket.version, "url": session.url}
    except CheckoutError as exc:
        st.error(md_text(exc), icon=":material/error:")

started = st.session_state.get("checkout_started")
if started and started["version"] == basket.version:
    st.success("Your checkout is ready. Pay on Stripe's secure page; you will come back here.")
    st.link_button("Pay with Stripe Checkout", started["url"], type="primary",
                   icon=":material/credit_card:")

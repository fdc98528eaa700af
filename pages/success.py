"""Success: where Stripe sends the shopper back; shows what lib.checkout.success found."""
import streamlit as st

from lib.checkout.success import ReturnKind, return_from_checkout
from ui.frame import draw_sidebar, open_frame
from ui.markdown_text import md_text
from ui.widgets import order_view

svc, shopper = open_frame()
result = return_from_checkout(st.query_params.get("session_id", ""), shopper, svc.stripe,
                              svc.orders, svc.baskets)
# Drawn after the return, so the basket count already leaves out what was just paid for.
draw_sidebar(svc, shopper)

FAILURES = {
    ReturnKind.NO_SESSION_ID: "This page needs a checkout session id from Stripe. Start from "
                              "your basket.",
    ReturnKind.UNKNOWN_SESSION: "We could not find that checkout. If you paid, your order will "
                                "appear under Orders.",
    ReturnKind.NOT_SAVED: "Your payment went through, but the order could not be saved just "
                          "yet. It will be recorded when Stripe's notification arrives; check "
                          "Orders in a minute.",
    ReturnKind.UNCONFIRMED: "We could not confirm your payment with Stripe right now "
                            f"({md_text(result.detail)}).",
    ReturnKind.NOT_COMPLETE: "This checkout is not complete"
                             + (": it expired." if result.detail == "expired" else ".")
                             + " Your basket still has your items.",
    ReturnKind.OTHER_ACCOUNT: "This order belongs to another account. Sign in as the shopper "
                              "who paid to see it.",
}

if result.kind in FAILURES:
    st.error(FAILURES[result.kind], icon=":material/error:")
    st.page_link("pages/basket.py", label="Back to your basket", icon=":material/shopping_basket:")
    st.stop()

order = result.order
if result.kind == ReturnKind.AWAITING:
    st.title("Thank you! Your order is placed.")
    st.warning("Awaiting payment: your bank transfer has not arrived yet. The order will show "
               "as paid under Orders once it does.", icon=":material/schedule:")
elif result.kind == ReturnKind.FAILED:
    st.title("Your payment did not go through")
    st.error("The bank transfer failed. Nothing was charged; you can order again.")
else:
    st.title("Thank you! Your order is confirmed.")
    st.success(f"A confirmation goes to {md_text(order.email)}.", icon=":material/check_circle:")
order_view(svc, order)
st.page_link("pages/orders.py", label="See all your orders", icon=":material/receipt_long:")
st.page_link("pages/shop.py", label="Continue shopping", icon=":material/storefront:")

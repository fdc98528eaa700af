"""Success: where Stripe sends the shopper back; confirms the payment with Stripe and shows it."""
import streamlit as st

from lib.fulfilment import PaymentNotConfirmed, UnknownSession, confirm_payment
from lib.stores.base import StoreError
from ui.frame import page_frame
from ui.widgets import order_view

svc, shopper = page_frame()
session_id = st.query_params.get("session_id", "")


def fail(message: str) -> None:
    """Say what went wrong, offer the way back, and stop the page."""
    st.error(message, icon=":material/error:")
    st.page_link("pages/basket.py", label="Back to your basket", icon=":material/shopping_basket:")
    st.stop()


if not session_id.startswith("cs_") or len(session_id) > 255:
    fail("This page needs a checkout session id from Stripe. Start from your basket.")
try:
    # The query string is only a hint: the order comes from what Stripe itself says.
    outcome = confirm_payment(session_id, svc.stripe, svc.orders)
except UnknownSession:
    fail("We could not find that checkout. If you paid, your order will appear under Orders.")
except StoreError:
    fail("Your payment went through, but the order could not be saved just yet. It will be "
         "recorded when Stripe's notification arrives; check Orders in a minute.")
except PaymentNotConfirmed as exc:
    fail(f"We could not confirm your payment with Stripe right now ({exc}).")

if outcome.kind == "not_complete":
    fail("This checkout is not complete"
         + (": it expired." if outcome.session_status == "expired" else ".")
         + " Your basket still has your items.")
order = outcome.order
if not shopper.signed_in or shopper.email != order.email:
    fail("This order belongs to another account. Sign in as the shopper who paid to see it.")

# Empty the basket only if it is exactly the one that was paid for; a basket changed since
# checkout started keeps its new contents.
basket = svc.baskets.load(shopper.key)
if str(basket.version) == (outcome.metadata or {}).get("basket_version") and basket.lines:
    svc.baskets.clear(shopper.key)
    st.rerun()  # the sidebar, drawn before, still counts the paid items

if order.status == "awaiting_payment":
    st.title("Thank you! Your order is placed.")
    st.warning("Awaiting payment: your bank transfer has not arrived yet. The order will show "
               "as paid under Orders once it does.", icon=":material/schedule:")
elif order.status == "payment_failed":
    st.title("Your payment did not go through")
    st.error("The bank transfer failed. Nothing was charged; you can order again.")
else:
    st.title("Thank you! Your order is confirmed.")
    st.success(f"A confirmation goes to {order.email}.", icon=":material/check_circle:")
order_view(svc, order)
st.page_link("pages/orders.py", label="See all your orders", icon=":material/receipt_long:")
st.page_link("pages/shop.py", label="Continue shopping", icon=":material/storefront:")

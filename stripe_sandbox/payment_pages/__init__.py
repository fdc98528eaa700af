"""The payment page API behind a Checkout Session, the one `stripe trigger checkout.session.completed` pays
through: read the page, then confirm it with a PaymentMethod, on the hosted page's own payment path."""

"""The tutorial's checkout steps: the Checkout Session, the return from Stripe, fulfilment, shipping."""

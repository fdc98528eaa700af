"""PaymentMethods: cards made from Stripe's test tokens (tok_visa ...) and the test methods (pm_card_visa ...)."""

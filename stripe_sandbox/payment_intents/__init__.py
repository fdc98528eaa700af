"""PaymentIntents: created and confirmed through the API with a test PaymentMethod, or behind a paid Checkout
Session; each has one charge, which refunds draw on and charge events show."""

"""The shop: the catalog (from a file or from Stripe), the basket and money."""

"""Products and Prices: their routes, params and storage."""

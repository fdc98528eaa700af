"""Shipping rates: their routes, params and storage."""

"""Coupons and Promotion codes: their routes and storage."""

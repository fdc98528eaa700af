"""Checkout Sessions: create, retrieve, list, expire, pay, and the test helpers."""

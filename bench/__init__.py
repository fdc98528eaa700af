"""Benchmarks for Storefront: the webhook sidecar under load, duplicates, pages and pay-to-order.

Run with `python run.py bench` (or `python -m bench`); `--quick` for a short smoke run.
"""

"""Shared fixtures: each fixture family lives in its own plugin module, listed here."""

pytest_plugins = [
    "tests.fixtures_sandbox",
    "tests.fixtures_firestore",
    "tests.fixtures_app",
    "tests.fixtures_pages",
    "tests.fixtures_catalog",
    "tests.fixtures_stores",
    "tests.fixtures_stripe_cli",
]

"""Fixtures for the sandbox (filled in by its own work)."""

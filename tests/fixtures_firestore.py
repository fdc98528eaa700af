"""Fixtures for the firestore (filled in by its own work)."""

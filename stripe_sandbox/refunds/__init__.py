"""Refunds of a paid session's payment: their routes, storage and events."""

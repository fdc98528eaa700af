"""Tests for stripe_sandbox, the local stand-in for Stripe Checkout."""

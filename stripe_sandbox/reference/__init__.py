"""Stripe's reference tables: countries, currencies with their amount rules, test cards."""

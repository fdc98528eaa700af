"""Stripe's webhooks: verify and parse events, take them in (phase one), fulfil them (phase two), refunds."""

"""What the official Stripe CLI talks to: `POST /v1/stripecli/sessions`, the websocket that `stripe listen`
and `stripe logs tail` hold open, and `POST /v1/events/{id}/retry` behind `stripe events resend`.

`stripe listen` is one more webhook destination, named "stripe listen" in the Dashboard and the Webhook
inspector: once a CLI has connected, every event is queued for it too, and waits (on the usual retry
schedule) while no CLI is connected. The CLI forwards what it gets, unsigned by itself, so the sandbox signs
each event with its own webhook secret, the `secret` the session answers with.
"""

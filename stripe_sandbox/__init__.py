"""A local stand-in for Stripe Checkout that the unmodified `stripe` SDK talks to: API, hosted page, webhooks.

Start it with `python -m stripe_sandbox` (127.0.0.1, port SANDBOX_PORT, default 12111) and point a
`stripe.StripeClient(KEY, base_addresses={"api": "http://127.0.0.1:12111"})` at it, KEY being the
sandbox's own test secret key, printed at start ("Your sandbox secret key is sk_test_...").

Environment:
  SANDBOX_PORT                 port to listen on (default 12111)
  LISTEN_ADDRESS               address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  DATA_DIR                     state lives in $DATA_DIR/stripe_sandbox.sqlite3 (default .data)
  SANDBOX_WEBHOOK_URL          comma-separated webhook endpoints (default http://127.0.0.1:4242/webhook;
                               empty = record events, deliver nowhere)
  STRIPE_WEBHOOK_SECRET        signing secret; when unset a whsec_... is generated, printed and kept in the DB
  SANDBOX_API_KEY              the one API key accepted (sk_test_...); when unset one is generated, printed
                               and kept in the DB (run.py makes one under DATA_DIR and hands it to every process)
  SANDBOX_RETRY_BASE_SECONDS   first retry delay, doubling per attempt (default 1.0)
  SANDBOX_RETRY_MAX_DELAY_SECONDS  the longest wait between two attempts (default 3600: an hour)
  SANDBOX_RETRY_WINDOW_SECONDS how long a delivery is retried before it is marked failed, as Stripe
                               does for three days (default 259200); tests compress it
  SANDBOX_MAX_ATTEMPTS         an extra cap on attempts per endpoint (default 0: none, only the window)
  SANDBOX_ASYNC_DELAY_SECONDS  delay before the delayed bank transfer's outcome event (default 5)
  SANDBOX_LATENCY_MS           added to every /v1 answer, like Stripe's round trip (default 0)
  SANDBOX_LATENCY_JITTER_MS    up to this much either way (default a fifth of the latency)
  SANDBOX_THREADS              answers served at once (default 8; each holds one for its latency,
                               so a load test at 150 ms needs more than 8 to pass ~53 calls/s)
  SANDBOX_PUBLIC_URL           base of the hosted page URL in `session.url` (default http://127.0.0.1:<port>)
  SANDBOX_CLI_PORT             the websocket `stripe listen` and `stripe logs tail` dial (default <port>+1,
                               or any free port when that one is taken; 0: any free port)
  SANDBOX_CLI_PUBLIC_URL       where the CLI reaches that websocket (default ws://127.0.0.1:<its port>)

Endpoints (all /v1 and /_sandbox routes need the sandbox's key, as HTTP Basic user name (`curl -u KEY:`) or
`Authorization: Bearer KEY`, else Stripe's 401; /v1 answers any Stripe-Version in the pinned SDK's version):
  POST /v1/checkout/sessions, GET /v1/checkout/sessions[/{id}[/line_items]], POST .../{id}/expire
  POST/GET /v1/shipping_rates, GET /v1/shipping_rates/{id}
  POST/GET /v1/products, GET/POST/DELETE /v1/products/{id}; POST/GET /v1/prices, GET/POST /v1/prices/{id}
  POST/GET /v1/coupons, GET /v1/coupons/{id}; POST/GET /v1/promotion_codes, GET/POST /v1/promotion_codes/{id}
  POST/GET /v1/refunds, GET /v1/refunds/{id}   (refund.created and charge.refunded events)
  GET /v1/events (type or types[], created, delivery_success, paged), GET /v1/events/{id}   (what was sent)
  POST /v1/test_helpers/checkout/sessions/{id}/complete   (card, expiry, cvc, email, name, phone, address[...],
                                                           shipping_rate, payment_method=card|bank_transfer,
                                                           promotion_code)
  GET /_sandbox/events?limit=N, POST /_sandbox/events/{evt_id}/resend   (webhook inspector)
  GET /dashboard, POST /dashboard/refunds, POST /dashboard/events/{evt_id}/resend   (the key via HTTP Basic)
  POST /v1/payment_intents (confirm=true with pm_card_visa and friends), GET /v1/payment_intents[/{id}],
  POST /v1/payment_intents/{id}/confirm; POST /v1/payment_methods (card[token]=tok_visa ...), GET .../{id}
  GET /v1/payment_pages/{cs}, POST /v1/payment_pages/{cs}/confirm   (what `stripe trigger` pays through)
  POST /v1/stripecli/sessions, POST /v1/events/{id}/retry   (the Stripe CLI: listen, logs tail, events resend)
  GET /pay/{id}, POST /pay/{id}, POST /pay/{id}/promotion_code   (hosted checkout page; no auth), GET /healthz
  The promotion code WORKSHOP10 (10% off, coupon workshop10) is created at first start.

Magic values:
  Cards: 4242 4242 4242 4242 (and Stripe's other success test cards) pay; 4000 0000 0000 0002 is declined
  (generic_decline); 4000 0000 0000 9995 is declined (insufficient_funds); 4000 0000 0000 0069 expired_card;
  4000 0000 0000 0127 incorrect_cvc; any other Luhn-valid number is declined as a live card in test mode;
  a number failing Luhn or a past expiry is a field error.
  Delayed payment: payment_method=bank_transfer completes the session with payment_status=unpaid, then after
  SANDBOX_ASYNC_DELAY_SECONDS sends checkout.session.async_payment_succeeded -- or
  checkout.session.async_payment_failed when the payer email contains "+async_fail".
"""

"""What the tests and the benchmarks share: real processes on free ports, waiting with a
deadline, and Stripe-signed webhook deliveries."""

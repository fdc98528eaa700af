"""Slow and idle clients against `python -m webhook_server` (waitress): 200 held open for 20 s
(bounded) while signed deliveries keep being answered within a second."""
import threading
import time

import requests

from harness.slow_clients import HOLD_SECONDS, hold_connections
from harness.webhook_signing import checkout_event, signed
from tests.fixtures_app import start_sidecar

SECRET = "whsec_slow_clients"
def test_signed_deliveries_are_answered_within_a_second_while_200_clients_hang_on(tmp_path):
    server = start_sidecar(tmp_path, {"DATA_DIR": str(tmp_path / "data"),
                                      "STRIPE_WEBHOOK_SECRET": SECRET, "STRIPE_SECRET_KEY": ""})
    stop = threading.Event()
    held = []
    try:
        held = hold_connections(server.port, stop)
        latencies = []
        deadline = time.monotonic() + HOLD_SECONDS
        while time.monotonic() < deadline:
            body, headers = signed(checkout_event("cs_test_x", event_type="customer.created"),
                                   SECRET)
            started = time.monotonic()
            response = requests.post(f"{server.url}/webhook", data=body, headers=headers,
                                     timeout=5)
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200, response.text
            time.sleep(0.5)
        assert len(latencies) >= 15 and max(latencies) < 1.0, latencies
    finally:
        stop.set()
        for sock in held:
            sock.close()
        server.stop()

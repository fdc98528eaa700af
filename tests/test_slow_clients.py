"""Slow and idle clients against `python -m webhook_server` (waitress): 200 held open for 20 s
(bounded) while signed deliveries keep being answered within a second."""
import pytest

from harness.slow_clients import deliveries_while_held
from tests.fixtures_app import start_sidecar

pytestmark = pytest.mark.processes  # a sidecar and 200 hanging connections for 20 s

SECRET = "whsec_slow_clients"


def test_signed_deliveries_are_answered_within_a_second_while_200_clients_hang_on(tmp_path):
    server = start_sidecar(tmp_path, {"DATA_DIR": str(tmp_path / "data"),
                                      "STRIPE_WEBHOOK_SECRET": SECRET, "STRIPE_SECRET_KEY": ""})
    try:
        answers = deliveries_while_held(server.url, SECRET)
    finally:
        server.stop()
    assert len(answers) >= 15 and {status for status, _ in answers} == {200}, answers
    assert max(seconds for _, seconds in answers) < 1.0, answers

"""`python run.py` with test keys runs `stripe listen` beside the other processes and hands the sidecar the
secret it printed (the tutorial's steps 12 to 14, done for the learner). The sandbox stands in for Stripe:
its key is an sk_test_ key, and STRIPE_API_BASE points the app, the sidecar and the CLI at it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from devtools.process_tree import spawn_options, stop_tree
from harness.processes import free_port
from harness.waiting import wait_until
from lib.config.settings import ROOT, build_settings
from lib.stores.factory import make_order_store
from tests.environments import CLEAR
from tests.fixtures_sandbox import complete_session, session_params, stripe_client_for

# Where a developer's own settings would move the processes this test starts.
ADDRESSES = ("APP_URL", "HOST", "WEBHOOK_URL", "LISTEN_ADDRESS", "DATA_DIR")


def test_run_py_in_test_mode_forwards_through_stripe_listen_with_its_secret(start_sandbox, stripe_cli,
                                                                            tmp_path):
    box = start_sandbox()  # delivers nowhere itself: every event must come through the CLI
    env = {k: v for k, v in os.environ.items() if k not in CLEAR + ADDRESSES}
    env.update(STRIPE_SECRET_KEY=box.api_key, STRIPE_API_BASE=box.url, DATA_DIR=str(tmp_path / "shop"),
               APP_PORT=str(free_port()), WEBHOOK_PORT=str(free_port()), STRIPE_CLI_TELEMETRY_OPTOUT="1",
               XDG_CONFIG_HOME=str(tmp_path / "stripe-config"), STRIPE_WEBHOOK_SECRET="whsec_someone_elses")
    lines: list[str] = []
    demo = subprocess.Popen([sys.executable, str(ROOT / "run.py")], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **spawn_options())
    threading.Thread(target=lambda: lines.extend(raw.decode(errors="replace").rstrip()
                                                 for raw in iter(demo.stdout.readline, b"")), daemon=True).start()
    try:
        wait_until(lambda: any("Your webhook signing secret is whsec_" in line for line in lines), timeout=90)
        text = "\n".join(lines)
        assert "Storefront with Stripe in test mode" in text
        assert "STRIPE_WEBHOOK_SECRET differs from the secret `stripe listen` signs with" in text
        assert box.webhook_secret in text and "stripe started (pid" in text
        client = stripe_client_for(box)
        session = client.v1.checkout.sessions.create(params=session_params(customer_email="ada@example.com"))
        complete_session(client, session.id)
        orders = make_order_store(build_settings(env))
        assert wait_until(lambda: orders.get_order("ada@example.com", session.id), timeout=60)
        wait_until(lambda: any("<--  [200] POST" in line for line in lines))
    finally:
        print("\n".join(lines))  # pytest shows it when the test fails
        if demo.poll() is None:
            demo.send_signal(signal.SIGINT)
            try:
                demo.wait(60)
            except subprocess.TimeoutExpired:
                stop_tree(demo)
    assert "stripe stopped" in "\n".join(lines)

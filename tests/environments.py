"""An environment of its own for a test that reads settings: every variable cleared, every
service on a closed port, data under the test's tmp directory."""
from __future__ import annotations

from harness.processes import free_port

# Every variable the settings read, so a developer's own environment cannot leak in.
CLEAR = ("STRIPE_SECRET_KEY", "STRIPE_PUBLIC_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE",
         "STRIPE_SHIPPING_RATE", "STORE", "ORDER_STORE", "FIREBASE_CREDENTIALS",
         "GOOGLE_APPLICATION_CREDENTIALS", "FIRESTORE_EMULATOR_HOST", "STORE_CURRENCY",
         "CATALOG_SOURCE", "CATALOG_TTL", "STRIPE_LISTEN")


def environment(monkeypatch, tmp_path, **values):
    """Point every service at closed ports under a tmp DATA_DIR, then apply values."""
    for name in CLEAR:
        monkeypatch.delenv(name, raising=False)
    defaults = {"DATA_DIR": str(tmp_path), "SANDBOX_URL": f"http://127.0.0.1:{free_port()}",
                "WEBHOOK_URL": f"http://127.0.0.1:{free_port()}",
                "APP_URL": f"http://127.0.0.1:{free_port()}"}
    for name, value in {**defaults, **values}.items():
        monkeypatch.setenv(name, value)

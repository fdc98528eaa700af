"""The Setup check: one function per setting or service, each giving a green/amber/red verdict."""
from lib.setup_check.runner import run_all, run_bounded
from lib.setup_check.service_checks import (
                                            check_app_url,
                                            check_last_event,
                                            check_sidecar,
                                            check_sign_in,
)
from lib.setup_check.store_checks import (
                                            check_credentials_file,
                                            check_credentials_ignored,
                                            check_store,
                                            probe_order,
)
from lib.setup_check.stripe_checks import (
                                            check_currency,
                                            check_key_shape,
                                            check_key_works,
                                            check_mode,
                                            check_shipping_rate,
                                            check_webhook_secret,
)
from lib.setup_check.verdicts import (
                                            AMBER,
                                            GREEN,
                                            RED,
                                            TIMEOUT,
                                            Check,
                                            CheckStatus,
                                            settings_problems,
)

__all__ = [
    "AMBER", "GREEN", "RED", "TIMEOUT", "Check", "CheckStatus", "check_app_url",
    "check_credentials_file", "check_credentials_ignored", "check_currency", "check_key_shape",
    "check_key_works", "check_last_event", "check_mode", "check_shipping_rate", "check_sidecar",
    "check_sign_in", "check_store", "check_webhook_secret", "probe_order", "run_all",
    "run_bounded", "settings_problems",
]

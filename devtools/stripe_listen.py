"""`python run.py` with test keys: `stripe listen` runs beside the other processes and forwards Stripe's
events to the sidecar, which gets the signing secret the CLI printed (the tutorial's steps 12 to 14)."""
from __future__ import annotations

import os
import subprocess

from devtools.stripe_cli import cli_env, command_to_print, connection_flags, ensure_cli
from lib.webhooks.events import CHARGE_REFUNDED, HANDLED

# The events the sidecar acts on; CLI 1.52 forwards nothing without --events.
LISTENED = (*HANDLED, CHARGE_REFUNDED)
SECRET_TIMEOUT_SECONDS = 60


def listen_args(settings) -> list[str]:
    """`stripe listen`'s arguments: the sidecar's events, forwarded to its /webhook."""
    return ["listen", "--events", ",".join(LISTENED), "--forward-to", f"{settings.webhook_url}/webhook"]


def print_secret(cli, settings, environ, run=subprocess.run) -> tuple[str, str]:
    """(the whsec_ secret `stripe listen --print-secret` prints, '') or ('', why there is none)."""
    try:
        done = run([str(cli), "listen", "--print-secret", *connection_flags(settings)], capture_output=True,
                   text=True, timeout=SECRET_TIMEOUT_SECONDS, env=cli_env(settings, environ))
    except subprocess.TimeoutExpired:
        return "", f"no answer within {SECRET_TIMEOUT_SECONDS} s"
    secret = done.stdout.strip()
    if done.returncode != 0 or not secret.startswith("whsec_"):
        return "", (done.stderr or done.stdout).strip() or f"exit {done.returncode}"
    return secret, ""


def plan_listen(settings, environ=None, ensure=ensure_cli, run=subprocess.run, say=print
                ) -> tuple[list[tuple[str, list[str], dict, int]], str]:
    """In test mode with the CLI at hand: the `stripe listen` process to supervise and the secret for the
    sidecar. Otherwise nothing, after saying what to run by hand (when test mode needs it)."""
    if settings.stripe_mode != "test" or not settings.stripe_listen:
        return [], ""
    environ = dict(os.environ if environ is None else environ)
    by_hand = command_to_print(settings, listen_args(settings))
    cli = ensure()
    if cli is None:
        say("[run] test mode: Stripe's events reach the sidecar through `stripe listen`, which comes from "
            "npm, and there is no Node.js/npm here. In another terminal, after `stripe login`, run:\n"
            f"[run]   {by_hand}\n[run] and put the whsec_ it prints in STRIPE_WEBHOOK_SECRET.")
        return [], ""
    secret, problem = print_secret(cli, settings, environ, run)
    if not secret:
        say(f"[run] `stripe listen --print-secret` failed ({problem}); the sidecar keeps "
            f"STRIPE_WEBHOOK_SECRET. Run `{by_hand}` yourself once that works.")
        return [], ""
    if settings.stripe_webhook_secret and settings.stripe_webhook_secret != secret:
        say("[run] STRIPE_WEBHOOK_SECRET differs from the secret `stripe listen` signs with: the sidecar "
            "gets the CLI's while run.py runs it (STRIPE_LISTEN=0 keeps yours).")
    say(f"[run] stripe listen forwards {', '.join(LISTENED)} to {settings.webhook_url}/webhook")
    command = [str(cli), *listen_args(settings), *connection_flags(settings)]
    return [("stripe", command, {"STRIPE_API_KEY": settings.api_key}, 0)], secret

"""`python run.py check`: the Setup check printed for a terminal, with an exit code for scripts."""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from typing import TextIO

from lib.config.settings import SettingsError, load_settings
from lib.setup_check import AMBER, GREEN, RED, Check, run_all, settings_problems

MARKS = {GREEN: "ok", AMBER: "!!", RED: "XX"}
COLOURS = {GREEN: "\033[32m", AMBER: "\033[33m", RED: "\033[31m"}
RESET = "\033[0m"


def format_check(check: Check, colour: bool = False, width: int = 100) -> str:
    """One check as a marked line, then its fix indented beneath when there is one."""
    mark = f"[{MARKS[check.status]}]"
    if colour:
        mark = f"{COLOURS[check.status]}{mark}{RESET}"
    lines = textwrap.wrap(f"{check.name}: {check.message}", width - 5,
                          subsequent_indent="     ") or [""]
    text = f"{mark} {lines[0]}" + "".join(f"\n{line}" for line in lines[1:])
    if check.fix:
        text += "\n" + textwrap.fill(f"fix: {check.fix}", width, initial_indent="     ",
                                     subsequent_indent="          ")
    return text


def format_report(checks: list[Check], colour: bool = False) -> str:
    """All checks, then a one-line summary counting each colour."""
    counts = {status: sum(c.status == status for c in checks) for status in MARKS}
    summary = f"{counts['green']} green, {counts['amber']} amber, {counts['red']} red"
    return "\n".join([*(format_check(c, colour) for c in checks), "", summary])


def collect(environ=None) -> list[Check]:
    """Load settings (broken ones give one red check per problem) and run every check."""
    try:
        settings = load_settings(os.environ if environ is None else environ)
    except SettingsError as exc:
        return settings_problems(exc) + [Check(
            "Other checks", AMBER, "not run until the settings above load.",
            "Fix the settings above, then run `python run.py check` again.")]
    return run_all(settings)


def exit_code(checks: list[Check]) -> int:
    """0 when nothing is red, 1 otherwise."""
    return 1 if any(c.status == RED for c in checks) else 0


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    """Print the Setup check and return 0 when nothing is red, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python run.py check",
                                     description="List every setting with its status and fix.")
    parser.add_argument("--no-colour", action="store_true", help="never colour the output")
    args = parser.parse_args(argv or [])
    out = out or sys.stdout
    checks = collect()
    colour = not args.no_colour and out.isatty() and "NO_COLOR" not in os.environ
    print(format_report(checks, colour), file=out)
    if all(c.status == GREEN for c in checks):
        print("Everything is set up.", file=out)
    return exit_code(checks)

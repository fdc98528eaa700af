"""Shared fixtures: each fixture family lives in its own plugin module, listed here."""
import pytest

pytest_plugins = [
    "tests.fixtures_sandbox",
    "tests.fixtures_firestore",
    "tests.fixtures_app",
    "tests.fixtures_pages",
    "tests.fixtures_catalog",
    "tests.fixtures_stores",
    "tests.fixtures_stripe_cli",
]

# Fixtures that start real processes (the sandbox, a sidecar, a whole stack): a test that uses
# one, directly or through another fixture, is marked `processes`, and `run.py test --quick`
# leaves it out.
PROCESS_FIXTURES = frozenset({"sandbox", "start_sandbox", "slow_transfer_sandbox",
                              "stack_factory", "sidecar"})


def pytest_collection_modifyitems(items):
    """Mark every test that needs a process fixture with `processes`."""
    for item in items:
        if PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.processes)

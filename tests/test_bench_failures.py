"""`python -m bench` reports rather than crashes: a benchmark whose process cannot start is tried
twice, then shown FAILED with its reason in the targets table, and the others still run and
print."""
from __future__ import annotations

import sys

from bench import report, targets
from bench.__main__ import main
from harness.processes import start


def test_a_benchmark_whose_process_exits_at_once_is_a_failed_row_and_the_rest_still_print(
        tmp_path, capsys):
    tries = []

    def doomed() -> dict:
        tries.append(1)
        start("doomed", [sys.executable, "-c", "raise SystemExit(3)"], {}, tmp_path, "/healthz",
              timeout=20)
        return {}

    def fine() -> dict:
        print(report.table("fine benchmark", ["step", "ms"], [["only step", 1.5]]))
        return {"only step": 1.5}

    code = main(["--only", "doomed", "fine"], chosen_from=lambda args: {"doomed": doomed,
                                                                         "fine": fine})
    out = capsys.readouterr().out
    assert code == 1 and len(tries) == 2
    assert "benchmark doomed failed (try 1 of 2): RuntimeError: doomed did not start" in out
    assert "benchmark doomed failed (try 2 of 2)" in out
    assert "fine benchmark" in out and "only step" in out
    summary = out[out.index("Targets ("):]
    row = next(line for line in summary.splitlines() if line.startswith("doomed: did not finish"))
    assert "RuntimeError: doomed did not start" in row and row.rstrip().endswith("FAILED")


def test_a_pass_that_fails_once_is_retried_after_its_cleanup_and_counts(capsys):
    attempts, cleaned = [], []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise TimeoutError("the page never showed 'ready' within 60 s")
        return "measured"

    assert report.retried("pass 1/5", flaky, lambda: cleaned.append(1)) == ("measured", "")
    assert cleaned == [1]
    assert "pass 1/5 failed (try 1 of 2): TimeoutError: the page never showed" in (
        capsys.readouterr().out)


def test_a_pass_that_fails_twice_is_listed_in_the_summary_with_its_reason():
    never = report.retried("pass 2/5", lambda: (_ for _ in ()).throw(TimeoutError("no grid")))
    assert never == (None, "TimeoutError: no grid")
    table = targets.summary({"browser": {"failed_passes": [f"pass 2: {never[1]}"],
                                         "targets": {}}})
    assert "browser: a pass that did not finish (tried twice)" in table
    assert "pass 2: TimeoutError: no grid" in table and "FAILED" in table

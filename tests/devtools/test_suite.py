"""How `run.py test` calls pytest: workers unless the caller chose how to run, and --quick's
marker expression in place of the flag."""
import subprocess
import sys

import pytest

from devtools.suite import BROWSER_PASS, QUICK_MARKERS, pytest_args, suite_runs, worker_count
from lib.config.settings import ROOT


def test_workers_are_two_per_core_within_bounds():
    assert [worker_count(cpus) for cpus in (None, 1, 2, 3, 64)] == [2, 2, 2, 3, 8]


def test_the_suite_runs_on_workers_a_file_to_a_worker():
    assert pytest_args(["tests/sandbox", "-q"], 4) == (
        ["-n", "4", "--dist", "loadfile", "tests/sandbox", "-q"], False)


@pytest.mark.parametrize("chosen", [["-n", "1"], ["-n3"], ["-n=auto"], ["--numprocesses", "2"],
                                    ["--dist=load"], ["-p", "no:xdist"], ["-pno:xdist"],
                                    ["--pdb"], ["--trace"]])
def test_a_caller_who_chose_how_to_run_gets_exactly_that(chosen):
    assert pytest_args(["tests/test_money.py", *chosen], 2) == (
        ["tests/test_money.py", *chosen], False)


def test_quick_leaves_out_browser_emulator_image_and_process_tests_and_keeps_the_workers():
    args, quick = pytest_args(["--quick", "-x"], 1)
    assert quick and QUICK_MARKERS == "not browser and not firestore and not container and not processes"
    assert args == ["-n", "2", "--dist", "loadfile", "-m", QUICK_MARKERS, "-x"]
    assert pytest_args(["-x"], 1)[1] is False


def test_the_whole_suite_runs_the_browser_tests_after_the_rest_in_one_process():
    runs, quick = suite_runs(["-q"], 2)
    assert not quick
    assert runs == [["-n", "2", "--dist", "loadfile", "-m", "not browser", "-q"],
                    [*BROWSER_PASS, "-q"]]
    assert BROWSER_PASS == ["-m", "browser", "-p", "no:xdist"]


@pytest.mark.parametrize("chosen", [["tests/test_money.py"], ["tests"], ["tests/browser/"],
                                    ["tests/test_money.py::test_x"], ["-m", "firestore"],
                                    ["-n", "1"], ["--quick"]])
def test_tests_or_a_way_of_running_chosen_by_the_caller_are_one_run(chosen):
    runs, _ = suite_runs(["-q", *chosen], 2)
    assert runs == [pytest_args(["-q", *chosen], 2)[0]]


@pytest.mark.processes  # runs pytest's collection in a process of its own
def test_quick_leaves_out_the_tests_that_use_a_process_fixture():
    # Two of test_latency's tests start sandboxes through `start_sandbox`; the other three do not.
    listed = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                             "-p", "no:xdist", "-m", QUICK_MARKERS, "tests/sandbox/test_latency.py"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    kept = sorted(line.split("::")[1] for line in listed.splitlines() if "::" in line)
    assert kept == ["test_sandbox_threads_is_read_and_defaults_to_eight",
                    "test_the_delay_stays_within_the_jitter_and_varies",
                    "test_the_setting_defaults_to_a_fifth_of_the_latency_as_jitter"]

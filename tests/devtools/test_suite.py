"""How `run.py test` calls pytest: workers unless the caller chose how to run, and --quick's
marker expression in place of the flag."""
import pytest

from devtools.suite import BROWSER_PASS, QUICK_MARKERS, pytest_args, suite_runs, worker_count


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


def test_quick_leaves_out_browser_and_emulator_tests_and_keeps_the_workers():
    args, quick = pytest_args(["--quick", "-x"], 1)
    assert quick and QUICK_MARKERS == "not browser and not firestore"
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

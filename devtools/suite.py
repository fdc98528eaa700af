"""How `python run.py test` runs pytest: on how many workers, and what `--quick` leaves out."""
from __future__ import annotations

QUICK_FLAG = "--quick"
# The edit loop: no browser, no Firestore emulator, no image and no servers of their own, so
# nothing to install or start first.
QUICK_MARKERS = "not browser and not firestore and not container and not processes"
# Options with which the caller has chosen how pytest runs: then run.py adds no workers.
CHOSEN = {"-n", "--numprocesses", "--dist", "--pdb", "--trace", "-pno:xdist"}


def worker_count(cpus: int | None) -> int:
    """Workers for this machine: one per core, at least two, at most eight. Most tests wait on
    servers, browsers and the emulator, but each browser test's Chromium and Streamlit also
    compute, and two of them per core left pages blank past a minute on a loaded machine."""
    return max(2, min(8, cpus or 1))


def chose_how_to_run(args: list[str]) -> bool:
    """Whether args already say how pytest runs: a worker count (-n 3, -n3, -n=3), a
    distribution, one process (-p no:xdist) or a debugger."""
    for at, arg in enumerate(args):
        name = arg.split("=", 1)[0]
        if name in CHOSEN or (name.startswith("-n") and name[2:].isdigit()):
            return True
        if arg == "-p" and args[at + 1:at + 2] == ["no:xdist"]:
            return True
    return False


def pytest_args(args: list[str], cpus: int | None) -> tuple[list[str], bool]:
    """pytest's arguments for `run.py test args` on a machine with cpus cores, and whether
    this is the quick run: workers (a test file's tests together on one, so each module's
    servers start once) unless the args chose otherwise, and --quick's marker expression."""
    quick = QUICK_FLAG in args
    args = [arg for arg in args if arg != QUICK_FLAG]
    if quick:
        args = ["-m", QUICK_MARKERS, *args]
    if not chose_how_to_run(args):
        args = ["-n", str(worker_count(cpus)), "--dist", "loadfile", *args]
    return args, quick


# The whole suite runs in two passes: everything else on workers, then the browser tests one
# at a time, since a browser page beside the other workers' servers sometimes stayed blank.
BROWSER_PASS = ["-m", "browser", "-p", "no:xdist"]


def names_tests(args: list[str]) -> bool:
    """Whether args choose the tests themselves: a path or node id, or a marker expression."""
    return any(arg == "-m" or arg.startswith("-m=") or "::" in arg or
               (not arg.startswith("-") and ("/" in arg or arg.endswith(".py") or arg == "tests"))
               for arg in args)


def suite_runs(args: list[str], cpus: int | None) -> tuple[list[list[str]], bool]:
    """The pytest runs for `run.py test args` and whether this is the quick run: one run when
    the args choose the tests, a worker count or --quick; else the parallel pass without the
    browser tests, then the browser pass in one process."""
    quick = QUICK_FLAG in args
    if quick or names_tests(args) or chose_how_to_run(args):
        return [pytest_args(args, cpus)[0]], quick
    return [pytest_args(["-m", "not browser", *args], cpus)[0], [*BROWSER_PASS, *args]], False

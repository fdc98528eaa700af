"""`python -m bench [--quick] [--only NAME ...]`: run the benchmarks, print tables, write JSON."""
from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each benchmark's module; imported only when it runs (the browser's needs Playwright).
MODULES = {"webhooks": "bench.webhooks", "fulfilment": "bench.fulfilment",
           "replicas": "bench.replicas", "pay": "bench.pay_to_order", "pages": "bench.pages",
           "dashboard": "bench.sales_dashboard", "baskets": "bench.basket_updates",
           "browser": "bench.browser", "install": "bench.install"}
NAMES = tuple(MODULES)


def benchmarks(args: argparse.Namespace) -> dict[str, Callable[[], dict]]:
    """Each benchmark by name, as a call with this command line's options."""
    stores = ("sqlite",) if args.no_firestore else ("sqlite", "firestore")

    def call(name: str) -> Callable[[], dict]:
        def run() -> dict:
            module = importlib.import_module(MODULES[name])
            with_stores = name in ("webhooks", "fulfilment")
            return module.run(args.quick, stores) if with_stores else module.run(args.quick)
        return run

    return {name: call(name) for name in NAMES}


def main(argv: list[str] | None = None,
         chosen_from: Callable[[argparse.Namespace], dict[str, Callable[[], dict]]] = benchmarks
         ) -> int:
    """Run the chosen benchmarks (all by default), each retried once when it cannot finish, and
    compare them with the issues' targets; a benchmark that fails twice is a FAILED row."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short smoke run, small counts")
    parser.add_argument("--only", nargs="+", help=f"run only these benchmarks: {', '.join(NAMES)}")
    parser.add_argument("--no-firestore", action="store_true",
                        help="skip the Firestore emulator runs of the webhook and fulfilment"
                             " benchmarks")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench import report, targets

    available = chosen_from(args)
    unknown = sorted(set(args.only or ()) - set(available))
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)}; choose from {', '.join(available)}")
    print("machine:", report.machine(), flush=True)
    started = time.perf_counter()
    results, failures = {}, {}
    for name in [n for n in available if n in (args.only or available)]:
        result, why = report.retried(f"benchmark {name}", available[name])
        if result is None:
            failures[name] = why
        else:
            results[name] = result
        print(flush=True)
    print(targets.summary(results, failures))
    print(f"\nall benchmarks took {time.perf_counter() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bench [--quick] [--only NAME ...]`: run the benchmarks, print tables, write JSON."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("webhooks", "fulfilment", "replicas", "pay", "pages", "dashboard", "baskets", "browser")


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks (all by default) and compare them with the issue's targets."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short smoke run, small counts")
    parser.add_argument("--only", nargs="+", choices=NAMES, help="run only these benchmarks")
    parser.add_argument("--no-firestore", action="store_true",
                        help="skip the Firestore emulator runs of the webhook benchmark")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench import fulfilment, pages, pay_to_order, report, sales_dashboard, targets, webhooks

    chosen = args.only or NAMES
    print("machine:", report.machine(), flush=True)
    started = time.perf_counter()
    results = {}
    if "webhooks" in chosen:
        stores = ("sqlite",) if args.no_firestore else ("sqlite", "firestore")
        results["webhooks"] = webhooks.run(args.quick, stores)
        print(flush=True)
    if "fulfilment" in chosen:
        results["fulfilment"] = fulfilment.run(args.quick)
        print(flush=True)
    if "replicas" in chosen:
        from bench import replicas  # its own module (issue 13): one sidecar vs two

        results["replicas"] = replicas.run(args.quick)
        print(flush=True)
    if "pay" in chosen:
        results["pay"] = pay_to_order.run(args.quick)
        print(flush=True)
    if "pages" in chosen:
        results["pages"] = pages.run(args.quick)
        print(flush=True)
    if "dashboard" in chosen:
        results["dashboard"] = sales_dashboard.run(args.quick)
        print(flush=True)
    if "baskets" in chosen:
        from bench import basket_updates  # issue 13: why basket changes are guarded writes

        results["baskets"] = basket_updates.run(args.quick)
        print(flush=True)
    if "browser" in chosen:
        from bench import browser  # Playwright is needed by this one only

        results["browser"] = browser.run(args.quick)
        print(flush=True)
    print(targets.summary(results))
    print(f"\nall benchmarks took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

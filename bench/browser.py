"""Benchmark 7 (issues 16 and 26): the shop in headless Chromium against two reference Streamlit
apps, all started here and measured in the same run, median of 5: the floor (the shop's first
screen with nothing behind it) for the first load, and a bare one-button app for everything:
first load, "Add to basket" until its feedback shows, Pay until the success page shows the
order, and the steps between."""
from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench import report
from bench.browser_conditions import BARE_READY, GRID, HOSTED, element_has, heading, main_has
from bench.browser_marks import Marks
from bench.browser_stack import start_bare_app, start_demo, start_floor_app, stop_all
from harness.chromium import CHROMIUM, LAUNCH_ARGS
from lib.config.settings import ROOT
from lib.shop.catalog import load_catalog

VIEWPORT = {"width": 1280, "height": 800}
# (name, measured, reference, target ratio or None): the issues' targets first.
ROWS = (
    ("first load until the product grid shows, vs the floor", "grid", "floor load", 1.15),
    ("first load until the product grid shows", "grid", "bare load", 1.3),
    ("Add to basket until its feedback (toast or count)", "feedback", "bare toast", 1.5),
    ("Pay until the success page shows the order", "pay", "bare load", 1.3),
    ("  Add to basket until the toast", "toast", "bare toast", None),
    ("  Add to basket until Basket (n) changes", "count", "bare toast", None),
    ("  Add to basket until the rerun ends", "add rerun", "bare rerun", None),
    ("Basket link until the basket page", "basket", "bare toast", None),
    ("Sign in (demo) until signed in", "sign in", "bare toast", None),
    ("Proceed to checkout until the pay link", "checkout", "bare toast", None),
    ("pay link until the hosted page", "hosted", "bare load", None),
    ("the floor's first load until its grid shows", "floor load", "bare load", None),
)


def _new_context(browser: Browser):
    """A fresh 1280x800 browser profile (empty cache, no cookies); Chromium's launch flags keep
    it off the internet, so no page waits on a font from a CDN."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    return context


def _bare_pass(browser: Browser, url: str) -> tuple[dict, dict]:
    """A fresh browser opens the bare app and presses its button once."""
    context = _new_context(browser)
    marks = Marks(context, {"ready": BARE_READY})
    page = context.new_page()
    timings = {"bare load": marks.load_ms(page, url + "/", "ready")}
    first_load = marks.traffic.snapshot()
    done, traffic = marks.action(page, {"toast": element_has("[data-testid=stToast]",
                                                             "Clicked 1 times")},
                                 lambda: page.get_by_role("button", name="Show a toast").click())
    timings.update({"bare toast": done["toast"], "bare rerun": done.get("rerun")})
    context.close()
    return timings, {"bare first load": first_load, "bare click": traffic}


def _floor_pass(browser: Browser, url: str) -> tuple[dict, dict]:
    """A fresh browser opens the floor app until its grid shows, as the shop's is timed."""
    context = _new_context(browser)
    marks = Marks(context, {"grid": GRID})
    page = context.new_page()
    timings = {"floor load": marks.load_ms(page, url + "/", "grid")}
    traffic = {"floor first load": marks.traffic.snapshot()}
    context.close()
    return timings, traffic


def _demo_pass(browser: Browser, url: str, product) -> tuple[dict, dict]:
    """A fresh browser (a new guest) opens the shop, adds product, opens the basket, signs in,
    checks out and pays with 4242 on the hosted page."""
    context = _new_context(browser)
    marks = Marks(context, {"grid": GRID, "hosted": HOSTED,
                            "success": f"{heading('Thank you! Your order is confirmed.')} && "
                                       f"{main_has(product.title)}"})
    page = context.new_page()
    t, traffic = {}, {}
    t["grid"] = marks.load_ms(page, url + "/", "grid")
    traffic["first load"] = marks.traffic.snapshot()
    add = page.locator(f".st-key-add_{product.id}").get_by_role("button", name="Add to basket")
    done, traffic["add to basket"] = marks.action(
        page, {"toast": element_has("[data-testid=stToast]", product.title),
               "count": element_has("a", "Basket (1)")}, add.click)
    t.update(toast=done["toast"], count=done["count"], feedback=min(done["toast"], done["count"]))
    t["add rerun"] = done.get("rerun")
    main = page.get_by_test_id("stMain")
    done, traffic["basket page"] = marks.action(
        page, {"page": f"{heading('Your basket')} && {main_has(product.title)}"},
        lambda: page.get_by_role("link", name="Basket (1)").first.click())
    t["basket"] = done["page"]
    page.get_by_role("link", name="Sign in").first.click()
    main.get_by_label("Name").fill("Bench Shopper")
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    main.get_by_label("Email").fill(email)
    done, _ = marks.action(page, {"page": f"{heading('Your basket')} && "
                                          f"{element_has('[data-testid=stSidebar]', 'Signed in as')}"},
                           lambda: page.get_by_role("button", name="Sign in (demo)").click())
    t["sign in"] = done["page"]
    done, _ = marks.action(page, {"link": element_has("a", "Pay with Stripe Checkout")},
                           lambda: page.get_by_role("button", name="Proceed to checkout").click())
    t["checkout"] = done["link"]
    marks.reports.clear()
    with context.expect_page() as opened:
        page.get_by_role("link", name="Pay with Stripe Checkout").click()
    hosted = opened.value
    clicked, _ = marks.wait_report(page, "click")
    t["hosted"] = marks.wait_report(hosted, "hosted")[0] - clicked
    _fill_hosted(hosted, email)
    marks.reports.clear()
    hosted.get_by_role("button", name="Pay ").first.click()
    clicked, _ = marks.wait_report(hosted, "click")
    t["pay"] = marks.wait_report(hosted, "success", after=clicked)[0] - clicked
    context.close()
    return t, traffic


def _fill_hosted(hosted, email: str) -> None:
    """Contact, address and the 4242 test card on the sandbox's hosted page."""
    hosted.get_by_label("Email", exact=True).fill(email)
    hosted.get_by_label("Full name").fill("Bench Shopper")
    hosted.get_by_label("Address", exact=True).fill("12 MG Road")
    hosted.get_by_label("City").fill("Bengaluru")
    hosted.get_by_label("Postal code").fill("560001")
    hosted.get_by_label("Country").select_option(label="India")
    hosted.get_by_label("Card number").fill("4242 4242 4242 4242")
    hosted.get_by_label("Expiry").fill("12 / 34")
    hosted.get_by_label("CVC").fill("123")


def _median_by(passes: list[dict]) -> dict:
    """The median of each measure over the passes."""
    return {k: round(report.median([p[k] for p in passes if p.get(k) is not None]), 1)
            for k in passes[0]}


def _traffic_rows(traffic: list[dict]) -> list[list]:
    """Medians of what each step received and fetched."""
    rows = []
    for step in traffic[0]:
        runs = [t[step] for t in traffic]
        kinds = sorted({k for r in runs for k in r["requests"]})
        fetched = ", ".join(f"{k} {report.median([r['requests'].get(k, 0) for r in runs]):g}"
                            for k in kinds) or "none"
        rows.append([step, report.median([r["frames_in"] for r in runs]),
                     round(report.median([r["bytes_in"] for r in runs]) / 1024, 1),
                     report.median([r["frames_out"] for r in runs]), fetched])
    return rows


def _passes(browser: Browser, urls: dict[str, str], products, repeats: int, work: Path
            ) -> tuple[list[dict], list[dict], list[str]]:
    """A warm-up pass of each app (imports, first script runs), then the repeats, the three
    apps taking turns so all see the same machine (the floor and the shop swap places every
    pass); a pass that cannot finish is tried once more, then left out with its reason."""
    for warm_up in (lambda: _bare_pass(browser, urls["bare"]),
                    lambda: _floor_pass(browser, urls["floor"]),
                    lambda: _demo_pass(browser, urls["shop"], products[-1])):
        try:
            warm_up()
        except (PlaywrightError, TimeoutError) as exc:  # not counted either way
            print(f"  warm-up pass failed, not counted: {str(exc).splitlines()[0]}", flush=True)
            _close_contexts(browser)
    passes, traffic, failed = [], [], []
    for n in range(repeats):
        def one_pass(n: int = n) -> tuple[dict, dict]:
            apps = [lambda: _floor_pass(browser, urls["floor"]),
                    lambda: _demo_pass(browser, urls["shop"], products[n])]
            timings, received = _bare_pass(browser, urls["bare"])
            for app in apps if n % 2 == 0 else apps[::-1]:
                app_t, app_traffic = app()
                timings.update(app_t)
                received.update(app_traffic)
            return timings, received

        done, why = report.retried(f"pass {n + 1}/{repeats}", one_pass,
                                   lambda: _keep_screenshots(browser, work))
        if done is None:
            failed.append(f"pass {n + 1}: {why}")
            continue
        passes.append(done[0])
        traffic.append(done[1])
        print(f"  pass {n + 1}/{repeats}: " + ", ".join(
            f"{k} {v:.0f}" for k, v in passes[-1].items() if v is not None), flush=True)
    return passes, traffic, failed


def _close_contexts(browser: Browser) -> None:
    """Close every browser profile a pass left open."""
    for context in browser.contexts:
        context.close()


def _keep_screenshots(browser: Browser, work: Path) -> None:
    """Save what each open page showed when a pass failed, say where, and close the pages."""
    for c, context in enumerate(browser.contexts):
        for p, page in enumerate(context.pages):
            try:
                page.screenshot(path=work / f"failed-{c}-{p}.png", full_page=True)
                state = page.evaluate("() => window.__bench && [window.__bench.clickAt, "
                                      "window.__bench.done, window.__bench.sawRun]")
                print(f"  page {page.url}: clicked at, marks, saw a run: {state}", flush=True)
            except PlaywrightError as exc:  # a page that crashed shows nothing
                print(f"  page {page.url}: no screenshot ({report.reason(exc)})", flush=True)
    print(f"  a pass failed; screenshots and process logs are in {work}", flush=True)
    _close_contexts(browser)


def _paired(passes: list[dict], key: str, ref: str) -> str:
    """The median over the passes of each pass's own ratio, which a machine whose load moves
    between passes disturbs less than the ratio of the medians."""
    ratios = [p[key] / p[ref] for p in passes if p.get(key) is not None and p.get(ref)]
    return f"{report.median(ratios):.2f}x" if ratios else ""


def ratio_rows(medians: dict, passes: list[dict]) -> tuple[list[list], dict]:
    """The table's rows (step, ms, reference, ratio of the medians, median of the passes'
    ratios, target, verdict) and the targets, each named "measured / reference", from one
    run's passes and their medians."""
    rows, targets = [], {}
    for name, key, ref, limit in ROWS:
        ratio = medians[key] / medians[ref] if medians[ref] else float("nan")
        verdict = "" if limit is None else ("met" if ratio <= limit else "MISSED")
        rows.append([name, medians[key], f"{ref} {medians[ref]:.0f}", f"{ratio:.2f}x",
                     _paired(passes, key, ref), f"<= {limit}x" if limit else "", verdict])
        if limit is not None:
            targets[f"{key} / {ref}"] = {"ratio": round(ratio, 2), "limit": limit}
    return rows, targets


def run(quick: bool = False) -> dict:
    """Benchmark 7: the one-button app, the floor and the demo side by side, one warm-up pass
    each, then the repeats."""
    repeats = 2 if quick else 5
    work = Path(tempfile.mkdtemp(prefix="storefront-browser-"))
    catalog = load_catalog(ROOT / "catalog" / "products.json", "INR")
    products = catalog.search()[:12]  # the shop's first page, Featured order
    servers = []
    try:
        servers += [start_bare_app(work), start_floor_app(work)]
        url, demo = start_demo(work)
        servers += demo
        urls = {"bare": servers[0].url, "floor": servers[1].url, "shop": url}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
            try:
                passes, traffic, failed = _passes(browser, urls, products, repeats, work)
            except Exception:
                _keep_screenshots(browser, work)
                raise
            browser.close()
    finally:
        stop_all(servers)
    title = (f"7. Browser, headless Chromium: median of {repeats} (ms; references: the floor "
             "and the one-button app, same run)")
    header = ["step", "ms", "reference ms", "ratio", "per pass", "target", "verdict"]
    failed_rows = [[why, "", "", "", "", "", "FAILED"] for why in failed]
    if not passes:
        print(report.table(title, header, failed_rows))
        report.save("browser", {"repeats": repeats, "failed_passes": failed})
        return {"repeats": repeats, "failed_passes": failed}
    medians = _median_by(passes)
    rows, targets = ratio_rows(medians, passes)
    print(report.table(title, header, rows + failed_rows))
    print()
    print(report.table("   What each step received over the WebSocket and fetched (median)",
                       ["step", "frames in", "KB in", "frames out", "HTTP requests"],
                       _traffic_rows(traffic)))
    results = {"repeats": repeats, "medians_ms": medians, "targets": targets, "passes": passes,
               "traffic": traffic, "failed_passes": failed}
    report.save("browser", results)
    return results

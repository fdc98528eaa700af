"""In-browser clocks for the browser benchmark: when a condition on the page first holds, timed
by the page itself (a MutationObserver and every animation frame), from the click that caused it
or from the navigation that loaded the document; and what the page sent and fetched meanwhile."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

# Runs in every document of the context before its own scripts. LOADS are conditions each
# document reports once, with its navigation start; arm() watches conditions after the next
# click. "rerun" holds once Streamlit's script state has gone to running and back.
_INIT_JS = """(() => {
  if (window.__bench) return;
  const now = () => performance.timeOrigin + performance.now();
  const report = (name, at) => window.__benchReport &&
    window.__benchReport(name, at, performance.timeOrigin, location.href);
  const compile = e => new Function('return (' + e + ')');
  const holds = f => { try { return !!f(); } catch (e) { return false; } };
  const loads = Object.entries(%LOADS%).map(([n, e]) => [n, compile(e)]);
  const B = window.__bench = {loads: {}, armed: null, clickAt: null, done: {}, sawRun: false};
  const state = () => document.querySelector('[data-testid=stApp]')
    ?.getAttribute('data-test-script-state');
  const check = () => {
    for (const [n, f] of loads) if (!(n in B.loads) && holds(f)) {
      B.loads[n] = now(); report(n, B.loads[n]);
    }
    if (!B.armed || B.clickAt === null) return;
    if (state() === 'running') B.sawRun = true;
    for (const [n, f] of B.armed) if (!(n in B.done) && holds(f)) B.done[n] = now();
    if (!('rerun' in B.done) && B.sawRun && state() === 'notRunning') B.done.rerun = now();
  };
  B.arm = conds => {
    B.armed = Object.entries(conds).map(([n, e]) => [n, compile(e)]);
    B.clickAt = null; B.done = {}; B.sawRun = false;
  };
  addEventListener('click', () => {
    const t = now();
    if (B.armed && B.clickAt === null) B.clickAt = t;
    report('click', t);
  }, true);
  // A rerun can start and end between two callbacks: the old values show it ran.
  new MutationObserver(records => {
    if (B.clickAt !== null && records.some(r => r.oldValue === 'running')) B.sawRun = true;
    check();
  }).observe(document, {subtree: true, childList: true, characterData: true, attributes: true,
                        attributeFilter: ['data-test-script-state'], attributeOldValue: true});
  const frame = () => { check(); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();"""


_SETTLED = ("document.querySelector('[data-testid=stApp]')"
            "?.getAttribute('data-test-script-state') === 'notRunning'")


@dataclass
class Traffic:
    """What the browser sent and fetched: WebSocket frames and bytes each way, HTTP requests by
    kind (Streamlit media files, the static folder, everything else)."""

    frames_in: int = 0
    bytes_in: int = 0
    frames_out: int = 0
    bytes_out: int = 0
    requests: dict = field(default_factory=dict)
    media_urls: list = field(default_factory=list)

    def snapshot(self) -> dict:
        """A copy of the counts so far."""
        return {"frames_in": self.frames_in, "bytes_in": self.bytes_in,
                "frames_out": self.frames_out, "bytes_out": self.bytes_out,
                "requests": dict(self.requests), "media": len(self.media_urls)}

    def since(self, before: dict) -> dict:
        """The counts added since a snapshot."""
        now = self.snapshot()
        kinds = set(now["requests"]) | set(before["requests"])
        return {**{k: now[k] - before[k] for k in now if k != "requests"},
                "requests": {k: now["requests"].get(k, 0) - before["requests"].get(k, 0)
                             for k in sorted(kinds)}}


class Marks:
    """The marks every document of one browser context reports, and its traffic."""

    def __init__(self, context: BrowserContext, loads: dict[str, str]):
        self.reports: list[tuple[str, float, float, str]] = []
        self.traffic = Traffic()
        context.expose_function("__benchReport", self._report)
        context.add_init_script(_INIT_JS.replace("%LOADS%", json.dumps(loads)))
        context.on("request", self._request)
        context.on("page", self._watch_sockets)

    def _report(self, name: str, at: float, origin: float, href: str) -> None:
        self.reports.append((name, at, origin, href))

    def _request(self, request) -> None:
        path = urlsplit(request.url).path
        kind = ("media" if path.startswith("/media/") else
                "static folder" if path.startswith("/app/static/") else "other")
        self.traffic.requests[kind] = self.traffic.requests.get(kind, 0) + 1
        if kind == "media":
            self.traffic.media_urls.append(path)

    def _watch_sockets(self, page: Page) -> None:
        page.on("websocket", self._socket)

    def _socket(self, ws) -> None:
        def received(payload) -> None:
            self.traffic.frames_in += 1
            self.traffic.bytes_in += len(payload)

        def sent(payload) -> None:
            self.traffic.frames_out += 1
            self.traffic.bytes_out += len(payload)

        ws.on("framereceived", received)
        ws.on("framesent", sent)

    def wait_report(self, page: Page, name: str, after: float = 0.0,
                    timeout: float = 60) -> tuple[float, float]:
        """(time, navigation start) of the first report of name made after the epoch ms `after`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for got, at, origin, _href in self.reports:
                if got == name and at > after:
                    return at, origin
            page.wait_for_timeout(10)
        raise TimeoutError(f"the page never showed {name!r} within {timeout:.0f} s")

    def load_ms(self, page: Page, url: str, name: str) -> float:
        """Open url in page; milliseconds from navigation start until condition name holds."""
        self.reports.clear()
        page.goto(url)
        at, origin = self.wait_report(page, name)
        return at - origin

    def action(self, page: Page, conds: dict[str, str], do, settle: bool = True
               ) -> tuple[dict[str, float], dict]:
        """Arm conds, call do() (which clicks once), and return the milliseconds from that click
        until each condition (and the rerun's end, "rerun") held, and the traffic meanwhile
        (counted until the rerun ended and the socket was quiet for 300 ms, with settle)."""
        # A click while the page's own run is still going can be lost on a fresh session.
        page.wait_for_function(f"() => {_SETTLED}", timeout=60_000)
        self.quiet(page)
        page.evaluate("conds => window.__bench.arm(conds)", conds)
        before = self.traffic.snapshot()
        do()
        page.wait_for_function("names => window.__bench.clickAt !== null && "
                               "names.every(n => n in window.__bench.done)", arg=list(conds),
                               timeout=60_000)
        if settle:
            # React can draw "running" and "notRunning" in one commit, so the rerun's end is
            # not always seen: then it is left out of that step's median.
            try:
                page.wait_for_function("() => 'rerun' in window.__bench.done", timeout=3_000)
            except PlaywrightTimeout:
                pass
            self.quiet(page)
        click, done = page.evaluate("() => [window.__bench.clickAt, window.__bench.done]")
        return {n: at - click for n, at in done.items()}, self.traffic.since(before)

    def quiet(self, page: Page, for_ms: int = 300, timeout: float = 5) -> None:
        """Wait until no WebSocket frame has arrived for for_ms (or timeout seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = self.traffic.frames_in
            page.wait_for_timeout(for_ms)
            if self.traffic.frames_in == seen:
                return

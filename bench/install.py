"""Benchmark 8 (issue 25): a learner's first install, pip against uv as run.py does it (pip puts
uv into the venv, then uv installs), each into a fresh venv with no cache, in the same run; and
the demo's first page from each venv, with bytecode compiled at install or left to first use."""
from __future__ import annotations

import os
import tempfile
import time
import venv
from pathlib import Path

from bench import report
from devtools.venv_install import install_with_pip, install_with_uv
from tools.requirements_files import installer, load_project

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
TARGET = 0.3  # uv's install time as a share of pip's
# (name, installer, uv's --compile-bytecode): each gets a fresh venv of its own.
WAYS = (("pip", "pip", False), ("uv", "uv", False), ("uv, bytecode compiled", "uv", True))


def _python(venv_dir: Path) -> Path:
    """The interpreter of a venv."""
    return venv_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _fresh_install(work: Path, tool: str, compile_bytecode: bool) -> dict:
    """Make a venv under work and install requirements.txt with tool, caches off; seconds for
    the venv and for the install."""
    started = time.perf_counter()
    venv.EnvBuilder(with_pip=True).create(work)
    made = time.perf_counter()
    python = _python(work)
    if tool == "pip":
        code = install_with_pip(python, REQUIREMENTS, no_cache=True)
    else:
        code, why = install_with_uv(python, REQUIREMENTS, installer(load_project(ROOT)),
                                    no_cache=True, compile_bytecode=compile_bytecode)
        if code:
            raise RuntimeError(f"uv did not install: {why}")
    if code:
        raise RuntimeError(f"pip exited with {code}")
    return {"venv_s": round(made - started, 1),
            "install_s": round(time.perf_counter() - made, 1), "python": str(python)}


def _first_page_ms(python: str, work: Path) -> float:
    """From starting the demo with python (sandbox, sidecar, Streamlit) until a fresh Chromium
    shows the shop's grid; milliseconds."""
    from playwright.sync_api import sync_playwright

    from bench.browser_conditions import GRID
    from bench.browser_stack import start_demo, stop_all
    from harness.chromium import CHROMIUM, LAUNCH_ARGS

    work.mkdir(parents=True)
    started = time.perf_counter()
    url, servers = start_demo(work, python)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
            page = browser.new_page()
            page.goto(url + "/", timeout=120_000)
            page.wait_for_function(GRID, timeout=120_000)
            shown = time.perf_counter()
            browser.close()
    finally:
        stop_all(servers)
    return round((shown - started) * 1000)


def run(quick: bool = False) -> dict:
    """Benchmark 8: the three installs, then the first page from each uv venv (the one without
    bytecode twice: its first start writes it)."""
    work = Path(tempfile.mkdtemp(prefix="storefront-install-"))
    installs = {}
    for name, tool, compiled in WAYS:
        print(f"  installing requirements.txt: {name} ...", flush=True)
        installs[name] = _fresh_install(work / name.replace(", ", "-").replace(" ", "-"),
                                        tool, compiled)
    ratio = installs["uv"]["install_s"] / installs["pip"]["install_s"]
    rows = [[name, i["venv_s"], i["install_s"],
             f"{i['install_s'] / installs['pip']['install_s']:.2f}x"]
            for name, i in installs.items()]
    print(report.table("8. First install of requirements.txt, fresh venv, no cache (s)",
                       ["installer", "venv s", "install s", "vs pip"], rows))
    pages = {}
    for label, name in (("uv, no bytecode: first start", "uv"),
                        ("uv, no bytecode: second start", "uv"),
                        ("uv, bytecode compiled: first start", "uv, bytecode compiled")):
        pages[label] = _first_page_ms(installs[name]["python"],
                                      work / f"page-{len(pages)}")
    print()
    print(report.table("   Start to the shop's grid in Chromium (ms; sandbox, sidecar, Streamlit)",
                       ["venv", "ms"], [[k, v] for k, v in pages.items()]))
    results = {"installs": installs, "uv_to_pip": round(ratio, 2), "target": TARGET,
               "first_page_ms": pages, "load": os.getloadavg()[0] if hasattr(os, "getloadavg")
               else None}
    report.save("install", results)
    return results

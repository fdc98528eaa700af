"""Tables for the terminal, JSON files in bench/results/, and a description of the machine."""
from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    """CPU model, core count, memory, OS and Python: what the numbers were measured on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                      .splitlines() if line.startswith("MemTotal"))
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    return {"cpu": model or platform.processor(), "cores": os.cpu_count(),
            "memory_gb": round(mem_kb / 2**20, 1), "os": platform.platform(),
            "python": platform.python_version()}


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of values, or 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    """The median, or 0.0 for none."""
    return statistics.median(values) if values else 0.0


def table(title: str, header: list[str], rows: list[list]) -> str:
    """A plain text table with right-aligned numbers."""
    cells = [[_text(c) for c in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [title, "-" * len(title)]
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _text(value) -> str:
    """Numbers with sensible precision, everything else as str."""
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def reason(exc: BaseException) -> str:
    """An exception in one line, for a table: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def retried(what: str, attempt: Callable[[], T],
            cleanup: Callable[[], None] | None = None) -> tuple[T | None, str]:
    """Run attempt, and once more when it raises (after cleanup, if given): (its result, '') or
    (None, why the second try failed). Each failure is printed as it happens."""
    why = ""
    for tries in (1, 2):
        try:
            return attempt(), ""
        except Exception as exc:  # a benchmark's failure is reported, never the end of the run
            why = reason(exc)
            print(f"  {what} failed (try {tries} of 2): {why}", flush=True)
            if cleanup is not None:
                cleanup()
    return None, why


def save(name: str, data: dict) -> Path:
    """Write one benchmark's results (with the machine) to bench/results/<name>-<time>.json."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"benchmark": name, "machine": machine(), **data}, indent=2,
                               default=str))
    return path

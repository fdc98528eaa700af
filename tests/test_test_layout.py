"""The tests and benchmarks keep their house rules: no test module imports another test module,
bench/ and harness/ import nothing of tests/, and no test module reads the catalog at import."""
from __future__ import annotations

import ast
from pathlib import Path

from lib.config.settings import ROOT


def modules(folder: str) -> list[Path]:
    """Every Python file under a folder of the project."""
    return sorted((ROOT / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """The module names a file imports, anywhere in it."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_test_module_imports_another():
    offenders = {str(p.relative_to(ROOT)): sorted(n for n in imported(p)
                                                  if n.rpartition(".")[2].startswith("test_"))
                 for p in modules("tests")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_bench_and_harness_import_nothing_of_tests():
    offenders = {str(p.relative_to(ROOT)): sorted(n for n in imported(p)
                                                  if n == "tests" or n.startswith("tests."))
                 for p in modules("bench") + modules("harness")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_test_module_loads_the_catalog_at_import():
    offenders = []
    for path in modules("tests"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and any(
                    getattr(c.func, "id", getattr(c.func, "attr", "")) == "load_catalog"
                    for c in calls):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []

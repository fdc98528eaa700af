"""lib/'s import graph keeps its shape: few nodes, no circle, every arrow pointing down the
layers below, ports that name no adapter, and no UI in lib or adapter in the UI.

A node is a sub-package of lib/ (lib.checkout) or a root module (lib.clock). lib/stores/ is
three kinds of node: the ports (lib/stores/*.py), the adapters (lib.stores.sqlite and
lib.stores.firestore) and the factory (lib.stores.factory), the one module that picks an
adapter from the settings. An import anywhere in a file (inside a function too) is an edge.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lib.config.settings import ROOT

# The layers, lowest first: a node imports only nodes in layers below its own.
LAYERS = (
    ("lib.clock",),                                 # the real clock
    ("lib.shop",),                                  # money, the catalog, the basket rules
    ("lib.config",),                                # settings and where files live
    ("lib.orders",),                                # the order, the stored order, sales
    ("lib.stores",),                                # the ports and their errors
    ("lib.stores.sqlite", "lib.stores.firestore"),  # the adapters, one per port
    ("lib.stores.factory",),                        # picks the adapters from settings
    ("lib.shoppers",),                              # who is shopping, who may present
    ("lib.checkout",),                              # the session, the return, fulfilment
    ("lib.webhooks",),                              # verify, inbox, workers, refunds
    ("lib.presenter", "lib.setup_check", "lib.learn"),  # what the presenter pages, the Setup
                                                        # check and the tutorial page read
    ("lib.services",),                              # the composition root
)
LAYER = {node: depth for depth, nodes in enumerate(LAYERS) for node in nodes}
ADAPTERS = ("lib.stores.sqlite", "lib.stores.firestore")
MAX_NODES = 15


def python_files(*places: str) -> list[Path]:
    """Every Python file at or under these places in the repository."""
    found: list[Path] = []
    for place in places:
        path = ROOT / place
        found += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return found


def module_name(path: Path) -> str:
    """The dotted module name of a file in the repository."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The modules a file imports, anywhere in it; `from a import b` names a.b too, since b
    may be a module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def node_of(module: str) -> str | None:
    """The graph node a lib module belongs to (None outside lib, or for lib itself)."""
    parts = module.split(".")
    if parts[0] != "lib" or len(parts) < 2:
        return None
    if parts[1] == "stores" and len(parts) > 2 and parts[2] in ("sqlite", "firestore",
                                                                 "factory"):
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def is_lib_module(module: str) -> bool:
    """Whether a dotted name is a module or package in lib/ (not a name inside one)."""
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    """{node: the nodes it imports} for every node of lib/."""
    edges: dict[str, set[str]] = {}
    for path in python_files("lib"):
        source = node_of(module_name(path))
        if source is None:
            continue
        targets = {node_of(name) for name in imports(path) if is_lib_module(name)}
        edges.setdefault(source, set()).update(targets - {None, source})
    return edges


def cycle(edges: dict[str, set[str]]) -> list[str]:
    """One circle in the graph, as the nodes along it, or [] when there is none."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = "done"
        path.pop()
        return []

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_lib_has_few_nodes_and_each_has_a_layer():
    nodes = set(graph())
    assert len(nodes) <= MAX_NODES, sorted(nodes)
    assert nodes <= set(LAYER), f"give these a layer in LAYERS: {sorted(nodes - set(LAYER))}"


def test_lib_has_no_circle():
    assert cycle(graph()) == []


def test_every_import_points_to_a_lower_layer():
    upward = sorted(f"{source} -> {target}" for source, targets in graph().items()
                    for target in targets if LAYER[target] >= LAYER[source])
    assert upward == []


def test_a_circle_is_found_where_there_is_one():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set(), "c": {"a"}}) == []


def test_the_ports_name_no_adapter():
    ports = [p for p in python_files("lib/stores") if p.parent.name == "stores"
             and p.name != "factory.py"]
    assert len(ports) >= 7, [p.name for p in ports]
    named = {p.name: sorted(n for n in imports(p) if n.startswith(ADAPTERS)) for p in ports}
    assert {name: found for name, found in named.items() if found} == {}


@pytest.mark.parametrize("forbidden", ["streamlit", "flask", "ui", "pages", "webhook_server"])
def test_lib_imports_no_ui_and_no_web_framework(forbidden):
    found = {str(p.relative_to(ROOT)) for p in python_files("lib")
             if any(n == forbidden or n.startswith(forbidden + ".") for n in imports(p))}
    assert found == set()


def test_the_app_and_the_sidecar_name_no_adapter():
    found = {str(p.relative_to(ROOT)): sorted(n for n in imports(p) if n.startswith(ADAPTERS))
             for p in python_files("streamlit_app.py", "pages", "ui", "webhook_server")}
    assert {name: named for name, named in found.items() if named} == {}


@pytest.mark.parametrize("library, home", [("firebase_admin", "lib/stores/firestore"),
                                           ("google", "lib/stores/firestore"),
                                           ("sqlite3", "lib/stores/sqlite")])
def test_a_database_library_is_imported_only_by_its_adapters(library, home):
    found = {str(p.relative_to(ROOT)) for p in python_files("lib", "ui", "pages",
                                                            "webhook_server", "streamlit_app.py")
             if any(n == library or n.startswith(library + ".") for n in imports(p))}
    assert {path for path in found if not path.startswith(home + "/")} == set()

"""Definitions read from the project's files with ast: where a name is defined and its source."""
from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Definition:
    """One module-level def, class or assignment (or a method, Class.method) in a file."""

    path: str  # relative to the project root, with forward slashes
    name: str  # the qualified name: start_checkout, InboxWorkers.start, HTTP_STATUS
    first_line: int  # the first decorator's line, else the definition's own (1-based)
    last_line: int
    source: str  # the lines first_line..last_line, dedented


def _names(node: ast.stmt) -> list[str]:
    """The names a module- or class-level statement defines."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [target.id for target in node.targets if isinstance(target, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _walk(body: list[ast.stmt], prefix: str = ""):
    """(qualified name, node) for every definition in a body and in its classes' bodies."""
    for node in body:
        for name in _names(node):
            yield prefix + name, node
        if isinstance(node, ast.ClassDef):
            yield from _walk(node.body, f"{prefix}{node.name}.")


@lru_cache(maxsize=256)
def _definitions(file: Path, modified_ns: int) -> dict[str, Definition]:
    """Every definition in one file, read once per version of the file (its mtime)."""
    text = file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    found: dict[str, Definition] = {}
    for name, node in _walk(ast.parse(text, filename=str(file)).body):
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        source = textwrap.dedent("".join(lines[first - 1:node.end_lineno]))
        # A name defined twice is the later definition at run time, as inspect would find it.
        found[name] = Definition("", name, first, node.end_lineno, source)
    return found


def definitions(root: Path, path: str) -> dict[str, Definition]:
    """Every definition in root/path by qualified name ({} for a file that is not Python)."""
    file = root / path
    if file.suffix != ".py" or not file.is_file():
        return {}
    return {name: Definition(path, name, d.first_line, d.last_line, d.source)
            for name, d in _definitions(file, file.stat().st_mtime_ns).items()}


def find_definition(root: Path, path: str, name: str) -> Definition | None:
    """The definition of name (or Class.method) in root/path, or None if the file has none."""
    return definitions(root, path).get(name)

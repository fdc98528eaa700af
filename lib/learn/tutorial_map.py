"""docs/tutorial.md read as data: its nineteen steps, each with the code its Where names.

In the step's **Where:** part, a reference written `path::name` (a file and a function, class,
method `Class.method` or module-level assignment in it) is code the app shows under the step.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lib.config.settings import ROOT
from lib.learn.sources import Definition, find_definition

TUTORIAL = "docs/tutorial.md"
# `lib/checkout/session.py::start_checkout`: a Python file of the project, then a name in it.
CODE_REFERENCE = re.compile(r"`([\w./-]+\.py)::([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)`")
STEP_HEADING = re.compile(r"^### Step (\d+) — (.+)$", re.MULTILINE)
HEADING = re.compile(r"^#{2,3} ", re.MULTILINE)
WHERE, WHAT_CHANGED = "**Where:**", "**What changed:**"


@dataclass(frozen=True)
class CodeRef:
    """A definition the map points at: a project file and a name defined in it."""

    path: str
    name: str


@dataclass(frozen=True)
class Step:
    """One tutorial step: its number, title, its Markdown and the code its Where names."""

    number: int
    title: str
    markdown: str
    code: tuple[CodeRef, ...]


@dataclass(frozen=True)
class Tutorial:
    """The map: the text before the steps, the steps, and the text after them."""

    intro: str
    steps: tuple[Step, ...]
    outro: str


def where_part(section: str) -> str:
    """The Where part of a step's Markdown: from **Where:** up to **What changed:**."""
    start = section.find(WHERE)
    if start < 0:
        return ""
    end = section.find(WHAT_CHANGED, start)
    return section[start:end if end >= 0 else len(section)]


def code_refs(markdown: str) -> tuple[CodeRef, ...]:
    """Every `path::name` reference in the text, once each, in order of first appearance."""
    found = dict.fromkeys(CodeRef(path, name) for path, name in CODE_REFERENCE.findall(markdown))
    return tuple(found)


def parse_tutorial(text: str) -> Tutorial:
    """Split the map's Markdown into the intro, the steps (each up to the next heading of
    level 2 or 3) and the outro (what follows the last step); together they are the whole text."""
    headings = [m.start() for m in HEADING.finditer(text)] + [len(text)]
    matches = list(STEP_HEADING.finditer(text))
    if not matches:
        return Tutorial(text, (), "")
    steps, outro_at = [], len(text)
    for match in matches:
        end = next(at for at in headings if at > match.start())
        section = text[match.start():end]
        steps.append(Step(int(match.group(1)), match.group(2).strip(), section,
                          code_refs(where_part(section))))
        outro_at = end
    return Tutorial(text[:matches[0].start()], tuple(steps), text[outro_at:])


@lru_cache(maxsize=4)
def _parsed(file: Path, modified_ns: int) -> Tutorial:
    """The map, parsed once per version of the file."""
    return parse_tutorial(file.read_text(encoding="utf-8"))


def read_tutorial(root: Path = ROOT) -> Tutorial:
    """docs/tutorial.md as it is on disk now."""
    file = root / TUTORIAL
    return _parsed(file, file.stat().st_mtime_ns)


def step_code(step: Step, root: Path = ROOT) -> list[tuple[CodeRef, Definition | None]]:
    """Each reference of the step with its definition as the file holds it now (None when the
    file no longer defines it: the docs-reference test fails then)."""
    return [(ref, find_definition(root, ref.path, ref.name)) for ref in step.code]

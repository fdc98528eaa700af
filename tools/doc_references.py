"""Check that every code reference in the project's Markdown is true: `python -m tools.doc_references`.

The grammar (docs/testing.md, "Keeping the docs true"), outside fenced code blocks:
- an inline code span whose first path segment is a top-level entry git tracks
  (`lib/checkout/session.py`, `webhook_server/`, `docs/*.md`) must exist, unless git ignores
  it (`.streamlit/secrets.toml`, `bench/results/`: made by the user or by a run);
- `path::name` (`lib/checkout/session.py::start_checkout`, `lib/webhooks/workers.py::
  InboxWorkers.start`): the Python file must define name at module level, or Class.method;
- a Python file's span followed, with only spaces or an opening parenthesis between, by a span
  holding a name (`lib/stores/factory.py` `make_order_store(settings)`): the same;
- a dotted name starting with a top-level package (`lib.webhooks.events.verify`,
  `ui.markdown_text.md_text`): the longest prefix that is a module must define the rest;
- a Markdown link or an HTML src to a relative target must exist, and a #fragment in a link
  to a Markdown file must be one of its headings.
"""
from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lib.config.settings import ROOT
from lib.learn.sources import find_definition
from lib.learn.tutorial_map import CODE_REFERENCE

DOCUMENTS = ("README.md", "SECURITY.md", "bench/README.md", "docs/*.md")
# An inline code span: a run of backticks, then text up to a run of as many (CommonMark).
SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
PATH = re.compile(r"[\w.*-]+(?:/[\w.*-]*)*")
NAME = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:\(.*\))?")
BETWEEN = re.compile(r"\s*\(?")  # what may stand between a file's span and its name's span
LINK = re.compile(r"\]\(([^)\s]+)\)|\bsrc=\"([^\"]+)\"")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Problem:
    """One broken reference: where it is written, what it says, and why it is wrong."""

    document: str
    line: int
    reference: str
    why: str

    def __str__(self) -> str:
        return f"{self.document}:{self.line}: {self.reference}: {self.why}"


@lru_cache(maxsize=4)
def tracked_top_level(root: Path) -> frozenset[str]:
    """The first path segment of every file git tracks (lib, docs, run.py, .env.example, ...)."""
    files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True,
                           check=True).stdout.split()
    return frozenset(name.split("/", 1)[0] for name in files)


def ignored(root: Path, path: str) -> bool:
    """Whether git ignores the path: a place the user or a run makes, not part of the code."""
    return subprocess.run(["git", "check-ignore", "-q", path], cwd=root).returncode == 0


def prose(text: str) -> str:
    """The text with every fenced code block blanked out (its lines kept, so line numbers hold)."""
    lines, fenced = text.split("\n"), False
    for n, line in enumerate(lines):
        if FENCE.match(line):
            fenced, lines[n] = not fenced, ""
        elif fenced:
            lines[n] = ""
    return "\n".join(lines)


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to -."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every heading anchor of a Markdown text (a repeated heading gets -1, -2, ...)."""
    found: set[str] = set()
    for line in prose(text).split("\n"):
        if match := re.match(r"#{1,6} (.+)", line):
            base = anchor = slug(match.group(1))
            n = 0
            while anchor in found:
                n += 1
                anchor = f"{base}-{n}"
            found.add(anchor)
    return found


def _path_problem(root: Path, path: str) -> str:
    """Why a repository path is wrong, or '' when it exists (or git ignores it)."""
    exists = any(root.glob(path.rstrip("/"))) if "*" in path else (root / path).exists()
    return "" if exists or ignored(root, path) else "no such file or folder"


def _name_problem(root: Path, path: str, name: str) -> str:
    """Why path does not define name, or ''."""
    if not (root / path).is_file():
        return "no such file"
    return "" if find_definition(root, path, name) else f"{path} defines no {name}"


def _module_problem(root: Path, dotted: str) -> str:
    """Why a dotted name (package.module.Name) is wrong, or '' when a module defines it."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        base = "/".join(parts[:cut])
        for path in (f"{base}.py", f"{base}/__init__.py"):
            if (root / path).is_file():
                rest = ".".join(parts[cut:])
                return _name_problem(root, path, rest) if rest else ""
    return "no such module"


def _package(root: Path, first: str) -> bool:
    """Whether a top-level name is one of the project's Python packages."""
    return first in tracked_top_level(root) and (root / first / "__init__.py").is_file()


def check_markdown(text: str, document: str, root: Path = ROOT) -> list[Problem]:
    """Every broken reference in one Markdown text, written at root/document."""
    body, problems = prose(text), []

    def report(at: int, reference: str, why: str) -> None:
        if why:
            problems.append(Problem(document, body.count("\n", 0, at) + 1, reference, why))

    spans = list(SPAN.finditer(body))
    for n, span in enumerate(spans):
        value = span.group(2).strip()
        if code := CODE_REFERENCE.fullmatch(f"`{value}`"):
            report(span.start(), value, _path_problem(root, code.group(1))
                   or _name_problem(root, code.group(1), code.group(2)))
        elif PATH.fullmatch(value) and value.split("/", 1)[0] in tracked_top_level(root):
            report(span.start(), value, _path_problem(root, value))
            after = spans[n + 1] if n + 1 < len(spans) else None
            name = NAME.fullmatch(after.group(2).strip()) if after else None
            if (value.endswith(".py") and name and (root / value).is_file()
                    and BETWEEN.fullmatch(body[span.end():after.start()])):
                report(after.start(), f"{value} {name.group(1)}",
                       _name_problem(root, value, name.group(1)))
        elif (name := NAME.fullmatch(value)) and "." in value and _package(root, value.split(".")[0]):
            report(span.start(), value, _module_problem(root, name.group(1)))
    for link in LINK.finditer(re.sub(SPAN, lambda m: " " * len(m.group(0)), body)):
        target = link.group(1) or link.group(2)
        if re.match(r"[a-z]+:", target):
            continue
        file_part, _, fragment = target.partition("#")
        if not file_part:
            report(link.start(), target, "" if fragment in anchors(text)
                   else f"no heading #{fragment} here")
            continue
        where = ((root / document).parent / file_part).resolve()
        if not where.is_relative_to(root.resolve()):
            report(link.start(), target, "outside the repository")
        elif why := _path_problem(root, where.relative_to(root.resolve()).as_posix()):
            report(link.start(), target, why)
        elif (fragment and where.suffix == ".md"
              and fragment not in anchors(where.read_text(encoding="utf-8"))):
            report(link.start(), target, f"no heading #{fragment} in {where.name}")
    return problems


def documents(root: Path = ROOT, patterns: tuple[str, ...] = DOCUMENTS) -> list[str]:
    """The Markdown documents checked, relative to root."""
    return [file.relative_to(root).as_posix()
            for pattern in patterns for file in sorted(root.glob(pattern))]


def check_documents(root: Path = ROOT, patterns: tuple[str, ...] = DOCUMENTS) -> list[Problem]:
    """Every broken reference in the project's Markdown documents."""
    problems = []
    for document in documents(root, patterns):
        problems += check_markdown((root / document).read_text(encoding="utf-8"), document, root)
    return problems


def main() -> int:
    """Print every broken reference; exit 1 if there is any."""
    problems = check_documents()
    for problem in problems:
        print(problem)
    print(f"{len(problems)} broken reference(s)" if problems else "every reference is true")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

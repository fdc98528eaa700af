"""docs/tutorial.md read as data (lib/learn/tutorial_map.py) and definitions read from files
with ast (lib/learn/sources.py), checked against what inspect finds in the imported code."""
from __future__ import annotations

import inspect
import os
import textwrap

from lib.config.settings import ROOT
from lib.learn.sources import find_definition
from lib.learn.tutorial_map import CodeRef, parse_tutorial, read_tutorial, step_code
from lib.shop.catalog import Catalog
from lib.webhooks.workers import InboxWorkers

MAP = """# A map

Intro text.

## The steps

### Step 1 — keys
**Where:** `lib/config/settings.py::load_settings`, also `lib/config/settings.py` `ROOT`.

**What changed:** see `lib/shop/money.py::to_minor` (not under Where: not shown).

### Step 2 — nothing
**Where:** nowhere.

### Step 3 — twice
**Where:** `lib/shop/money.py::to_minor` and `lib/shop/money.py::to_minor` again.

## After the steps

The end.
"""


def test_the_map_splits_into_intro_steps_and_outro_and_loses_nothing():
    tutorial = parse_tutorial(MAP)
    assert tutorial.intro.startswith("# A map") and tutorial.intro.endswith("## The steps\n\n")
    assert [(s.number, s.title) for s in tutorial.steps] == [(1, "keys"), (2, "nothing"),
                                                              (3, "twice")]
    assert tutorial.outro == "## After the steps\n\nThe end.\n"
    assert tutorial.intro + "".join(s.markdown for s in tutorial.steps) + tutorial.outro == MAP


def test_only_path_and_name_references_under_where_are_code_to_show():
    one, two, three = parse_tutorial(MAP).steps
    assert one.code == (CodeRef("lib/config/settings.py", "load_settings"),)
    assert two.code == ()
    assert three.code == (CodeRef("lib/shop/money.py", "to_minor"),)


def test_the_real_map_has_nineteen_steps_in_order_and_shows_all_of_itself():
    text = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    tutorial = read_tutorial()
    assert [step.number for step in tutorial.steps] == list(range(1, 20))
    assert tutorial.intro + "".join(s.markdown for s in tutorial.steps) + tutorial.outro == text
    for step in tutorial.steps:
        assert all(definition for _, definition in step_code(step)), step.number


def test_step_18_names_the_inbox_and_all_six_parts():
    step = read_tutorial().steps[17]
    assert "inbox" in step.markdown and "answers first" in step.markdown
    for part in range(1, 7):
        assert f"\n{part}. *" in step.markdown, part
    names = {ref.name for ref in step.code}
    assert {"verify", "accept_webhook", "work_one", "handle_event", "fulfil_checkout"} <= names


def test_a_definition_is_what_inspect_finds_decorators_and_methods_included():
    catalog = find_definition(ROOT, "lib/shop/catalog.py", "Catalog")
    assert catalog.source == inspect.getsource(Catalog)
    assert catalog.source.startswith("@dataclass")
    start = find_definition(ROOT, "lib/webhooks/workers.py", "InboxWorkers.start")
    assert start.source == textwrap.dedent(inspect.getsource(InboxWorkers.start))
    lines = inspect.getsourcelines(InboxWorkers.start)
    assert (start.first_line, start.last_line) == (lines[1], lines[1] + len(lines[0]) - 1)


def test_assignments_are_definitions_and_imports_are_not():
    status = find_definition(ROOT, "webhook_server/routes.py", "HTTP_STATUS")
    assert status.source.startswith("HTTP_STATUS = {")
    assert find_definition(ROOT, "lib/setup_check/__init__.py", "run_all") is None
    assert find_definition(ROOT, "lib/shop/catalog.py", "nothing_of_that_name") is None
    assert find_definition(ROOT, "catalog/products.json", "anything") is None
    assert find_definition(ROOT, "lib/nowhere.py", "anything") is None


def test_a_changed_file_is_read_again(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def shown():\n    return 1\n")
    assert find_definition(tmp_path, "module.py", "shown").source.endswith("return 1\n")
    module.write_text("def shown():\n    return 2\n")
    stamp = module.stat().st_mtime_ns
    os.utime(module, ns=(stamp + 1_000_000, stamp + 1_000_000))
    assert find_definition(tmp_path, "module.py", "shown").source.endswith("return 2\n")

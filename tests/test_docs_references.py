"""Every code reference in the project's Markdown is true (tools/doc_references.py), and the
checker itself fails on each kind of broken reference it knows."""
from __future__ import annotations

import ast
import subprocess

import pytest

from lib.config.settings import ROOT
from tools.doc_references import check_documents, check_markdown, documents, slug


def problems(text: str, document: str = "docs/example.md") -> list[str]:
    """The references check_markdown reports in a text written at document."""
    return [problem.reference for problem in check_markdown(text, document, ROOT)]


def test_every_reference_in_the_documents_is_true():
    assert [str(problem) for problem in check_documents()] == []


def test_the_readme_and_every_docs_page_are_checked():
    checked = set(documents())
    assert {"README.md", "SECURITY.md", "bench/README.md"} <= checked
    assert {f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md")} <= checked
    assert {"docs/tutorial.md", "docs/testing.md", "docs/architecture.md"} <= checked


@pytest.mark.parametrize("text, broken", [
    ("See `lib/checkout/nowhere.py`.", "lib/checkout/nowhere.py"),
    ("See `docs/nowhere/`.", "docs/nowhere/"),
    ("See `docs/*.nothing`.", "docs/*.nothing"),
    ("`lib/checkout/session.py::no_such_function`", "lib/checkout/session.py::no_such_function"),
    ("`lib/webhooks/workers.py::InboxWorkers.no_such_method`",
     "lib/webhooks/workers.py::InboxWorkers.no_such_method"),
    ("`lib/checkout/nowhere.py::start_checkout`", "lib/checkout/nowhere.py::start_checkout"),
    ("`lib/checkout/session.py` `no_such_function(basket)`",
     "lib/checkout/session.py no_such_function"),
    ("`lib/checkout/session.py`\n(`no_such_function`)", "lib/checkout/session.py no_such_function"),
    # An import is not a definition: the learner must find the code in the file named.
    ("`lib/setup_check/__init__.py::run_all`", "lib/setup_check/__init__.py::run_all"),
    ("`lib.checkout.session.no_such_function`", "lib.checkout.session.no_such_function"),
    ("`lib.no_such_module.thing`", "lib.no_such_module.thing"),
    ("[the guide](nowhere.md)", "nowhere.md"),
    ("[the guide](deploy.md#no-such-heading)", "deploy.md#no-such-heading"),
    ("[up](../../outside.md)", "../../outside.md"),
    ('<img src="pictures/nothing.png" alt="">', "pictures/nothing.png"),
])
def test_a_broken_reference_is_reported(text, broken):
    assert problems(text) == [broken]


def test_true_references_of_every_kind_pass():
    text = "\n".join([
        "`lib/checkout/session.py`, `webhook_server/`, `docs/*.md`, `run.py`",
        "`lib/checkout/session.py::start_checkout`, `lib/webhooks/workers.py::InboxWorkers.start`",
        "`webhook_server/routes.py::HTTP_STATUS` (an assignment), "
        "`lib/config/settings.py::Settings.webhook_port` (a class attribute)",
        "`lib/checkout/session.py` `start_checkout(...)` and `lib/config/settings.py` (`load_settings`)",
        "`lib.webhooks.events.verify`, `ui.markdown_text.md_text`, `lib.checkout`",
        "[deploy](deploy.md#5-replicas), [self](#a-heading), [bench](../bench/README.md)",
        '<img src="pictures/shop-desktop.png" alt="">, [Stripe](https://docs.stripe.com)',
        "## A heading",
    ])
    assert problems(text) == []


def test_what_is_not_a_reference_is_left_alone():
    text = "\n".join([
        # Places you or a run make (git ignores them), and prose that only looks like a path.
        "`.streamlit/secrets.toml`, `bench/results/`, `test-artifacts/axe/`, `.env`",
        "`users/{email}/orders/{session_id}`, `sales_rollup/{day}`, `DATA_DIR/app_secret`",
        "`pages/basket.py`: `st.link_button(...)` (a colon: not the file's name)",
        "`` `lib/nowhere.py` `` (an example, in a double-backtick span)",
        "```bash",
        "python run.py test lib/nowhere.py   # inside a fenced block",
        "```",
    ])
    assert problems(text) == []


def test_a_problem_names_its_line():
    (problem,) = check_markdown("one\n\ntwo `lib/nowhere.py`\n", "docs/x.md", ROOT)
    assert (problem.document, problem.line, problem.why) == ("docs/x.md", 3,
                                                             "no such file or folder")


def test_anchors_are_githubs():
    assert slug("5. Replicas") == "5-replicas"
    assert slug("Correct where money and orders are concerned") == (
        "correct-where-money-and-orders-are-concerned")
    assert slug("Step 8 — `stripe.checkout.sessions.create(...)`") == (
        "step-8--stripecheckoutsessionscreate")


def test_only_the_firestore_adapters_import_firebase_admin():
    # docs/tutorial.md (step 16) and docs/architecture.md say so.
    importers = []
    # The project's own files, tracked or new: never what git ignores (the venvs, of which
    # test-artifacts/ holds one with thousands of files, and the data folders).
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                             "*.py"], cwd=ROOT, capture_output=True, check=True).stdout
    for path in sorted(ROOT / name for name in listed.decode().split("\0") if name):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] == "firebase_admin" for name in names):
                importers.append(path.relative_to(ROOT).as_posix())
    lib = {path for path in importers if path.startswith("lib/")}
    assert lib and all(path.startswith("lib/stores/firestore/") for path in lib), lib
    assert not [path for path in importers if path.startswith(("pages/", "ui/", "webhook_server/"))]

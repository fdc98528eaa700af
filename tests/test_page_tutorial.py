"""The tutorial page through AppTest: every step of docs/tutorial.md, and under each the code
its Where names, which is the code that runs (inspect reads it from the imported module)."""
from __future__ import annotations

import importlib
import inspect
import textwrap

from lib.learn.tutorial_map import CodeRef, read_tutorial
from tests.fixtures_pages import open_page


def running_source(ref: CodeRef) -> str:
    """What Python itself holds for the reference: inspect's source of the function or class,
    or, for an assignment, the shown code checked by running it beside the module's own value."""
    module = importlib.import_module(ref.path.removesuffix(".py").removesuffix("/__init__")
                                     .replace("/", "."))
    value = module
    for part in ref.name.split("."):
        value = getattr(value, part)
    if inspect.isfunction(value) or inspect.isclass(value):
        return textwrap.dedent(inspect.getsource(value))
    return ""


def shown_by_step(at) -> dict[int, list[tuple[str, str]]]:
    """Each step number with the (expander label, code) pairs shown under it, in page order."""
    shown: dict[int, list[tuple[str, str]]] = {}
    step = None
    for node in at.main.children.values():
        value = str(getattr(node, "value", ""))
        if type(node).__name__ == "Markdown" and value.startswith("### Step "):
            step = int(value.split()[2])
            shown[step] = []
        elif type(node).__name__ == "Expander" and step is not None:
            (code,) = node.code  # one box per expander
            shown[step].append((node.label, code.value))
    return shown


def test_every_step_shows_the_code_its_where_names(app_env):
    tutorial = read_tutorial()
    at = open_page("pages/tutorial.py")
    shown = shown_by_step(at)
    assert list(shown) == list(range(1, 20))
    with_code = [step for step in tutorial.steps if step.code]
    assert len(with_code) >= 15, [step.number for step in with_code]
    for step in tutorial.steps:
        boxes = shown[step.number]
        assert len(boxes) == len(step.code), (step.number, boxes)
        for ref, (label, code) in zip(step.code, boxes, strict=True):
            assert label.startswith(f"Code: `{ref.name}` in `{ref.path}`, lines "), label
            expected = running_source(ref)
            if expected:  # (st.code shows the text without its final newline)
                assert code == expected.removesuffix("\n"), (step.number, ref)
            else:  # an assignment: running the shown code gives the module's own value
                module = importlib.import_module(ref.path.removesuffix(".py").replace("/", "."))
                names = dict(vars(module))
                exec(code, names)  # noqa: S102 - our own source, checked against itself
                assert names[ref.name] == getattr(module, ref.name), ref
    assert not at.warning


def test_step_8_shows_the_session_create_call_and_step_18_the_signature_and_fulfilment(app_env):
    shown = shown_by_step(open_page("pages/tutorial.py"))
    step_8 = "\n".join(code for _, code in shown[8])
    step_18 = "\n".join(code for _, code in shown[18])
    assert "client.v1.checkout.sessions.create(" in step_8
    assert "stripe.WebhookSignature.verify_header(payload, header, secret" in step_18
    assert "def fulfil_checkout(" in step_18 and "orders.create_order)(order)" in step_18

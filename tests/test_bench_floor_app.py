"""The browser benchmark's floor (bench/floor/app.py) draws what the shop's first screen draws:
the same element types, the same twelve pictures from the static folder, the same menus."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lib.config.settings import ROOT
from tests.fixtures_pages import new_app


def element_types(at: AppTest) -> set[str]:
    """Every kind of element the run drew in the main area and the sidebar (layout blocks
    left out: the shop's cards are fragments, the floor's are not)."""
    kinds: set[str] = set()

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
        if type(node).__name__ not in ("Block", "SpecialBlock"):
            kinds.add(node.type)

    walk(at.main)
    walk(at.sidebar)
    return kinds


def pictures(at: AppTest) -> list[str]:
    """The Markdown images the run drew, in order."""
    return [m.value.split("\n\n")[0] for m in at.markdown if m.value.startswith("![")]


def run_floor() -> AppTest:
    """A first run of the floor app; asserts it ran."""
    at = AppTest.from_file(str(ROOT / "bench" / "floor" / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_floor_draws_the_element_types_of_the_shops_first_screen(app_env):
    shop = new_app()
    shop.run()
    assert not shop.exception
    floor = run_floor()
    assert element_types(floor) == element_types(shop)
    assert {"text_input", "selectbox", "number_input", "page_link", "html"} <= element_types(floor)


def test_the_floor_shows_the_shops_twelve_pictures_and_buttons(app_env):
    shop = new_app()
    shop.run()
    floor = run_floor()
    assert len(pictures(floor)) == 12
    assert [p.split("](")[1] for p in pictures(floor)] == [
        p.split("](")[1] for p in pictures(shop)]
    assert [b.label for b in floor.button] == [b.label for b in shop.button]
    assert [link.label for link in floor.sidebar.get("page_link")] == [
        link.label for link in shop.sidebar.get("page_link")]

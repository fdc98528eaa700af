"""What every list endpoint shares: cursor pagination over documents already in list order, and expand[]."""
from __future__ import annotations

from .errors import invalid
from .http_json import page_limit
from .nested_params import as_list, as_string
from .session_objects import list_object, paginate

CURSORS = ("limit", "starting_after", "ending_before")


def expand_paths(params: dict, allowed) -> list[str]:
    """The expand[] paths asked for, each one the endpoint can expand."""
    paths = [as_string(p, "expand") for p in as_list(params.get("expand", ""), "expand")]
    for path in paths:
        if path not in allowed:
            raise invalid(f"This property cannot be expanded ({path}).", "expand")
    return paths


def page_of(items: list[dict], params: dict, url: str, kind: str) -> dict:
    """One page of items (newest first) as Stripe's list object, by limit/starting_after/ending_before."""
    cursors = {k: as_string(params[k], k) for k in ("starting_after", "ending_before") if k in params}
    page = paginate(items, page_limit(params), cursors.get("starting_after"), cursors.get("ending_before"))
    if page is None:
        name = next(iter(cursors))
        raise invalid(f"No such {kind}: '{cursors[name]}'", name, "resource_missing")
    return list_object(page[0], page[1], url)

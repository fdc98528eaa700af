"""What every list endpoint shares: cursor pagination (over documents in list order, or over a table's
rows newest first), expand[], created filters."""
from __future__ import annotations

import json
import sqlite3

from .errors import invalid
from .forms import as_hash, as_int, as_list, as_string, reject_unknown
from .http_json import page_limit

CURSORS = ("limit", "starting_after", "ending_before")
RANGE_OPERATORS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def list_object(data: list, has_more: bool, url: str) -> dict:
    """Stripe's list envelope."""
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def paginate(items: list[dict], limit: int, starting_after: str | None, ending_before: str | None):
    """Slice items (already in list order) by cursor ids, returning (page, has_more); None if a cursor is unknown."""
    ids = [item["id"] for item in items]
    if starting_after is not None:
        if starting_after not in ids:
            return None
        rest = items[ids.index(starting_after) + 1:]
        return rest[:limit], len(rest) > limit
    if ending_before is not None:
        if ending_before not in ids:
            return None
        before = items[:ids.index(ending_before)]
        return before[-limit:], len(before) > limit
    return items[:limit], len(items) > limit


def expand_paths(params: dict, allowed) -> list[str]:
    """The expand[] paths asked for, each one the endpoint can expand."""
    paths = [as_string(p, "expand") for p in as_list(params.get("expand", ""), "expand")]
    for path in paths:
        if path not in allowed:
            raise invalid(f"This property cannot be expanded ({path}).", "expand")
    return paths


def cursors_of(params: dict) -> dict[str, str]:
    """The starting_after and ending_before ids a list request gives."""
    return {k: as_string(params[k], k) for k in ("starting_after", "ending_before") if k in params}


def unknown_cursor(cursors: dict[str, str], kind: str):
    """Stripe's 400 for a cursor naming no such object."""
    name = next(iter(cursors))
    return invalid(f"No such {kind}: '{cursors[name]}'", name, "resource_missing")


def page_of(items: list[dict], params: dict, url: str, kind: str) -> dict:
    """One page of items (newest first) as Stripe's list object, by limit/starting_after/ending_before."""
    cursors = cursors_of(params)
    page = paginate(items, page_limit(params), cursors.get("starting_after"), cursors.get("ending_before"))
    if page is None:
        raise unknown_cursor(cursors, kind)
    return list_object(page[0], page[1], url)


def table_page(conn: sqlite3.Connection, table: str, column: str, params: dict, url: str, kind: str,
               conditions=()) -> dict:
    """One page of a table's JSON documents (held in column), newest first by seq, of the rows meeting
    the (sql, value) conditions, as Stripe's list object."""
    cursors, limit = cursors_of(params), page_limit(params)
    where, args = [sql for sql, _ in conditions], [value for _, value in conditions]
    order = "DESC"
    cursor_id = cursors.get("starting_after") or cursors.get("ending_before")
    if cursor_id:
        row = conn.execute(f"SELECT seq FROM {table} WHERE id = ?", (cursor_id,)).fetchone()
        if row is None:
            raise unknown_cursor(cursors, kind)
        where.append("seq < ?" if "starting_after" in cursors else "seq > ?")
        args.append(row["seq"])
        order = "DESC" if "starting_after" in cursors else "ASC"
    sql = f"SELECT {column} FROM {table}" + (" WHERE " + " AND ".join(where) if where else "")
    rows = conn.execute(f"{sql} ORDER BY seq {order} LIMIT ?", (*args, limit + 1)).fetchall()
    docs = [json.loads(r[column]) for r in rows[:limit]]
    if order == "ASC":
        docs.reverse()
    return list_object(docs, len(rows) > limit, url)


def created_conditions(value, field: str = "json_extract(doc, '$.created')") -> list[tuple[str, int]]:
    """created=TIMESTAMP, or created[gt|gte|lt|lte]=TIMESTAMP (any combination), on field (SQL)."""
    if isinstance(value, str):
        return [(f"{field} = ?", as_int(value, "created"))]
    bounds = as_hash(value, "created")
    reject_unknown(bounds, RANGE_OPERATORS, "created")
    return [(f"{field} {RANGE_OPERATORS[op]} ?", as_int(raw, f"created[{op}]")) for op, raw in bounds.items()]


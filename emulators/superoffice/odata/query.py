"""The OData archive query engine behind GET /api/v1/Project and the Project sub-archives (vendor-facts E7).

An *archive* is a list of columns (archive names such as `projectId`, `projectAssociate/fullName`), each with a
kind (int, string, bool, date, list, associate) and a value taken from a flattened row. `run()` applies
`$filter` (parsed with lark from grammar.lark), `$orderBy`, `$skip`/`$top` (with `odata.nextLink`),
`$select`, `$mode` and `$jsonSafe` and answers the ODataSlimResponse shape:
`{"odata.metadata", ["odata.nextLink",] "value": [{"PrimaryKey", "EntityName", <column>: value}]}`.

List and associate columns hold `(id, text)`: numeric operators and oneOf compare the id, string operators the
text; Slim rows show the text (display value).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ..errors import bad_request
from .filter import MODES, Archive, Column, Context, Row, compile_filter

__all__ = ["Archive", "Column", "Context", "Query", "Row", "order", "run", "select"]


# ordering, selection, rendering -----------------------------------------------------------------
def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, tuple):
        value = value[1]
    if value is None or value == "":
        return (0, "")
    if isinstance(value, bool | int | float):
        return (1, value)
    return (2, str(value).lower())


def order(rows: list[Row], text: str | None, archive: Archive) -> list[Row]:
    if not text or not text.strip():
        return rows
    keys: list[tuple[str, bool]] = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise bad_request(f"The $orderBy term '{part.strip()}' is not valid.", "ArchiveException")
        col = archive.column(words[0], "$orderBy")
        keys.append((col.name, len(words) == 2 and words[1].lower() == "desc"))
    for name, desc in reversed(keys):
        rows = sorted(rows, key=_key_of(name), reverse=desc)
    return rows


def _key_of(name: str) -> Callable[[Row], tuple[int, Any]]:
    return lambda r: _sort_key(r.get(name))


def select(text: str | None, archive: Archive) -> list[Column]:
    """$select column names; unknown columns are left out (assumption), aggregates like Count(x):Footer too."""
    names = [n.strip() for n in text.split(",")] if text and text.strip() else archive.default
    out: list[Column] = []
    for name in names:
        col = archive.by_lower.get(name.lower())
        if col is not None and col not in out:
            out.append(col)
    return out


def _json_safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def _display(col: Column, value: Any) -> Any:
    if isinstance(value, tuple):
        return value[1]
    if col.kind == "date" and (value is None or value == ""):
        return "0001-01-01T00:00:00"
    return value


def _full(col: Column, value: Any, tooltip: str) -> dict[str, Any]:
    raw = value[0] if isinstance(value, tuple) else value
    shown = _display(col, value)
    return {
        "RawValue": raw,
        "DisplayValue": "" if shown is None else str(shown),
        "LinkHint": "",
        "TooltipHint": tooltip,
    }


# using-filters.md shows Full rows with a numeric TableRight mask; the emulator's rows are all readable
FULL_ROW_RIGHT = {"Mask": 1, "Reason": ""}


def _full_row(archive: Archive, row: Row, columns: list[Column], json_safe: bool) -> dict[str, Any]:
    """A `$mode=Full` row as using-filters.md shows it: row hints, then every column in a `Column` object."""
    key = row.get(archive.key)
    entity = row.get("_entity", archive.entity)
    hint = f"{entity}_id={key}"
    cells = {
        (_json_safe(col.name) if json_safe else col.name): _full(col, row.get(col.name), f"{{{hint}}}")
        for col in columns
    }
    return {
        "PrimaryKey": key,
        "EntityName": entity,
        "StyleHint": "",
        "LinkHint": f"nav={entity}&{hint}",
        "TableRight": dict(FULL_ROW_RIGHT),
        "Column": cells,
    }


@dataclass
class Query:
    select: str | None = None
    filter: str | None = None
    order_by: str | None = None
    top: int | None = None
    skip: int | None = None
    mode: str | None = None
    json_safe: bool = False


def run(
    archive: Archive, rows: list[Row], q: Query, ctx: Context, *, base: str, path: str, params: dict[str, Any]
) -> dict[str, Any]:
    mode = (q.mode or "slim").strip().lower()
    if mode not in MODES:
        raise bad_request(f"The value '{q.mode}' is not valid for $mode: use Slim, Wide or Full.", "ArchiveException")
    columns = select(q.select, archive)
    pred = compile_filter(q.filter, archive, ctx)
    found = [r for r in rows if pred is None or pred(r)]
    found = order(found, q.order_by, archive)
    skip = max(q.skip or 0, 0)
    end = len(found) if q.top is None else skip + max(q.top, 0)
    page = found[skip:end]
    value = []
    for row in page:
        if mode == "full":
            value.append(_full_row(archive, row, columns, q.json_safe))
            continue
        out: dict[str, Any] = {"PrimaryKey": row.get(archive.key), "EntityName": row.get("_entity", archive.entity)}
        for col in columns:
            out[_json_safe(col.name) if q.json_safe else col.name] = _display(col, row.get(col.name))
        value.append(out)
    body: dict[str, Any] = {"odata.metadata": f"{base}/api/v1/archive$metadata"}
    if q.top is not None and end < len(found):
        nxt = dict(params)
        nxt["$skip"] = str(end)
        nxt["$top"] = str(q.top)
        body["odata.nextLink"] = f"{base}{path}?{urlencode(nxt, safe='$,/:')}"
    body["value"] = value
    return body

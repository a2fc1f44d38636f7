"""GET /Projects (list), GET /Projects/{id}, GET /Projects/FieldInfo.

List answer (vendor-facts A2.2): {"Content-Range": "start-end/total", "Records": [...]}, 0-based,
inclusive. Query: limit, sort, filter (`field eq value` [and ...]; or a quoted free text),
nextid (keyset: records with id > nextid), columns (field names to return; id always).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.errors import BadRequest
from emulators.core.wording import shown

from .. import columns as cols
from ..fields import PROJECT_FIELDS, TP_STRING, Field, field_info, lookup
from ..models import same
from ..views import render, views_of
from .projects import load_project

_COND = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s+(eq|ne|gt|ge|lt|le)\s+", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_OPS = {
    "eq": lambda a, b: same(a, b),
    "ne": lambda a, b: not same(a, b),
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}
DEFAULT_LIMIT = 100
ID_FIELD = Field("id", "tpLong", 0, False, False, False, "")

Condition = tuple[str, str, Any]


def _field(name: str) -> Field:
    f = ID_FIELD if name.lower() == "id" else lookup(name)
    if f is None:
        raise BadRequest(f"Unknown field {name}")
    return f


def parse_filter(text: str) -> tuple[list[Condition], str | None]:
    """-> (conditions, free text). `'abc'` alone is a free-text search over the string fields."""
    stripped = text.strip()
    if not stripped:
        return [], None
    if stripped.startswith("'") and stripped.endswith("'") and len(stripped) >= 2 and not _COND.match(stripped):
        return [], stripped[1:-1].replace("''", "'")
    conds: list[Condition] = []
    rest = stripped
    while rest:
        m = _COND.match(rest)
        if m is None:
            raise BadRequest(f"Invalid filter {shown(text)}: expected 'field eq value'")
        f = _field(m.group(1))
        tail = rest[m.end() :]
        value_text, rest = _split_value(tail)
        try:
            assignment = cols.parse(f"x={value_text}")[0]
        except cols.ColumnsSyntaxError as exc:
            raise BadRequest(f"Invalid filter value {shown(value_text)}") from exc
        if cols.type_problem(Field(f.name, f.type_name, 0, False, True, False, ""), assignment) is not None:
            raise BadRequest(f"Invalid filter value for field {f.name} ({f.type_name})")
        conds.append((f.name, m.group(2).lower(), assignment.value))
    return conds, None


def _split_value(tail: str) -> tuple[str, str]:
    """The value at the start of `tail` (quoted or bare) and what follows an `and`."""
    if tail.startswith("'"):
        i = 1
        while True:
            j = tail.find("'", i)
            if j < 0:
                return tail, ""
            if tail.startswith("''", j):
                i = j + 2
                continue
            value, after = tail[: j + 1], tail[j + 1 :]
            break
    else:
        m = _AND.search(tail)
        value, after = (tail[: m.start()], tail[m.start() :]) if m else (tail, "")
    m2 = re.match(r"\s+and\s+", after, re.IGNORECASE)
    if after.strip() and m2 is None:
        raise BadRequest(f"Invalid filter: unexpected {shown(after.strip())}")
    return value.strip(), after[m2.end() :] if m2 else ""


def _matches(pid: int, rec: dict[str, Any], conds: list[Condition], text: str | None) -> bool:
    for name, op, value in conds:
        have = pid if name == "id" else rec.get(name)
        try:
            if not _OPS[op](have, value):
                return False
        except TypeError:
            return False
    if text is not None:
        needle = text.lower()
        return any(needle in str(rec.get(f.name, "")).lower() for f in PROJECT_FIELDS if f.type_name == TP_STRING)
    return True


def _sort_keys(text: str) -> list[tuple[str, bool]]:
    keys = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        desc = part.startswith("-")
        words = part.lstrip("-").split()
        if len(words) == 2 and words[1].lower() in ("asc", "desc"):
            desc = words[1].lower() == "desc"
        elif len(words) != 1:
            raise BadRequest(f"Invalid sort {shown(text)}")
        keys.append((_field(words[0]).name, desc))
    return keys


def _sort_key(name: str) -> Callable[[tuple[int, dict[str, Any]]], Any]:
    if name == "id":
        return lambda row: row[0]
    return lambda row: row[1].get(name)


def _names(call: Call) -> list[str] | None:
    names = cols.parse_names(str(call.query.get("columns", "")))
    return [_field(n).name for n in names] or None


def listProjects(call: Call) -> Reply:
    """GET /api/v1/Projects -- a page of projects."""
    conds, text = parse_filter(str(call.query.get("filter", "")))
    keys = _sort_keys(str(call.query.get("sort", "")))
    names = _names(call)
    table = call.store.table("projects")
    nextid = call.query.get("nextid")
    limit = int(call.query.get("limit") or DEFAULT_LIMIT)
    plain = not conds and text is None and not keys and names is None and nextid in (None, "")
    views = views_of(call.world, call.tenant)
    if plain:  # the first page by id, every field: the same answer until the table changes
        kept = views.first_page(table, limit)
        if kept is not None:
            return Reply(body={"Content-Range": kept[0], "Records": list(kept[1])})
    if conds or text is not None:
        rows = [(int(k), r) for k, r in table.items() if _matches(int(k), r, conds, text)]
    else:
        rows = [(int(k), r) for k, r in table.items()]
    rows.sort(key=lambda row: row[0])
    for name, desc in reversed(keys):
        rows.sort(key=_sort_key(name), reverse=desc)
    total = len(rows)
    start = 0
    if nextid not in (None, ""):
        start = next((i for i, (pid, _) in enumerate(rows) if pid == int(nextid)), -1) + 1
        if start == 0:
            start = sum(1 for pid, _ in rows if pid <= int(nextid))
    page = rows[start : start + limit]
    span = f"{start}-{start + len(page) - 1}/{total}" if page else f"*/{total}"
    full = views.full
    records = [full(pid, r) if names is None else render(pid, r, names) for pid, r in page]
    if plain:
        views.keep_first_page(table, limit, span, records)
    return Reply(body={"Content-Range": span, "Records": records})


def getProject(call: Call) -> Reply:
    """GET /api/v1/Projects/{id} -- one project, in the list envelope (assumption)."""
    key, record = load_project(call)
    names = _names(call)
    view = views_of(call.world, call.tenant).full(int(key), record) if names is None else render(key, record, names)
    return Reply(body={"Content-Range": "0-0/1", "Records": [view]})


def getProjectFieldInfo(call: Call) -> Reply:
    """GET /api/v1/Projects/FieldInfo -- the field table (row keys are an assumption)."""
    rows = field_info()
    return Reply(body={"Content-Range": f"0-{len(rows) - 1}/{len(rows)}", "Records": rows})

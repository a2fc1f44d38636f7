"""Stored state of a client (tenant): projects and the records they link to.

Tenant store tables: projects, addresses, companies (CompanyDetails), project_lists,
project_groups, files (uploads), project_media (image + notes per project id). Project records hold
every field of the field table (stored values keep their JSON type: tpLong int, tpDouble int|float,
tpBool bool, dates str).
"""

from __future__ import annotations

import copy
import functools
from datetime import datetime
from typing import Any

from .fields import FIELD_ORDER
from .views import ALL_COLUMNS, FIELD_NAMES

TS_FORMAT = "%Y-%m-%d %H:%M:%S"  # ts_lastupdate (seed: "2026-05-07 09:18:39")
DATE_FORMAT = "%Y-%m-%d"  # date_approved (seed: "2026-05-07")


def complete_project(record: dict[str, Any]) -> dict[str, Any]:
    """Every field of the table present (missing ones blank), in table order."""
    get = record.get
    return {name: get(name, blank) for name, blank in ALL_COLUMNS}


def build_tenant(fixtures: dict[str, Any], tenant: str, world: Any) -> dict[str, Any] | None:
    raw = (fixtures.get("tenants") or {}).get(str(tenant))
    if raw is None:
        return None
    data = copy.deepcopy(raw)
    data["projects"] = {str(k): complete_project(v) for k, v in (data.get("projects") or {}).items()}
    for table in ("addresses", "companies", "project_lists", "project_groups", "files", "project_media"):
        data[table] = {str(k): v for k, v in (data.get(table) or {}).items()}
    return data


def same(a: Any, b: Any) -> bool:
    """Equal values of the same kind (20 == 20.0, but True is not 1)."""
    return bool(a == b) and isinstance(a, bool) == isinstance(b, bool)


def changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Fields whose value differs (see `same`), in table order (names outside the table last)."""
    if tuple(new) == FIELD_NAMES:  # every record our handlers build: already in table order
        get = old.get
        out: dict[str, Any] = {}
        for n, v in new.items():
            o = get(n)
            if o is v and v.__class__ is not float:  # the value carried over (NaN is never `same`)
                continue
            if not (o == v and (o.__class__ is bool) == (v.__class__ is bool)):
                out[n] = v
        return out
    names = sorted(new, key=lambda n: FIELD_ORDER.get(n, 999))
    return {n: new[n] for n in names if not same(old.get(n), new[n])}


def timestamp(clock: Any) -> str:
    """The clock's time as ts_lastupdate shows it (a whole second: formatted once per second)."""
    now: datetime = clock.now()
    return _second_text(now.timestamp() // 1, now.tzinfo)


@functools.lru_cache(maxsize=16)
def _second_text(second: float, tz: Any) -> str:
    return datetime.fromtimestamp(second, tz).strftime(TS_FORMAT)


def today(clock: Any) -> str:
    now: datetime = clock.now()
    return now.strftime(DATE_FORMAT)


def next_project_id(store: Any) -> int:
    keys = [int(k) for k in store.table("projects")]
    return max(keys, default=0) + 1


def next_unr(store: Any) -> int:
    """The next unr: one above the highest unr of this client's projects."""
    unrs = [int(p.get("unr") or 0) for p in store.values("projects")]
    return max(unrs, default=0) + 1

"""The Store: one per (api, namespace, tenant), JSON-able, built lazily from fixtures.

A store is a dict of named collections (`store.table("projects")` -> dict[key, record])
plus free keys. Records are plain JSON-able dicts so that `GET /__emulator/state` can dump
them and `PUT /__emulator/state` can load them. `touch()` records a last-modified time per
record for conditional requests.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

_META = "__modified__"


# (table, key, old record or None, new record or None): told of every put/delete (outbound events)
Observer = Callable[[str, str, Any, Any], None]


class Store:
    __slots__ = ("data", "observer")

    def __init__(self, data: dict[str, Any] | None = None, observer: Observer | None = None) -> None:
        self.data: dict[str, Any] = data if data is not None else {}
        self.observer = observer

    # collections ---------------------------------------------------------------
    def table(self, name: str) -> dict[str, Any]:
        """The collection `name` (created empty on first use). Keys are strings."""
        tbl = self.data.get(name)
        if tbl is None:
            tbl = self.data[name] = {}
        return tbl

    def get(self, table: str, key: Any, default: Any = None) -> Any:
        return self.table(table).get(str(key), default)

    def put(self, table: str, key: Any, record: Any, *, when: float | None = None) -> Any:
        tbl = self.table(table)
        k = str(key)
        old = tbl.get(k)
        tbl[k] = record
        if when is not None:
            self.touch(table, key, when)
        if self.observer is not None and old is not record:
            self.observer(table, k, old, record)
        return record

    def delete(self, table: str, key: Any) -> Any:
        self.data.get(_META, {}).get(table, {}).pop(str(key), None)
        old = self.table(table).pop(str(key), None)
        if self.observer is not None and old is not None:
            self.observer(table, str(key), old, None)
        return old

    def values(self, table: str) -> list[Any]:
        return list(self.table(table).values())

    # last-modified -------------------------------------------------------------
    def touch(self, table: str, key: Any, when: float) -> None:
        self.data.setdefault(_META, {}).setdefault(table, {})[str(key)] = when

    def modified(self, table: str, key: Any) -> float | None:
        value = self.data.get(_META, {}).get(table, {}).get(str(key))
        return float(value) if value is not None else None

    # whole-store operations ------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        """A JSON-safe copy (round-tripped through json, so it is exactly what is served)."""
        return json.loads(json.dumps(self.data, default=str))

    def load(self, data: dict[str, Any]) -> None:
        self.data = copy.deepcopy(data)

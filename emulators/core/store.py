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

import orjson

_META = "__modified__"


# (table, key, old record or None, new record or None): told of every put/delete (outbound events)
Observer = Callable[[str, str, Any, Any], None]


class Packed:
    """A table of a store built from a template, still in its JSON form: read on its first use."""

    __slots__ = ("json",)

    def __init__(self, json: bytes) -> None:
        self.json = json


class Store:
    # `_data` may hold Packed tables (see templates.py): every method reads its table through `_table`,
    # and `data`, the whole dict, unpacks them all first, so callers only ever see plain JSON values.
    __slots__ = ("_data", "_packed", "observer")

    def __init__(self, data: dict[str, Any] | None = None, observer: Observer | None = None) -> None:
        self._data: dict[str, Any] = data if data is not None else {}
        self._packed = False
        self.observer = observer

    @classmethod
    def unpacked_on_use(cls, tables: dict[str, Packed], observer: Observer | None = None) -> Store:
        """A store whose tables (and free keys) are read from their JSON form on first use, in this order."""
        store = cls(dict(tables), observer)
        store._packed = bool(tables)
        return store

    @property
    def data(self) -> dict[str, Any]:
        """Every table and free key (all unpacked)."""
        if self._packed:
            for name in self._data:
                self._table(name)
            self._packed = False
        return self._data

    @data.setter
    def data(self, data: dict[str, Any]) -> None:
        self._data = data
        self._packed = False

    def _table(self, name: str) -> Any:
        value = self._data.get(name)
        if value.__class__ is Packed:
            value = self._data[name] = orjson.loads(value.json)
        return value

    # collections ---------------------------------------------------------------
    def table(self, name: str) -> dict[str, Any]:
        """The collection `name` (created empty on first use). Keys are strings."""
        tbl = self._table(name) if self._packed else self._data.get(name)
        if tbl is None:
            tbl = self._data[name] = {}
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
        (self._table(_META) or {}).get(table, {}).pop(str(key), None)
        old = self.table(table).pop(str(key), None)
        if self.observer is not None and old is not None:
            self.observer(table, str(key), old, None)
        return old

    def values(self, table: str) -> list[Any]:
        return list(self.table(table).values())

    # last-modified -------------------------------------------------------------
    def touch(self, table: str, key: Any, when: float) -> None:
        self.table(_META).setdefault(table, {})[str(key)] = when

    def modified(self, table: str, key: Any) -> float | None:
        value = (self._table(_META) or {}).get(table, {}).get(str(key))
        return float(value) if value is not None else None

    # whole-store operations ------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        """A JSON-safe copy (round-tripped through json, so it is exactly what is served)."""
        return json.loads(json.dumps(self.data, default=str))

    def load(self, data: dict[str, Any]) -> None:
        self.data = copy.deepcopy(data)

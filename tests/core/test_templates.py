"""StateTemplates: a store's fixture state built once, copied per store, read per table on first use."""

from __future__ import annotations

import math
from typing import Any

import pytest

from emulators.core.store import Packed, Store
from emulators.core.templates import StateTemplates

PLAIN: dict[str, Any] = {
    "projects": {"1": {"Name": "a", "Amount": 1.5, "Zero": -0.0, "Big": 2**62, "Tags": ["x", {"k": None}]}},
    "settings": {"flag": True},
    "count": 3,
}


def _built(data: dict[str, Any]) -> tuple[StateTemplates, list[int]]:
    calls: list[int] = []
    templates = StateTemplates({})

    def build() -> dict[str, Any]:
        calls.append(1)
        return data

    templates.store("t", build, None)
    templates.store("t", build, None)
    return templates, calls


def test_store_builds_once_and_copies_each_time() -> None:
    templates, calls = _built(PLAIN)
    assert len(calls) == 1
    a, b = templates.store("t", dict, None), templates.store("t", dict, None)
    assert a.data == PLAIN and b.data == PLAIN
    a.table("projects")["1"]["Tags"][1]["k"] = "changed"
    assert b.table("projects")["1"]["Tags"][1]["k"] is None
    assert templates.store("t", dict, None).data == PLAIN


def test_store_plain_state_is_unpacked_per_table_on_first_use() -> None:
    templates, _ = _built(PLAIN)
    store = templates.store("t", dict, None)
    assert all(v.__class__ is Packed for v in store._data.values())
    assert store.get("projects", 1)["Name"] == "a"
    assert store._data["projects"].__class__ is dict
    assert store._data["settings"].__class__ is Packed
    assert list(store.data) == ["projects", "settings", "count"]  # the built order, everything unpacked
    assert store.data["count"] == 3 and store.data["settings"] == {"flag": True}


def test_store_keeps_types_and_float_signs() -> None:
    templates, _ = _built(PLAIN)
    record = templates.store("t", dict, None).get("projects", "1")
    assert type(record["Big"]) is int and type(record["Amount"]) is float
    assert math.copysign(1.0, record["Zero"]) == -1.0


@pytest.mark.parametrize(
    "odd",
    [(1, 2), 2**70, float("nan"), {1: "int key"}, "\ud800"],
    ids=["tuple", "int past 64 bits", "nan", "int key", "lone surrogate"],
)
def test_store_not_plain_json_state_is_deep_copied_as_built(odd: Any) -> None:
    templates, _ = _built({"t": {"v": odd}})
    a = templates.store("t", dict, None)
    value = a.data["t"]["v"]
    assert type(value) is type(odd)
    assert value == odd or (isinstance(odd, float) and math.isnan(value))


def test_store_shared_container_is_deep_copied_keeping_the_sharing() -> None:
    shared: dict[str, Any] = {"n": 1}
    templates, _ = _built({"t": {"a": shared, "b": shared}})
    store = templates.store("t", dict, None)
    assert store.data["t"]["a"] is store.data["t"]["b"]
    assert store.data["t"]["a"] is not shared


def test_store_touch_and_modified_through_packed_tables() -> None:
    templates, _ = _built({"projects": {"1": {}}, "__modified__": {"projects": {"1": 5.0}}})
    store = templates.store("t", dict, None)
    assert store.modified("projects", 1) == 5.0
    store.touch("projects", 2, 7.0)
    store.delete("projects", 1)
    assert store.modified("projects", 1) is None and store.modified("projects", 2) == 7.0


def test_store_observer_told_of_puts_on_packed_tables() -> None:
    seen: list[tuple[str, str, Any, Any]] = []
    templates, _ = _built(PLAIN)
    store = templates.store("t", dict, lambda *change: seen.append(change))
    store.put("projects", 1, {"Name": "b"})
    assert seen == [("projects", "1", PLAIN["projects"]["1"], {"Name": "b"})]


def test_store_data_setter_replaces_packed_tables() -> None:
    templates, _ = _built(PLAIN)
    store = templates.store("t", dict, None)
    store.load({"other": {}})
    assert store.data == {"other": {}}
    assert isinstance(Store().data, dict)

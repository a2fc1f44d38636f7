"""The fixtures' state, built once and copied for every store: what makes a reset cheap.

A store's first use after a reset used to build its state from the fixtures again (a deep copy, plus what
the API's builder adds), about a millisecond for SuperOffice. `StateTemplates` keeps each store's built
state in its written form, per table the JSON bytes orjson reads back identical, so a store costs a
C-speed read of a few kilobytes, and only of the tables a request uses. A World hands its templates to
the next World of the same fixtures (the harness's reset, a new namespace): a process builds each once.

The builders (`EmulatorSpec.build_tenant` / `build_global`) must therefore depend on the fixtures alone,
never on the World they are handed (its clock, ids or scratch): their result is reused for every reset.
State that is not plain JSON (a tuple, a datetime, an integer past 64 bits, NaN, one container reachable
twice) is kept as an object and deep-copied, which gives the same values the old way did.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import orjson

from .store import Observer, Packed, Store

_I64 = 1 << 63


class _Kept:
    """A template that is not plain JSON: deep-copied on every use."""

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data


class StateTemplates:
    """Built state per store key ("_global" or a tenant key the fixtures name) of one fixtures object."""

    __slots__ = ("_built", "fixtures")

    def __init__(self, fixtures: dict[str, Any]) -> None:
        self.fixtures = fixtures
        self._built: dict[str, dict[str, Packed] | _Kept] = {}

    def store(self, key: str, build: Callable[[], dict[str, Any]], observer: Observer | None) -> Store:
        """A fresh store holding the state of `key` (built by `build` on first use); each table is read
        from its JSON form when first used."""
        template = self._built.get(key)
        if template is None:
            template = self._built[key] = _template(build())
        if isinstance(template, _Kept):
            return Store(copy.deepcopy(template.data), observer)
        return Store.unpacked_on_use(template, observer)

    def __len__(self) -> int:
        return len(self._built)


def _template(data: dict[str, Any]) -> dict[str, Packed] | _Kept:
    if _plain(data, set()):
        try:
            return {name: Packed(orjson.dumps(value)) for name, value in data.items()}
        except orjson.JSONEncodeError:  # e.g. a string holding a lone surrogate
            pass
    return _Kept(copy.deepcopy(data))


def _plain(value: Any, seen: set[int]) -> bool:
    """True when orjson writes `value` and reads back the very same values, types and order, with no
    container shared (a deep copy would keep the sharing, a JSON read cannot)."""
    kind = value.__class__
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return -_I64 <= value < _I64
    if kind is float:
        return math.isfinite(value)
    if kind is dict or kind is list:
        if id(value) in seen:
            return False
        seen.add(id(value))
        if kind is dict:
            return all(k.__class__ is str and _plain(v, seen) for k, v in value.items())
        return all(_plain(v, seen) for v in value)
    return False

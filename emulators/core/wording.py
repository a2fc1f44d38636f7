"""Quoting a client's value inside an error message without Python internals.

`shown("abc")` -> `'abc'` (control characters as `\\xNN`), `shown({"a": 1})` -> `{"a":1}` (JSON, never a dict
repr), `shown(None)` -> `{null}` and `shown(True)` -> `True` (as Json.NET writes them), numbers as written.
"""

from __future__ import annotations

import json
from typing import Any

from .filenames import printable

MAX_SHOWN = 200


def shown(value: Any) -> str:
    if value is None:
        return "{null}"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        text = printable(value)
        return "'" + (text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "...") + "'"
    if isinstance(value, int | float):
        return str(value) if len(str(value)) <= MAX_SHOWN else str(value)[:MAX_SHOWN] + "..."
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    except (TypeError, ValueError, RecursionError):
        text = "(value)"
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "..."


def without_reprs(message: str, instance: Any) -> str:
    """A jsonschema message that starts with the instance's Python repr, with that repr as JSON instead."""
    if isinstance(instance, dict | list | type(None) | bool):
        r = repr(instance)
        if message.startswith(r):
            return shown(instance) + message[len(r) :]
    return message

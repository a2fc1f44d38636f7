"""12Build's parameter shapes beyond the kernel's `Call.param` / `Call.param_int`: ids that 404 when they are no
id, and the vendor's three spellings of an id array."""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call
from emulators.core.errors import MalformedBody
from emulators.core.intparse import parse_digits
from emulators.core.limits import parse_json

from .errors import bad, not_found


def as_int(value: Any) -> int | None:
    """The vendor's id patterns are weak (`\\d+$` also matches 'x1'); anything not all digits is no id."""
    text = str(value).strip() if value is not None else ""
    return parse_digits(text)


def path_id(call: Call, name: str, what: str) -> int:
    value = as_int(call.path_params.get(name))
    if value is None:
        raise not_found(what, call.path_params.get(name))
    return value


def id_param(call: Call, name: str, what: str) -> int | None:
    """An id parameter naming a `what`: None when absent or empty, a 404 for that `what` when it is no id."""
    raw = call.param(name)
    if raw is None or raw == "":
        return None
    value = as_int(raw)
    if value is None:
        raise not_found(what, raw)
    return value


def id_list(call: Call, name: str) -> list[int] | None:
    """Array params: '43,44', '[43,44]' (JSON) or PHP brackets (folded to JSON by the auth hook)."""
    raw = call.param(name)
    if raw is None:
        return None
    text = str(raw).strip()
    items: list[Any]
    if text.startswith("["):
        try:
            parsed = parse_json(text)  # kernel limits: depth, number range, no lone surrogates
        except (ValueError, MalformedBody) as exc:
            raise bad(name, f"Parameter '{name}' must be an array of ids") from exc
        items = parsed if isinstance(parsed, list) else [parsed]
    else:
        items = [x for x in text.split(",") if x.strip() != ""]
    out = []
    for item in items:
        value = as_int(item)
        if value is None:
            raise bad(name, f"Parameter '{name}' must be an array of ids")
        out.append(value)
    return out

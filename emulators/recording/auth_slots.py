"""Rule 4 of portable recordings: a credential is named by where it travels, not by its value.

Each API's spec lists its `auth_slots` (core/spec.py `AuthSlot`). What a recorded request carries in a
slot (and is not already a placeholder: a capture, or a credential matched by value) becomes
`${credentials.<name>}`; HTTP Basic becomes the request's `basic_auth: ${credentials.<name>}` (user
and password). A value an export hid (`***`) may instead be a token an earlier answer minted under the
same name: `link(step, name)` finds that capture.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from ..core.redact import REDACTED
from ..core.spec import AuthSlot

Link = Callable[[int, str], str | None]


def auth_slots_of(emulator: Any) -> tuple[AuthSlot, ...]:
    """The auth slots of a registered emulator (none when it cannot be loaded)."""
    from ..registry import EmulatorUnavailable, resolve_spec

    try:
        return tuple(resolve_spec(emulator).auth_slots)
    except (EmulatorUnavailable, ImportError):
        return ()


def apply_auth_slots(reqs: list[dict[str, Any]], slots: Iterable[AuthSlot], link: Link) -> None:
    slots = tuple(slots)
    for i, req in enumerate(reqs):
        for slot in slots:
            if slot.where == "header":
                _header(i, req, slot, link)
            elif slot.where == "query":
                _keys(i, req.get("query"), slot, link)
            else:
                for kind in ("json", "form"):
                    _keys(i, req.get(kind), slot, link)
                if isinstance(req.get("xml"), str):
                    element = re.compile(rf"(<{slot.name}>)[^<$]*(</{slot.name}>)", re.I)
                    ph = "${credentials." + slot.credential + "}"
                    req["xml"] = element.sub(r"\g<1>" + ph + r"\g<2>", req["xml"])


def _value(i: int, slot: AuthSlot, value: str, link: Link) -> str:
    if value.strip() == REDACTED:
        linked = link(i, slot.name)
        if linked:
            return linked
    return "${credentials." + slot.credential + "}"


def _header(i: int, req: dict[str, Any], slot: AuthSlot, link: Link) -> None:
    headers = req.get("headers") or {}
    key = next((k for k in headers if k.lower() == slot.name), None)
    if key is None:
        return
    value = str(headers[key])
    if not slot.scheme:
        if "${" not in value:
            headers[key] = _value(i, slot, value, link)
        return
    scheme, _, rest = value.partition(" ")
    if scheme.lower() != slot.scheme.lower() or "${" in rest:
        return
    if slot.scheme.lower() == "basic":
        del headers[key]
        if not headers:
            del req["headers"]
        req["basic_auth"] = "${credentials." + slot.credential + "}"
    else:
        headers[key] = f"{slot.scheme} " + _value(i, slot, rest, link)


def _keys(i: int, mapping: Any, slot: AuthSlot, link: Link) -> None:
    if not isinstance(mapping, dict):
        return
    for k, v in list(mapping.items()):
        if str(k).lower() == slot.name and isinstance(v, str | int) and "${" not in str(v):
            mapping[k] = _value(i, slot, str(v), link)

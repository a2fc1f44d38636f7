"""JSON answers: the kernel's encoder, with the shared FieldProperties tables written from bytes encoded once.

A ProjectEntity carries the same FieldProperties dict objects in every answer (the project's table per set
of user-defined keys, the members' and the status's tables): about 60 % of its bytes. Each such table is
registered here once, encoded by the kernel (bytes identical to the stdlib encoder's, float-safe); an
answer's carriers holding one get a placeholder instead, the rest is encoded (and checked) as usual, and the
placeholders are replaced by the tables' bytes. The output is byte for byte what `encode_json` writes for
the whole body (tests/superoffice/test_jsoncodec.py); anything else goes through `encode_json` itself."""

from __future__ import annotations

from typing import Any

import orjson

from emulators.core.call import Call, Reply
from emulators.core.negotiation import encode_json, encode_json_or_none

_MAX_SHARED = 512
_SHARED: dict[int, tuple[dict[str, Any], bytes]] = {}  # id(table) -> (the table, kept alive; its JSON)
NESTED_CARRIERS = ("ProjectMembers", "ProjectStatus")  # ProjectEntity properties holding carriers


def share(table: dict[str, Any]) -> dict[str, Any]:
    """Register a FieldProperties table that is never mutated and appears in many answers; returns it."""
    data = encode_json_or_none(table)
    if data is not None and b"\x00" not in data and len(_SHARED) < _MAX_SHARED:  # past the cap: encoded per answer
        _SHARED[id(table)] = (table, bytes(data))
    return table


def _shared_json(table: Any) -> bytes | None:
    hit = _SHARED.get(id(table))
    return hit[1] if hit is not None and hit[0] is table else None


def encode_json_answer(body: Any, reply: Reply | None = None, call: Call | None = None) -> bytes:
    if type(body) is not dict or _shared_json(body.get("FieldProperties")) is None:
        return encode_json(body)
    parts: dict[int, bytes] = {}  # id(table) -> its placeholder: a NUL and a letter (orjson never writes NUL)
    found: dict[bytes, bytes] = {}  # the letter -> the table's bytes
    swapped: list[tuple[dict[str, Any], Any]] = []  # (carrier, its table): put back before returning

    def swap(carrier: Any) -> None:
        """The carrier's shared table replaced by its placeholder, in place (no copy of the carrier; the key
        keeps its position), and noted to be put back."""
        if type(carrier) is not dict:
            return
        table = carrier.get("FieldProperties")
        data = _shared_json(table) if table else None
        if data is None:
            return
        mark = parts.get(id(table))
        if mark is None:
            if len(parts) >= 190:  # one byte names a table: past that, encoded in place
                return
            letter = bytes([65 + len(parts)])
            mark = parts[id(table)] = b"\x00" + letter
            found[letter] = data
        swapped.append((carrier, table))
        carrier["FieldProperties"] = orjson.Fragment(mark)

    try:
        swap(body)
        for key in NESTED_CARRIERS:
            value = body.get(key)
            if type(value) is list:
                for item in value:
                    swap(item)
            elif value is not None:
                swap(value)
        data = encode_json_or_none(body)  # orjson, checked as the kernel checks it, on the smaller rest
    finally:
        for carrier, table in reversed(swapped):
            carrier["FieldProperties"] = table
    if data is None:
        return encode_json(body)
    pieces = data.split(b"\x00")
    out = [pieces[0]]
    for piece in pieces[1:]:
        out.append(found[piece[:1]])
        out.append(piece[1:])
    return b"".join(out)  # a new exact-size bytes (no growth buffer kept)

"""PATCH: JSON Patch (RFC 6902) and JSON Merge Patch, as the WebAPI takes them (vendor-facts B3.2-B3.4).

- ops add, replace, remove, test; `move` and `copy` are refused (400); a failed `test` -> 409
- paths are case-insensitive and the leading slash is optional (`/department` = `Department`)
- a merge patch is converted to JSON Patch ops (B3.3): a scalar -> `replace /Field`; an object where an
  array is expected -> `add /Array/-`; an array -> `replace /Array`; an object for a nested carrier ->
  `replace /Carrier/Sub` per property; an object for a string dictionary (CustomFields...) -> one op per
  key; null -> `remove` (the property goes back to its default)
- the patched document is then saved like a PUT body
"""

from __future__ import annotations

import json
from typing import Any

import jsonpatch
import jsonpointer

from emulators.core.errors import EmulatorError
from emulators.core.intparse import parse_digits

from .errors import WEBAPI, bad_request
from .fields import ARRAY_KINDS, CARRIER_KINDS, PROJECT_KIND

SUPPORTED = ("add", "remove", "replace", "test")


def _unescape(seg: str) -> str:
    return seg.replace("~1", "/").replace("~0", "~")


def _escape(seg: str) -> str:
    return seg.replace("~", "~0").replace("/", "~1")


def normalize_path(path: Any, doc: Any) -> str:
    """Case-insensitive, leading slash optional -> an exact JSON Pointer into `doc`."""
    if not isinstance(path, str):
        raise bad_request("The 'path' of a patch operation must be a string.", "JsonPatchException")
    text = path.strip()
    if text in ("", "/"):
        raise bad_request(f"The patch path '{path}' does not name a property.", "JsonPatchException")
    segs = [_unescape(s) for s in text.lstrip("/").split("/")]
    out: list[str] = []
    cur: Any = doc
    for seg in segs:
        if isinstance(cur, dict):
            key = seg if seg in cur else next((k for k in cur if k.lower() == seg.lower()), seg)
            out.append(key)
            cur = cur.get(key)
        elif isinstance(cur, list):
            out.append(seg)
            index = parse_digits(seg)
            cur = cur[index] if index is not None and index < len(cur) else None
        else:
            out.append(seg)
            cur = None
    return "/" + "/".join(_escape(s) for s in out)


def check_ops(ops: list[Any], doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate and normalise a JSON Patch document."""
    out = []
    for i, op in enumerate(ops):
        if not isinstance(op, dict):
            raise bad_request(f"Patch operation {i} is not an object.", "JsonPatchException")
        low = {str(k).lower(): v for k, v in op.items()}
        name = low.get("op")
        if not isinstance(name, str) or not name.strip():
            raise bad_request(f"Patch operation {i} has no 'op'.", "JsonPatchException")
        name = name.strip().lower()
        if name in ("move", "copy"):
            raise bad_request(
                f"The patch operation '{name}' is not supported. Supported operations are "
                "add, remove, replace and test.",
                "NotSupportedException",
            )
        if name not in SUPPORTED:
            raise bad_request(f"Invalid JsonPatch operation '{low.get('op')}'.", "JsonPatchException")
        if name != "remove" and "value" not in low:
            raise bad_request(f"Patch operation {i} ('{name}') has no 'value'.", "JsonPatchException")
        new = {"op": name, "path": normalize_path(low.get("path"), doc)}
        if name != "remove":
            new["value"] = low["value"]
        out.append(new)
    return out


def merge_to_ops(patch: dict[str, Any], doc: dict[str, Any]) -> list[dict[str, Any]]:
    """B3.3: a merge patch object -> JSON Patch ops against `doc` (the stored entity)."""
    ops: list[dict[str, Any]] = []
    lower = {k.lower(): k for k in doc}
    for raw_key, value in patch.items():
        key = lower.get(str(raw_key).lower(), str(raw_key))
        kind = PROJECT_KIND.get(key)
        path = "/" + _escape(key)
        if value is None:
            ops.append({"op": "remove", "path": path})
        elif kind in ARRAY_KINDS and isinstance(value, dict):
            ops.append({"op": "add", "path": path + "/-", "value": value})
        elif kind == "dict" and isinstance(value, dict) and isinstance(doc.get(key), dict):
            current = doc[key]
            for sub, sub_value in value.items():
                exact = next((k for k in current if k.lower() == str(sub).lower()), str(sub))
                sub_path = f"{path}/{_escape(exact)}"
                if sub_value is None:
                    if exact in current:
                        ops.append({"op": "remove", "path": sub_path})
                else:
                    ops.append({"op": "replace" if exact in current else "add", "path": sub_path, "value": sub_value})
        elif kind in CARRIER_KINDS and isinstance(value, dict) and isinstance(doc.get(key), dict):
            current = doc[key]
            for sub, sub_value in value.items():
                exact = next((k for k in current if k.lower() == str(sub).lower()), str(sub))
                ops.append({"op": "replace", "path": f"{path}/{_escape(exact)}", "value": sub_value})
        else:
            ops.append({"op": "replace", "path": path, "value": value})
    return ops


def _shown(value: Any) -> str:
    """A value as the .NET JsonPatch messages print it (JSON text for objects, never a Python repr)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _current(doc: Any, pointer: str) -> Any:
    try:
        return jsonpointer.resolve_pointer(doc, pointer)
    except jsonpointer.JsonPointerException:
        return None


def apply_ops(doc: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    """Applies the ops in order; messages use ASP.NET JsonPatch's wording (naming the path, not Python types)."""
    result: Any = doc
    for op in ops:
        path = op["path"]
        shown_path = "/".join(_unescape(s) for s in path.lstrip("/").split("/"))
        try:
            result = jsonpatch.JsonPatch([op]).apply(result, in_place=False)
        except jsonpatch.JsonPatchTestFailed:
            raise EmulatorError(
                f"The current value '{_shown(_current(result, path))}' at path '{shown_path}' is not "
                f"equal to the test value '{_shown(op.get('value'))}'.",
                status=409,
                code="JsonPatchTestFailedException",
                source=WEBAPI,
            ) from None
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException):
            segment = _unescape(path.rstrip("/").rsplit("/", 1)[-1])
            raise bad_request(
                f"The target location specified by path segment '{segment}' was not found.", "JsonPatchException"
            ) from None
    if not isinstance(result, dict):
        raise bad_request("The patch replaced the whole entity.", "JsonPatchException")
    return result

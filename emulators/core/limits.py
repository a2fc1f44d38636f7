"""Hard limits on what a request may contain, and the decoders that enforce them.

Every limit here is explicit and documented (docs/hardening.md): a request beyond one gets the vendor's 400
envelope (a `MalformedBody`), never a 500, and nothing that cannot be encoded again reaches a store.

- JSON and XML nesting: at most MAX_DEPTH (512) levels of objects/arrays (elements).
- JSON integers: at most MAX_DIGITS (4,300) digits (Python's own int/str conversion limit).
- JSON strings: no lone UTF-16 surrogates (`"\\ud800"`): they cannot be written back as UTF-8.

Messages are vendor-neutral and Json.NET-shaped ("Unexpected character encountered while parsing value: x.
Path '', line 1, position 9."): an API's `render_error` may word them its own way by `extra["reason"]`.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from .errors import MalformedBody

MAX_DEPTH = 512
MAX_DIGITS = 4300
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _where(line: int, column: int) -> str:
    return f"Path '', line {line}, position {max(column - 1, 0)}."


def _decode_error_message(exc: json.JSONDecodeError) -> str:
    where = _where(exc.lineno, exc.colno)
    doc = exc.doc
    if exc.pos >= len(doc.rstrip()):
        return f"Unexpected end when reading JSON. {where}"
    char = doc[exc.pos]
    shown = char if char.isprintable() and not char.isspace() else f"\\u{ord(char):04x}"
    msg = exc.msg
    if msg.startswith("Expecting property name"):
        return f"Invalid property identifier character: {shown}. {where}"
    if msg.startswith("Expecting value"):
        return f"Unexpected character encountered while parsing value: {shown}. {where}"
    if msg.startswith("Extra data"):
        return f"Additional text encountered after finished reading JSON content: {shown}. {where}"
    if msg.startswith("Unterminated string"):
        return f'Unterminated string. Expected delimiter: ". {where}'
    if msg.startswith("Invalid control character"):
        return f"Bad JSON escape sequence or control character in string. {where}"
    if msg.startswith("Invalid \\escape") or msg.startswith("Invalid \\u"):
        return f"Bad JSON escape sequence. {where}"
    return f"After parsing a value an unexpected character was encountered: {shown}. {where}"


def too_deep() -> MalformedBody:
    return MalformedBody(f"The request body is nested deeper than the maximum depth of {MAX_DEPTH}.", reason="depth")


_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGIT_RUN = b"0" * 19  # the shortest integer literal past 64 bits (|n| >= 2**63) has 19 digits
_MISS = object()


def _orjson_loads(text: str) -> Any:
    """orjson's parse where it is sure to equal json.loads', else _MISS. orjson refuses all json.loads
    refuses and more (NaN, Infinity, 1e400, lone surrogates: those take the stdlib path); the one value it
    reads differently is an integer past 64 bits (a float), so a run of 19 digits anywhere goes to json.loads.
    Where orjson accepts, the two agree (tests/core/test_limits_json.py)."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return _MISS
    if _LONG_DIGIT_RUN in raw.translate(_DIGITS):
        return _MISS
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _MISS


def parse_json(text: str) -> Any:
    """`json.loads`, with every failure the input can cause as a MalformedBody (never another exception)."""
    obj = _orjson_loads(text)
    if obj is _MISS:
        obj = _stdlib_loads(text)
    if text.count("[") + text.count("{") > MAX_DEPTH:
        check_depth(obj)
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        check_encodable(obj)
    return obj


def _stdlib_loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedBody(_decode_error_message(exc), reason="json") from None
    except RecursionError:
        raise too_deep() from None
    except ValueError:  # integer literal beyond Python's int/str conversion limit
        raise MalformedBody(
            f"JSON integer value is too large: more than {MAX_DIGITS} digits.", reason="number"
        ) from None


def check_depth(obj: Any, limit: int = MAX_DEPTH) -> None:
    """Raise `too_deep()` if `obj` nests dicts/lists deeper than `limit` (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise too_deep()
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, dict | list))


def check_encodable(obj: Any) -> None:
    """Every string (keys too) must encode as UTF-8: a lone surrogate is refused, never stored."""
    stack: list[Any] = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            _encodable(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str):
                    _encodable(k)
                stack.append(v)
        elif isinstance(node, list):
            stack.extend(node)


def _encodable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedBody(
            "Invalid Unicode in JSON string: a lone surrogate escape cannot be decoded.", reason="encoding"
        ) from None


def xml_depth_ok(root: Any, limit: int = MAX_DEPTH) -> None:
    """Raise `too_deep()` if an ElementTree element nests deeper than `limit` (iterative)."""
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > limit:
            raise too_deep()
        stack.extend((child, depth + 1) for child in el)

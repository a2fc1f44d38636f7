"""The views a portable recording is built from: an exchange, its bodies decoded, and the walk over them.

Constants here say what a recording leaves out (headers a client or the transport adds) and what looks
minted by a clock or a random source; portable.py applies them.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from ..core.journal import REDACTED, Entry
from ..core.negotiation import pairs_to_dict
from ..scenarios.matching import date_shape

# request headers a client library sets by itself (replaying sets its own)
SKIP_REQUEST_HEADERS = {
    "host",
    "content-length",
    "connection",
    "accept-encoding",
    "user-agent",
    "transfer-encoding",
    "keep-alive",
    "te",
    "upgrade",
    "proxy-connection",
    "cookie",
}
# response headers the server / transport adds (uvicorn: date, server); not part of an API's answer
SKIP_RESPONSE_HEADERS = {
    "date",
    "server",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "via",
    "alt-svc",
    "strict-transport-security",
    "set-cookie",
    "x-powered-by",
    "x-aspnet-version",
    "x-request-id",
    "age",
    "cf-ray",
    "report-to",
    "nel",
}
CLOCK_HEADERS = {"date", "last-modified", "expires", "retry-after"}
MIN_SUBSTRING = 6  # shorter values are only matched whole (an exact header / query / JSON value / segment)
CLOCK_KEY = re.compile(r"date|time|expir|valid|until|stamp|created|modified|updated|_at$|At$", re.I)
TOKEN_LIKE = re.compile(
    r"^(?!.*://)(?:(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9+/=_\-.:]{16,}|(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9+/=_\-.:]{20,})$"
)
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _clock_value(value: Any, key: str | None) -> str | None:
    shape = date_shape(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
    if shape == "epoch" and not (key and CLOCK_KEY.search(key)):
        return None
    return shape


@dataclass
class Exchange:
    """One request and its answer, unredacted (held in memory only)."""

    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    req_headers: list[tuple[str, str]] = field(default_factory=list)
    req_body: bytes = b""
    status: int = 0
    resp_headers: list[tuple[str, str]] = field(default_factory=list)
    resp_body: bytes = b""
    operation: str | None = None
    fault: str | None = None

    @classmethod
    def from_entry(cls, e: Entry) -> Exchange:
        return cls(
            e.method,
            e.path,
            parse_qsl(e.query, keep_blank_values=True),
            list(e.req_headers),
            e.req_body,
            e.status,
            e.resp_headers,
            e.resp_body,
            e.operation,
            e.fault,
        )


def _ct(headers: Iterable[tuple[str, str]]) -> str:
    for k, v in headers:
        if k.lower() == "content-type":
            return v.split(";")[0].strip().lower()
    return ""


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _esc(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("${", "$${")
    if isinstance(value, dict):
        return {k: _esc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_esc(v) for v in value]
    return value


# A recording walks and dumps bodies recursively: JSON nested deeper is kept as text (a hostile client's
# 50,000-deep body must not break the recording, nor the journal exports, for everyone after it).
RECORD_DEPTH = 100


def _loads(text: str) -> Any:
    """json.loads for a recording: ValueError for what is not JSON or is nested deeper than RECORD_DEPTH."""
    from ..core.errors import EmulatorError
    from ..core.limits import check_depth

    try:
        obj = json.loads(text)
        check_depth(obj, RECORD_DEPTH)
    except (RecursionError, EmulatorError) as exc:
        raise ValueError(str(exc)) from None
    return obj


def decode_body(raw: bytes, content_type: str) -> tuple[str, Any] | None:
    """("json" | "xml" | "form" | "body" | "body_base64", value) for a request body."""
    if not raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "body_base64", base64.b64encode(raw).decode("ascii")
    if "json" in content_type or (not content_type and text.lstrip()[:1] in ("{", "[")):
        try:
            return "json", _loads(text)
        except ValueError:
            return "body", text
    if content_type == "application/x-www-form-urlencoded":
        return "form", pairs_to_dict(parse_qsl(text, keep_blank_values=True))
    if content_type.startswith("multipart/"):
        return "body_base64", base64.b64encode(raw).decode("ascii")
    if "xml" in content_type:
        return "xml", text
    return "body", text


def response_view(raw: bytes, content_type: str) -> tuple[str, Any] | None:
    """("json" | "xml" | "body", value) of a response body for the expectation."""
    if not raw:
        return None
    text = raw.lstrip(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    stripped = text.strip()
    if "json" in content_type or stripped[:1] in ("{", "["):
        try:
            return "json", _loads(stripped)
        except ValueError:
            pass
    if stripped.startswith("<"):
        from ..core.errors import EmulatorError
        from ..core.negotiation import decode_xml

        try:
            root, content = decode_xml(raw)
            return "xml", {root: content}
        except EmulatorError:
            pass
    return "body", text


# walking ------------------------------------------------------------------------------------------
Leaf = tuple[str, Any]  # (capture source, value)


def _walk(value: Any, path: str = "$") -> Iterable[Leaf]:
    if isinstance(value, dict):
        for k, v in value.items():
            if _IDENT.fullmatch(str(k)):
                yield from _walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    elif isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        yield path, value


def _flat_credentials(creds: dict[str, Any], prefix: str = "") -> list[tuple[str, str | int]]:
    out: list[tuple[str, str | int]] = []
    for k, v in (creds or {}).items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            out += _flat_credentials(v, name + ".")
        elif isinstance(v, str | int) and not isinstance(v, bool) and str(v) and str(v) != REDACTED:
            out.append((name, v))
    return sorted(out, key=lambda kv: -len(str(kv[1])))


def _json_type(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    return "number" if isinstance(v, float) else "string"


@dataclass
class Carried:
    """What the final steps of a recording appended per exchange leave to the steps after them."""

    captures: dict[str, tuple[str, bool]] = field(default_factory=dict)  # value -> (variable, whole values only)
    var_names: set[str] = field(default_factory=set)
    secrets: dict[str, str] = field(default_factory=dict)

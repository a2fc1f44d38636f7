"""A bounded journal of requests (a ring buffer), with credentials redacted on the way out."""

from __future__ import annotations

import base64
import json
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from .http import pairs_to_dict

REDACTED = "***"


@dataclass(slots=True)
class Entry:
    seq: int
    time: float
    method: str
    path: str
    query: str
    operation: str | None = None
    status: int = 0
    duration_ms: float = 0.0
    fault: str | None = None
    issues: Sequence[Any] = ()  # the validation issues (core.errors.Issue) that refused it
    req_headers: Sequence[tuple[str, str]] = ()
    req_body: bytes = b""
    resp_headers_raw: Sequence[tuple[bytes, bytes]] = ()
    resp_body: bytes = b""
    error: str | None = None  # traceback of a handler crash

    @property
    def resp_headers(self) -> list[tuple[str, str]]:
        return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in self.resp_headers_raw]


@dataclass(frozen=True)
class Redaction:
    headers: frozenset[str] = frozenset()
    query: frozenset[str] = frozenset()
    body_keys: frozenset[str] = frozenset()


class Journal:
    def __init__(self, size: int = 10_000) -> None:
        self._entries: deque[Entry] = deque(maxlen=size)
        self._seq = 0

    def open(self, method: str, path: str, query: str, now: float) -> Entry:
        self._seq += 1
        entry = Entry(self._seq, now, method, path, query)
        self._entries.append(entry)
        return entry

    def clear(self) -> None:
        self._entries.clear()

    def reset(self) -> None:
        """Cleared and numbered from 1 again (POST /__emulator/reset)."""
        self._entries.clear()
        self._seq = 0

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self, *, operation: str | None = None, method: str | None = None,
                status: int | None = None, limit: int | None = None) -> list[Entry]:
        out: Iterable[Entry] = self._entries
        if operation is not None:
            out = (e for e in out if e.operation == operation)
        if method is not None:
            m = method.upper()
            out = (e for e in out if e.method == m)
        if status is not None:
            out = (e for e in out if e.status == status)
        result = list(out)
        if limit is not None:
            result = result[-limit:] if limit > 0 else []
        return result


# serialisation -------------------------------------------------------------------
def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _redact_obj(obj: Any, keys: frozenset[str]) -> Any:
    if isinstance(obj, dict):
        return {k: (REDACTED if str(k).lower() in keys else _redact_obj(v, keys)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_redact_obj(v, keys) for v in obj]
    return obj


def _headers(items: Sequence[tuple[str, str]], red: Redaction) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in red.headers else v) for k, v in items}


def _content_type(items: Sequence[tuple[str, str]]) -> str:
    for k, v in items:
        if k.lower() == "content-type":
            return v.split(";")[0].strip().lower()
    return ""


def body_view(raw: bytes, content_type: str, red: Redaction) -> Any:
    """JSON bodies as JSON, text as text, binary as {"base64": ...}; credentials blanked."""
    if not raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(raw).decode("ascii")}
    if "json" in content_type or (not content_type and text[:1] in "{["):
        try:
            return _redact_obj(json.loads(text), red.body_keys)
        except ValueError:
            return text
    if content_type == "application/x-www-form-urlencoded" and red.body_keys:
        pairs = parse_qsl(text, keep_blank_values=True)
        return "&".join(f"{k}={REDACTED if k.lower() in red.body_keys else v}" for k, v in pairs)
    if "xml" in content_type and red.body_keys:
        import re

        for key in red.body_keys:
            text = re.sub(rf"(<{key}>)[^<]*(</{key}>)", rf"\g<1>{REDACTED}\g<2>", text, flags=re.I)
    return text


def redacted_pairs(query: str, red: Redaction) -> list[tuple[str, str]]:
    return [(k, REDACTED if k.lower() in red.query else v) for k, v in parse_qsl(query, keep_blank_values=True)]


def redact_query(query: str, red: Redaction) -> dict[str, Any]:
    return pairs_to_dict(redacted_pairs(query, red))


def entry_json(e: Entry, red: Redaction) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "time": _iso(e.time),
        "method": e.method,
        "path": e.path,
        "query": redact_query(e.query, red),
        "operation": e.operation,
        "status": e.status,
        "duration_ms": round(e.duration_ms, 3),
        "fault": e.fault,
        "request": {"headers": _headers(e.req_headers, red),
                    "body": body_view(e.req_body, _content_type(e.req_headers), red)},
        "response": {"headers": _headers(e.resp_headers, red),
                     "body": body_view(e.resp_body, _content_type(e.resp_headers), red)},
        "error": e.error,
    }


def entries_har(entries: list[Entry], red: Redaction, base_url: str, creator: str) -> dict[str, Any]:
    """The journal as HAR 1.2."""
    har_entries = []
    for e in entries:
        req_ct = _content_type(e.req_headers)
        resp_ct = _content_type(e.resp_headers)
        pairs = redacted_pairs(e.query, red)
        url = base_url.rstrip("/") + e.path + (("?" + urlencode(pairs)) if pairs else "")
        req: dict[str, Any] = {
            "method": e.method, "url": url, "httpVersion": "HTTP/1.1", "cookies": [],
            "headers": [{"name": k, "value": v} for k, v in _headers(e.req_headers, red).items()],
            "queryString": [{"name": k, "value": v} for k, v in pairs],
            "headersSize": -1, "bodySize": len(e.req_body),
        }
        if e.req_body:
            view = body_view(e.req_body, req_ct, red)
            req["postData"] = {"mimeType": req_ct or "application/octet-stream",
                               "text": view if isinstance(view, str) else json.dumps(view)}
        view = body_view(e.resp_body, resp_ct, red)
        content: dict[str, Any] = {"size": len(e.resp_body), "mimeType": resp_ct or "x-unknown"}
        if isinstance(view, dict) and set(view) == {"base64"}:
            content.update(text=view["base64"], encoding="base64")
        elif view is not None:
            content["text"] = view if isinstance(view, str) else json.dumps(view)
        har_entries.append({
            "startedDateTime": _iso(e.time), "time": round(e.duration_ms, 3), "request": req,
            "response": {"status": e.status, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [],
                         "headers": [{"name": k, "value": v} for k, v in _headers(e.resp_headers, red).items()],
                         "content": content, "redirectURL": "", "headersSize": -1,
                         "bodySize": len(e.resp_body)},
            "cache": {}, "timings": {"send": 0, "wait": round(e.duration_ms, 3), "receive": 0},
            "comment": e.operation or "",
        })
    return {"log": {"version": "1.2", "creator": {"name": creator, "version": "0.1.0"}, "entries": har_entries}}

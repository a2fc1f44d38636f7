"""A bounded journal of requests (a ring buffer), with credentials redacted on the way out."""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from . import journal_budget
from .http import pairs_to_dict
from .limits import parse_json
from .redact import REDACTED, redact_form, redact_multipart, redact_obj, redact_xml


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
    stub: str | None = None  # the stub rule that answered (or replaced the answer)
    delay_ms: float | None = None  # the delay waited (a rule's, or the server's --latency)
    issues: Sequence[Any] = ()  # the validation issues (core.errors.Issue) that refused it
    req_headers: Sequence[tuple[str, str]] = ()
    req_body: bytes = b""
    resp_headers_raw: Sequence[tuple[bytes, bytes]] = ()
    resp_body: bytes = b""
    error: str | None = None  # traceback of a handler crash
    req_len: int = -1  # full body sizes when the kept body was cut (seal); -1: the kept body is whole
    resp_len: int = -1
    cost: int = 0  # bytes charged to the journal's budget (seal); -1 once evicted

    @property
    def resp_headers(self) -> list[tuple[str, str]]:
        return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in self.resp_headers_raw]


class PackedPairs(Sequence[tuple[Any, Any]]):
    """Header name/value pairs as the journal keeps them: one string (or bytes) joined by NUL, a fifth of the
    memory of a list of tuples; read back as (name, value) pairs."""

    __slots__ = ("_blob", "_n")

    def __init__(self, blob: str | bytes, n: int) -> None:
        self._blob = blob
        self._n = n

    @classmethod
    def pack(cls, pairs: Sequence[tuple[Any, Any]]) -> Sequence[tuple[Any, Any]]:
        """`pairs` packed, or as given when empty, already packed, of mixed types or holding a NUL."""
        if not pairs or type(pairs) is not list:
            return pairs
        return _pack(pairs, "\x00" if isinstance(pairs[0][0], str) else b"\x00")[0]

    def _pairs(self) -> list[tuple[Any, Any]]:
        parts = self._blob.split("\x00" if isinstance(self._blob, str) else b"\x00")  # type: ignore[arg-type]
        return list(zip(parts[0::2], parts[1::2], strict=True))

    def __getitem__(self, index: Any) -> Any:
        return self._pairs()[index]

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Any:
        return iter(self._pairs())

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _pack(pairs: list[tuple[Any, Any]], sep: Any) -> tuple[Sequence[tuple[Any, Any]], int]:
    """(pairs packed with `sep`, the bytes charged); as given (charged 64 a pair) when they cannot be."""
    try:
        blob = sep.join(itertools.chain.from_iterable(pairs))
    except TypeError:  # not all of sep's type (an entry filled by hand)
        return pairs, 64 * len(pairs)
    if blob.count(sep) != 2 * len(pairs) - 1:  # a NUL inside: kept exactly as given
        return pairs, 64 * len(pairs)
    return PackedPairs(blob, len(pairs)), len(blob)


@dataclass(frozen=True)
class Redaction:
    headers: frozenset[str] = frozenset()
    query: frozenset[str] = frozenset()
    body_keys: frozenset[str] = frozenset()


BODY_KEEP = 64 * 1024  # bytes of each request / response body the journal keeps
BODY_BUDGET = 16 * 1024 * 1024  # bytes of bodies all entries together may keep (oldest entries go first)
_ENTRY_OVERHEAD = 512  # a rough charge for an entry's fixed fields (its headers are charged as kept)


class Journal:
    """A ring of at most `size` entries whose kept bodies together stay under `body_budget` bytes.

    Each body is cut to `body_keep` bytes when the entry is sealed (its full length is kept in
    `req_len`/`resp_len`); past the budget the oldest entries are dropped, whatever `size` says."""

    def __init__(self, size: int = 10_000, body_budget: int = BODY_BUDGET, body_keep: int = BODY_KEEP) -> None:
        self._entries: deque[Entry] = deque()
        self._size = max(int(size), 1)
        self._seq = 0
        self._bytes = 0
        self.body_budget = max(int(body_budget), 0)
        self.body_keep = max(min(int(body_keep), self.body_budget), 0)
        self._total = journal_budget.PROCESS  # every journal in the process together (journal_budget.py)
        self._key = self._total.join(self)

    def open(self, method: str, path: str, query: str, now: float) -> Entry:
        self._seq += 1
        entry = Entry(self._seq, now, method, path, query)
        entries = self._entries
        if len(entries) >= self._size:
            self._drop()
        entries.append(entry)
        return entry

    def _drop(self) -> None:
        old = self._entries.popleft()
        cost = max(old.cost, 0)
        old.cost = -1
        if cost:
            self._bytes -= cost
            self._total.charge(self._key, -cost)

    def drop_oldest(self) -> bool:
        """The process budget's trim: drop the oldest entry, keeping the newest one (False: nothing to drop)."""
        if len(self._entries) <= 1:
            return False
        self._drop()
        return True

    def seal(self, entry: Entry) -> None:
        """The request is done: cut its bodies to `body_keep`, charge the budget, drop the oldest past it."""
        keep = self.body_keep
        if len(entry.req_body) > keep:
            entry.req_len = len(entry.req_body)
            entry.req_body = entry.req_body[:keep]
        if len(entry.resp_body) > keep:
            entry.resp_len = len(entry.resp_body)
            entry.resp_body = entry.resp_body[:keep]
        heads = 0
        if type(entry.req_headers) is list and entry.req_headers:
            entry.req_headers, charge = _pack(entry.req_headers, "\x00")
            heads += charge
        if type(entry.resp_headers_raw) is list and entry.resp_headers_raw:
            entry.resp_headers_raw, charge = _pack(entry.resp_headers_raw, b"\x00")
            heads += charge
        if entry.cost < 0:  # evicted while it ran
            return
        entry.cost = cost = len(entry.req_body) + len(entry.resp_body) + heads + _ENTRY_OVERHEAD
        self._bytes += cost
        total = self._total
        total.charge(self._key, cost)
        total.used(self._key)
        entries = self._entries
        while self._bytes > self.body_budget and len(entries) > 1:
            self._drop()
        if total.total > total.limit:
            total.trim()

    @property
    def bytes_kept(self) -> int:
        return self._bytes

    def clear(self) -> None:
        self._entries.clear()
        self._total.charge(self._key, -self._bytes)
        self._bytes = 0

    def reset(self) -> None:
        """Cleared and numbered from 1 again (POST /__emulator/reset)."""
        self.clear()
        self._seq = 0

    def __len__(self) -> int:
        return len(self._entries)

    def entries(
        self,
        *,
        operation: str | None = None,
        method: str | None = None,
        status: int | None = None,
        limit: int | None = None,
        after: int | None = None,
    ) -> list[Entry]:
        """Oldest first. `limit` keeps the newest N, or with `after` (a seq) the first N after it (paging)."""
        out: Iterable[Entry] = self._entries
        if after is not None:
            out = (e for e in out if e.seq > after)
        if operation is not None:
            out = (e for e in out if e.operation == operation)
        if method is not None:
            m = method.upper()
            out = (e for e in out if e.method == m)
        if status is not None:
            out = (e for e in out if e.status == status)
        if after is not None and limit is not None:
            return list(itertools.islice(out, max(limit, 0)))
        result = list(out)
        if limit is not None:
            result = result[-limit:] if limit > 0 else []
        return result


# serialisation -------------------------------------------------------------------
def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _headers(items: Sequence[tuple[str, str]], red: Redaction) -> dict[str, str]:
    return {k: (_blank(k, v) if k.lower() in red.headers else v) for k, v in items}


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9-]*) \S")


def _blank(name: str, value: str) -> str:
    """A redacted header; an Authorization keeps its scheme word (not secret), so an export says how it
    authenticated (`Basic ***`) and a recording made from it knows which credential to name."""
    m = _SCHEME.match(value) if name.lower() in ("authorization", "proxy-authorization") else None
    return f"{m.group(1)} {REDACTED}" if m else REDACTED


def _content_type(items: Sequence[tuple[str, str]]) -> str:
    return _full_type(items).split(";")[0].strip().lower()


def _full_type(items: Sequence[tuple[str, str]]) -> str:
    for k, v in items:
        if k.lower() == "content-type":
            return v
    return ""


def body_view(raw: bytes, content_type: str, red: Redaction) -> Any:
    """JSON bodies as JSON, text as text, binary as {"base64": ...}; credentials blanked. Never raises.
    `content_type` is the header's whole value (a multipart body needs its boundary)."""
    if not raw:
        return None
    try:
        return _body_view(raw, content_type, red)
    except Exception:  # whatever the body is, the journal still answers
        return {"base64": base64.b64encode(raw).decode("ascii")}


def _body_view(raw: bytes, full_type: str, red: Redaction) -> Any:
    keys = red.body_keys
    content_type = full_type.split(";", 1)[0].strip().lower()
    if content_type.startswith("multipart/"):
        raw = redact_multipart(raw, full_type, keys)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(raw).decode("ascii")}
    if "json" in content_type or (not content_type and text[:1] in "{["):
        try:
            return redact_obj(parse_json(text), keys)  # depth-capped, no lone surrogates
        except Exception:
            return text
    if content_type == "application/x-www-form-urlencoded" and keys:
        return redact_form(text, keys)
    if "xml" in content_type and keys:
        return redact_xml(text, keys)
    return text


def redacted_pairs(query: str, red: Redaction) -> list[tuple[str, str]]:
    return [(k, REDACTED if k.lower() in red.query else v) for k, v in parse_qsl(query, keep_blank_values=True)]


def redact_query(query: str, red: Redaction) -> dict[str, Any]:
    return pairs_to_dict(redacted_pairs(query, red))


def _body_meta(kept: bytes, full_len: int) -> dict[str, Any]:
    """size (the whole body's length) and, when the journal kept only a prefix, truncated: true."""
    if full_len < 0:
        return {"body_size": len(kept)}
    return {"body_size": full_len, "body_truncated": True}


def entry_json(e: Entry, red: Redaction) -> dict[str, Any]:
    """One entry as served by GET /__emulator/requests. Never raises: a part that cannot be shown is
    replaced by what can (bodies as base64, the rest as text)."""
    try:
        return _entry_json(e, red)
    except Exception:
        return {
            "seq": e.seq,
            "time": _iso(e.time),
            "method": e.method,
            "path": e.path,
            "query": {},
            "operation": e.operation,
            "status": e.status,
            "duration_ms": round(e.duration_ms, 3),
            "fault": e.fault,
            "stub": e.stub,
            "delay_ms": e.delay_ms,
            "request": {"headers": {}, "body": _b64(e.req_body), **_body_meta(e.req_body, e.req_len)},
            "response": {"headers": {}, "body": _b64(e.resp_body), **_body_meta(e.resp_body, e.resp_len)},
            "error": e.error,
        }


def _b64(raw: bytes) -> Any:
    return {"base64": base64.b64encode(raw).decode("ascii")} if raw else None


def _entry_json(e: Entry, red: Redaction) -> dict[str, Any]:
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
        "stub": e.stub,
        "delay_ms": None if e.delay_ms is None else round(e.delay_ms, 3),
        "request": {
            "headers": _headers(e.req_headers, red),
            "body": body_view(e.req_body, _full_type(e.req_headers), red),
            **_body_meta(e.req_body, e.req_len),
        },
        "response": {
            "headers": _headers(e.resp_headers, red),
            "body": body_view(e.resp_body, _full_type(e.resp_headers), red),
            **_body_meta(e.resp_body, e.resp_len),
        },
        "error": e.error,
    }


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, default=str)


def har_log_head(creator: str) -> dict[str, Any]:
    return {"version": "1.2", "creator": {"name": creator, "version": "0.1.0"}}


def har_entry(e: Entry, red: Redaction, base_url: str) -> dict[str, Any]:
    """One journal entry as a HAR 1.2 entry (never raises)."""
    try:
        return _har_entry(e, red, base_url)
    except Exception:
        return {
            "startedDateTime": _iso(e.time),
            "time": round(e.duration_ms, 3),
            "request": {
                "method": e.method,
                "url": base_url.rstrip("/") + e.path,
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": [],
                "queryString": [],
                "headersSize": -1,
                "bodySize": -1,
            },
            "response": {
                "status": e.status,
                "statusText": "",
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": [],
                "content": {"size": -1, "mimeType": "x-unknown"},
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": -1,
            },
            "cache": {},
            "timings": {"send": 0, "wait": round(e.duration_ms, 3), "receive": 0},
            "comment": e.operation or "",
        }


def _har_entry(e: Entry, red: Redaction, base_url: str) -> dict[str, Any]:
    req_ct = _content_type(e.req_headers)
    resp_ct = _content_type(e.resp_headers)
    req_size = e.req_len if e.req_len >= 0 else len(e.req_body)
    resp_size = e.resp_len if e.resp_len >= 0 else len(e.resp_body)
    pairs = redacted_pairs(e.query, red)
    url = base_url.rstrip("/") + e.path + (("?" + urlencode(pairs)) if pairs else "")
    req: dict[str, Any] = {
        "method": e.method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [{"name": k, "value": v} for k, v in _headers(e.req_headers, red).items()],
        "queryString": [{"name": k, "value": v} for k, v in pairs],
        "headersSize": -1,
        "bodySize": req_size,
    }
    if e.req_body:
        view = body_view(e.req_body, _full_type(e.req_headers), red)
        req["postData"] = {
            "mimeType": req_ct or "application/octet-stream",
            "text": view if isinstance(view, str) else _dump(view),
        }
        if e.req_len >= 0:
            req["postData"]["comment"] = f"truncated: {len(e.req_body)} of {e.req_len} bytes kept"
    view = body_view(e.resp_body, _full_type(e.resp_headers), red)
    content: dict[str, Any] = {"size": resp_size, "mimeType": resp_ct or "x-unknown"}
    if isinstance(view, dict) and set(view) == {"base64"}:
        content.update(text=view["base64"], encoding="base64")
    elif view is not None:
        content["text"] = view if isinstance(view, str) else _dump(view)
    if e.resp_len >= 0:
        content["comment"] = f"truncated: {len(e.resp_body)} of {e.resp_len} bytes kept"
    return {
        "startedDateTime": _iso(e.time),
        "time": round(e.duration_ms, 3),
        "request": req,
        "response": {
            "status": e.status,
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": k, "value": v} for k, v in _headers(e.resp_headers, red).items()],
            "content": content,
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": resp_size,
        },
        "cache": {},
        "timings": {"send": 0, "wait": round(e.duration_ms, 3), "receive": 0},
        "comment": e.operation or "",
    }


def entries_har(entries: list[Entry], red: Redaction, base_url: str, creator: str) -> dict[str, Any]:
    """The journal as HAR 1.2."""
    return {"log": {**har_log_head(creator), "entries": [har_entry(e, red, base_url) for e in entries]}}

"""The JSON the dashboard reads: journal pages (summaries, newest first), one entry with its reasons,
the requests/second timeline, the state with what changed since a reset, and the namespaces."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from ..core.errors import BadRequest
from ..core.intparse import is_digits
from ..core.journal import Entry, Journal, Redaction, redacted_pairs

PER_PAGE = 100
TIMELINE_SECONDS = 60
TIMELINE_MIN_SECONDS = 10  # a quiet journal gets a short window of wide bars, not 60 slivers
MAX_CHANGES = 5000
CLASSES = ("2xx", "3xx", "4xx", "5xx", "other")


def iso_ms(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Filters:
    """What the Requests page filters by; every field optional."""

    operation: str | None = None
    method: str | None = None
    status: str | None = None  # "404", "4xx" or "0" (dropped connection)
    q: str | None = None

    @classmethod
    def from_query(cls, query: dict[str, Any]) -> Filters:
        def opt(name: str) -> str | None:
            value = query.get(name)
            return str(value).strip() or None if value is not None else None

        status = opt("status")
        if status is not None and not (
            is_digits(status) or (len(status) == 3 and status[0] in "12345" and status[1:].lower() == "xx")
        ):
            raise BadRequest(f"status: expected e.g. 404 or 4xx, got {status!r}")
        return cls(opt("operation"), opt("method"), status, opt("q"))

    def as_query(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (("operation", self.operation), ("method", self.method), ("status", self.status), ("q", self.q))
            if v
        }

    def apply(self, entries: Iterable[Entry]) -> list[Entry]:
        out = entries
        if self.operation:
            op = self.operation
            out = (e for e in out if e.operation == op)
        if self.method:
            m = self.method.upper()
            out = (e for e in out if e.method == m)
        if self.status:
            s = self.status.lower()
            if s.endswith("xx"):
                lo = int(s[0]) * 100
                out = (e for e in out if lo <= e.status < lo + 100)
            else:
                code = int(s)
                out = (e for e in out if e.status == code)
        if self.q:
            needle = self.q.lower()
            raw = needle.encode("utf-8")
            out = (
                e
                for e in out
                if needle in e.path.lower()
                or needle in e.query.lower()
                or needle in (e.operation or "").lower()
                or raw in e.req_body.lower()
                or raw in e.resp_body.lower()
                or needle in (e.error or "").lower()
            )  # a crash's text is journaled, not answered
        return list(out)


def status_class(status: int) -> str:
    return f"{status // 100}xx" if 200 <= status < 600 else "other"


_CLASS_BY_HUNDRED = {2: "2xx", 3: "3xx", 4: "4xx", 5: "5xx"}


def summary(e: Entry, red: Redaction) -> dict[str, Any]:
    pairs = redacted_pairs(e.query, red) if e.query else []
    return {
        "seq": e.seq,
        "time": iso_ms(e.time),
        "method": e.method,
        "path": e.path,
        "query": "&".join(f"{k}={v}" for k, v in pairs),
        "operation": e.operation,
        "status": e.status,
        "duration_ms": round(e.duration_ms, 3),
        "fault": e.fault,
        "stub": e.stub,
    }


def timeline(entries: list[Entry], now: float) -> dict[str, Any]:
    """Requests per second by status class over the last TIMELINE_SECONDS (emulator clock), or over
    the span the traffic covers when that is shorter (at least TIMELINE_MIN_SECONDS)."""
    end = max(now, entries[-1].time if entries else now)
    start = end - TIMELINE_SECONDS
    seen: list[tuple[float, int]] = []
    for e in reversed(entries):  # newest first; stop at the window's start
        if e.time < start:
            break  # the journal is in time order unless the clock moved back; good enough for a chart
        seen.append((e.time, e.status // 100))
    oldest = min((t for t, _ in seen), default=end)
    seconds = max(TIMELINE_MIN_SECONDS, min(TIMELINE_SECONDS, int(end - oldest) + 1))
    start = end - seconds
    counts: dict[tuple[int, int], int] = {}
    for t, hundred in seen:
        key = (min(max(int(t - start), 0), seconds - 1), hundred)
        counts[key] = counts.get(key, 0) + 1
    buckets = [dict.fromkeys(CLASSES, 0) for _ in range(seconds)]
    for (i, hundred), n in counts.items():
        buckets[i][_CLASS_BY_HUNDRED.get(hundred, "other")] += n
    return {"end": iso_ms(end), "seconds": seconds, "buckets": buckets}


def pager(page: int, pages: int) -> list[int | None]:
    """Page numbers to link: the first and last two, and two either side of `page`; None is a gap."""
    shown = sorted({n for n in (1, 2, pages - 1, pages, *range(page - 2, page + 3)) if 1 <= n <= pages})
    out: list[int | None] = []
    for n in shown:
        if out and out[-1] is not None and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def requests_page(
    journal: Journal,
    filters: Filters,
    red: Redaction,
    now: float,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    after: int | None = None,
    chart: bool = True,
) -> dict[str, Any]:
    """One page of matching entries, newest first; with `after`, only entries newer than that seq."""
    everything = journal.entries()
    matched = filters.apply(everything)
    graph = timeline(matched, now) if chart else None
    if after is not None:
        matched = [e for e in matched if e.seq > after]
    pages = max(1, -(-len(matched) // per_page))
    page = min(max(page, 1), pages)
    stop = len(matched) - (page - 1) * per_page
    rows = [summary(e, red) for e in reversed(matched[max(0, stop - per_page) : stop])]
    return {
        "rows": rows,
        "total": len(everything),
        "matched": len(matched),
        "last_seq": everything[-1].seq if everything else 0,
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "timeline": graph,
    }


def find_entry(journal: Journal, seq: int) -> Entry | None:
    for e in reversed(journal.entries()):
        if e.seq == seq:
            return e
        if e.seq < seq:
            return None
    return None


def issues_json(e: Entry) -> list[dict[str, str]]:
    """The validation issues that refused the request (never the offending value: it may be a secret)."""
    return [
        {
            "location": str(i.location),
            "name": str(i.name),
            "message": str(i.message),
            "keyword": str(getattr(i, "keyword", "") or ""),
        }
        for i in e.issues
    ]


# state: what changed since the last reset --------------------------------------------------------
def _pointer(path: str, key: Any) -> str:
    return f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"


def diff(current: Any, baseline: Any, path: str, changed: list[str], removed: list[str]) -> None:
    """JSON pointers of values in `current` that are new or differ (changed) and of those gone (removed)."""
    if len(changed) >= MAX_CHANGES or len(removed) >= MAX_CHANGES:
        return
    if isinstance(current, dict) and isinstance(baseline, dict):
        for k, v in current.items():
            if k in baseline:
                diff(v, baseline[k], _pointer(path, k), changed, removed)
            else:
                changed.append(_pointer(path, k))
        removed.extend(_pointer(path, k) for k in baseline if k not in current)
    elif isinstance(current, list) and isinstance(baseline, list):
        for i, v in enumerate(current):
            if i < len(baseline):
                diff(v, baseline[i], _pointer(path, i), changed, removed)
            else:
                changed.append(_pointer(path, i))
        removed.extend(_pointer(path, i) for i in range(len(current), len(baseline)))
    elif current != baseline or type(current) is not type(baseline):
        changed.append(path)


def state_changes(state: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    changed: list[str] = []
    removed: list[str] = []
    for key in ("tenants", "global"):  # "ids" counters move with every create: not a field anyone edits
        diff(state.get(key), baseline.get(key), "/" + key, changed, removed)
    truncated = len(changed) >= MAX_CHANGES or len(removed) >= MAX_CHANGES
    return {"state": state, "changed": changed[:MAX_CHANGES], "removed": removed[:MAX_CHANGES], "truncated": truncated}


def namespace_ui(root: str, name: str) -> str:
    """Path of a namespace's dashboard, below the server's root path."""
    return f"{root}/__ns/{quote(name, safe='')}/__emulator/ui/" if name else f"{root}/__emulator/ui/"


# webhooks: the outbox's deliveries, one row per attempt ---------------------------------------------------
DELIVERY_ROWS = 200


def _header(headers: dict[str, str], suffix: str) -> str:
    """The value of the header whose name ends with `suffix` (e.g. X-SuperOffice-Signature), any casing:
    the kernel knows no vendor's header names, each API's events carry their own."""
    return next((v for k, v in headers.items() if k.lower().endswith(suffix)), "")


def delivery_rows(deliveries: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The newest `limit` delivery attempts, newest first, flattened for the Webhooks page."""
    rows = []
    for d in reversed(deliveries[-limit:]):
        request = d.get("request") or {}
        headers = request.get("headers") or {}
        response = d.get("response") or {}
        rows.append(
            {
                "id": d.get("id", ""),
                "sent": d.get("sent", ""),
                "event": d.get("event", ""),
                "event_id": _header(headers, "-eventid"),
                "attempt": d.get("attempt", 1),
                "subscription": d.get("subscription", ""),
                "tenant": d.get("tenant"),
                "url": request.get("url", ""),
                "outcome": d.get("outcome", ""),
                "status": response.get("status"),
                "error": d.get("error") or "",
                "fault": d.get("fault") or "",
                "signature": _header(headers, "-signature"),
            }
        )
    return rows

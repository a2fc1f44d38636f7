"""`GET /__emulator/requests`, paged and streamed: reading a full journal never holds the event loop.

Query: `operation`, `method`, `status` (filters), `limit` (the newest N; with `after`, the first N after it),
`after` (a `seq`: only later entries, for paging forward), `format` (`json` | `har`; `scenario` is built
whole, in a worker thread, by `send_built`). The entries are
serialised in slices of at most SLICE_SECONDS of work (or SLICE_BYTES of output) and sent as they are ready;
between slices other requests (`/health`, the API itself) run. Answers `{"requests": [...]}`, with `after`
also `"next": seq|null` (pass it as `after` to get the following page; null when nothing follows).
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from .control_context import ControlContext, render_control_error
from .errors import BadRequest, ErrorBody
from .http import send_response
from .intparse import parse_int
from .journal import Entry, entry_json, har_entry, har_log_head

if TYPE_CHECKING:
    from .world import World

SLICE_SECONDS = 0.003
SLICE_BYTES = 256 * 1024
_JSON = [(b"content-type", b"application/json; charset=utf-8")]
_MIN_TS = datetime(1, 1, 2).timestamp()
_MAX_TS = datetime(9999, 12, 30).timestamp()


def check_clock_range(ts: float) -> None:
    """The emulator clock stays within the years datetime can show (1..9999); else ValueError."""
    if not (ts == ts and _MIN_TS <= ts <= _MAX_TS):
        raise ValueError("clock out of range")


def _dump(value: Any) -> bytes:
    # ASCII escapes: any string (even an odd one from a fixture file) encodes; never raises for JSON values
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), default=str).encode("ascii")


async def send_error(send: Any, rendered: ErrorBody) -> None:
    headers = [*_JSON, *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in rendered.headers.items())]
    await send_response(send, rendered.status, headers, _dump(rendered.body))


def query_params(scope: dict[str, Any]) -> dict[str, str]:
    raw = scope.get("query_string", b"").decode("latin-1")
    return {k: v for k, v in parse_qsl(raw, keep_blank_values=True)}


def _int_param(q: dict[str, str], name: str, low: int, high: int | None = None) -> int | None:
    if name not in q:
        return None
    value = parse_int(q[name])
    if value is None or value < low or (high is not None and value > high):
        bound = f" between {low} and {high}" if high is not None else f" of at least {low}"
        raise BadRequest(f"{name}: expected an integer{bound}", issues=[], param=name)
    return value


def _select(world: World, q: dict[str, str]) -> tuple[list[Entry], int | None]:
    fmt = q.get("format", "json")
    if fmt not in ("json", "har", "scenario"):
        raise BadRequest("format: expected json, har or scenario")
    limit = _int_param(q, "limit", 0)
    after = _int_param(q, "after", 0)
    status = _int_param(q, "status", 0, 999)
    entries = world.journal.entries(
        operation=q.get("operation"), method=q.get("method"), status=status, limit=limit, after=after
    )
    nxt = None
    if after is not None and limit is not None and entries:
        last = entries[-1].seq
        if any(
            True
            for _ in world.journal.entries(
                operation=q.get("operation"), method=q.get("method"), status=status, after=last, limit=1
            )
        ):
            nxt = last
    return entries, nxt


async def stream_requests(ctx: ControlContext, world: World, scope: dict[str, Any], send: Any, base_url: str) -> None:
    q = query_params(scope)
    try:
        entries, nxt = _select(world, q)
    except BadRequest as err:
        await send_error(send, render_control_error(err, None))
        return
    red = ctx.redaction
    pieces: Iterator[bytes]
    if q.get("format") == "har":
        head = _dump(har_log_head(f"emulators/{ctx.spec.name}"))[:-1]
        pieces = _pieces(
            b'{"log":' + head + b',"entries":[', (lambda e: _dump(har_entry(e, red, base_url))), entries, b"]}}"
        )
    else:
        tail = b"]}"
        if "after" in q:  # paging: where the next page starts
            tail = b'],"next":' + (str(nxt).encode("ascii") if nxt is not None else b"null") + b"}"
        pieces = _pieces(b'{"requests":[', (lambda e: _dump(entry_json(e, red))), entries, tail)
    if scope["method"] == "HEAD":
        await send_head(send, list(_JSON))
        return
    await send({"type": "http.response.start", "status": 200, "headers": list(_JSON)})
    buf: list[bytes] = []
    size = 0
    started = time.perf_counter()
    for piece in pieces:
        buf.append(piece)
        size += len(piece)
        if size >= SLICE_BYTES or time.perf_counter() - started >= SLICE_SECONDS:
            await send({"type": "http.response.body", "body": b"".join(buf), "more_body": True})
            buf, size = [], 0
            await asyncio.sleep(0)  # let every other ready request run
            started = time.perf_counter()
    await send({"type": "http.response.body", "body": b"".join(buf), "more_body": False})


def _pieces(head: bytes, render: Any, entries: list[Entry], tail: bytes) -> Iterator[bytes]:
    yield head
    for i, e in enumerate(entries):
        yield (b"," if i else b"") + render(e)
    yield tail


# Exports built from the whole journal (a scenario) ----------------------------------------------------------
EXPORT_MAX_ENTRIES = 2_000  # the newest entries a scenario export is built from (bounds its time and size)
_export_lock: asyncio.Lock | None = None  # one export built at a time per process: builds share one GIL


async def send_built(send: Any, build: Callable[[], bytes], headers: list[tuple[bytes, bytes]]) -> None:
    """Answer 200 with what `build` returns, built in a worker thread (the event loop keeps serving `/health`
    and every API meanwhile), then sent in slices of SLICE_BYTES with a pause between them."""
    global _export_lock
    if _export_lock is None:
        _export_lock = asyncio.Lock()
    async with _export_lock:
        body = await asyncio.to_thread(_without_gc, build)
    await send({"type": "http.response.start", "status": 200, "headers": [*headers, _length(body)]})
    view = memoryview(body)
    for start in range(0, max(len(body), 1), SLICE_BYTES):
        last = start + SLICE_BYTES >= len(body)
        await send(
            {"type": "http.response.body", "body": bytes(view[start : start + SLICE_BYTES]), "more_body": not last}
        )
        if not last:
            await asyncio.sleep(0)


async def send_head(send: Any, headers: list[tuple[bytes, bytes]]) -> None:
    """HEAD on an export: its GET's headers without a Content-Length (RFC 9110 lets HEAD leave it out,
    and counting the body would mean building it), and no body."""
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _without_gc(build: Callable[[], bytes]) -> bytes:
    """`build()` with the cyclic collector paused: a full collection in the worker holds the one GIL for
    hundreds of milliseconds over a big journal, the event loop with it (the build makes no cycles to free)."""
    was = gc.isenabled()
    gc.disable()
    try:
        return build()
    finally:
        if was:
            gc.enable()


def _length(body: bytes) -> tuple[bytes, bytes]:
    return (b"content-length", str(len(body)).encode("ascii"))


def export_entries(world: World, q: dict[str, str]) -> list[Entry]:
    """The entries a scenario export is built from (filters as `GET requests`; at most EXPORT_MAX_ENTRIES)."""
    entries, _ = _select(world, q)
    return entries[-EXPORT_MAX_ENTRIES:]


def flag(q: dict[str, str], name: str) -> bool:
    value = q.get(name, "false").strip().lower()
    if value not in ("true", "false", "1", "0"):
        raise BadRequest(f"{name}: expected true or false", issues=[], param=name)
    return value in ("true", "1")

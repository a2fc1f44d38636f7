"""`python -m benchmarks.attribution`: where one request's server CPU goes, per hot operation of `make bench`.

The emulator is served as `emulators serve` serves it (build_app + make_server: uvloop, our httptools
protocol, journal on, not strict) on a thread of this process; one keep-alive client sends the operation's
requests (targets.py, round-robin over ten records) one at a time. After 300 warm-up requests:
  1. three unprofiled passes of N: the server thread's CPU time (pthread CPU clock) per request -- the total;
  2. one pass of N under cProfile with the server thread's CPU clock as its timer: the cumulative CPU time of the
     pipeline's steps, as shares of that thread's profiled CPU time.
CPU time (not wall time) is what the other jobs of a shared machine barely move; the shares are
applied to the unprofiled total to give microseconds per request. Knobs: ATTR_REQUESTS (default 2000),
BENCH_ONLY (comma-separated API names)."""

from __future__ import annotations

import asyncio
import cProfile
import http.client
import os
import pstats
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

from benchmarks.targets import TARGETS, Req, Target

N = int(os.environ.get("ATTR_REQUESTS", "2000"))
PASSES = 3
ONLY = {a for a in os.environ.get("BENCH_ONLY", "").split(",") if a}

# (row, [(file suffix, function name), ...]): cumulative CPU of those functions, per request
STEPS: list[tuple[str, list[tuple[str, str]]]] = [
    ("routing", [("core/routing.py", "match"), ("core/app.py", "_split_namespace")]),
    ("auth", [("core/pipeline.py", "_authenticate")]),
    (
        "validation (body decode + parameters + body schema)",
        [
            ("core/request_io.py", "decode_body"),
            ("core/request_io.py", "check_characters"),
            ("core/pipeline.py", "_validate"),
        ],
    ),
    ("handler (state read/write)", [("core/pipeline.py", "_run_handler")]),
    ("rendering and encoding", [("core/pipeline.py", "_encode")]),
    ("journal", [("core/journal.py", "open"), ("core/journal.py", "seal")]),
]
_IO = [("core/request_io.py", "read_body"), ("core/http.py", "send_response")]
_APP = ("core/app.py", "_http")


class Served:
    """One emulator on a thread with its own uvloop loop; `cpu()` is that thread's CPU clock."""

    def __init__(self, api: str) -> None:
        from emulators import build_app
        from emulators.core.server_accept import loop_factory
        from emulators.server import bind, make_server

        self.app = build_app(api, strict=False)
        self.sock = bind(api, "127.0.0.1", 0)
        self.port = int(self.sock.getsockname()[1])
        self.server = make_server(self.app, "127.0.0.1", self.port)
        self.loop = loop_factory()  # as `emulators serve` runs it
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.wait(10)
        self.clock = time.pthread_getcpuclockid(self.thread.ident or 0)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self.ready.set)
        self.loop.run_until_complete(self.server.serve(sockets=[self.sock]))

    def cpu(self) -> float:
        return time.clock_gettime(self.clock)

    def in_thread(self, fn: Callable[[], Any]) -> None:
        done = threading.Event()

        def call() -> None:
            fn()
            done.set()

        self.loop.call_soon_threadsafe(call)
        done.wait(10)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def _send(conn: http.client.HTTPConnection, reqs: list[Req], n: int) -> None:
    for i in range(n):
        r = reqs[i % len(reqs)]
        conn.request(r.method, r.path, body=r.body or None, headers=r.headers)
        resp = conn.getresponse()
        resp.read()
        if resp.status >= 400:
            raise RuntimeError(f"{r.method} {r.path}: {resp.status}")


def _cum(stats: Any, wanted: list[tuple[str, str]]) -> float:
    total = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.items():
        if any(filename.endswith(suffix) and name == fn for suffix, fn in wanted):
            total += ct
    return total


def attribute(target: Target) -> dict[str, float]:
    served = Served(target.api)
    try:
        reqs = target.prepare(f"http://127.0.0.1:{served.port}")
        conn = http.client.HTTPConnection("127.0.0.1", served.port)
        _send(conn, reqs, 300)  # warm-up: caches, first-use stores, memoised verdicts
        passes = []
        for _ in range(PASSES):
            c0 = served.cpu()
            _send(conn, reqs, N)
            passes.append((served.cpu() - c0) / N * 1e6)
        # time.thread_time: the CPU clock of the thread the profiler's hooks run on, the server's
        prof = cProfile.Profile(time.thread_time)
        served.in_thread(prof.enable)
        c0 = served.cpu()
        _send(conn, reqs, N)
        served.in_thread(prof.disable)
        profiled = served.cpu() - c0
        conn.close()
    finally:
        served.stop()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    out = {
        "total_us": statistics.median(passes),
        "min_us": min(passes),
        "max_us": max(passes),
        "profiled_us": profiled / N * 1e6,
    }
    shares: dict[str, float] = {}
    for row, fns in STEPS:
        shares[row] = _cum(stats, fns) / profiled
    app = _cum(stats, [_APP]) / profiled
    io = _cum(stats, _IO) / profiled
    shares["pipeline glue (headers, Call, dispatch)"] = app - io - sum(shares.values())
    shares["HTTP layer (uvicorn protocol, event loop, socket, body read, response write)"] = 1 - app + io
    for row, share in shares.items():
        out[row] = share
    return out


def main() -> int:
    print(f"server CPU per request, {N} sequential keep-alive requests per pass (see the module docstring)\n")
    rows: list[str] = []
    results: list[tuple[Target, dict[str, float]]] = []
    for target in TARGETS:
        if ONLY and target.api not in ONLY:
            continue
        res = attribute(target)
        results.append((target, res))
        rows = [k for k in res if not k.endswith("_us")]
    head = "| step | " + " | ".join(f"{t.api} {t.op}" for t, _ in results) + " |"
    print(head)
    print("|---|" + "---:|" * len(results))
    print(
        "| **server CPU per request, µs** (median, min-max of 3 passes) | "
        + " | ".join(f"**{r['total_us']:.0f}** ({r['min_us']:.0f}-{r['max_us']:.0f})" for _, r in results)
        + " |"
    )
    for row in rows:
        cells = " | ".join(f"{r[row] * r['total_us']:.0f} ({r[row] * 100:.0f} %)" for _, r in results)
        print(f"| {row} | {cells} |")
    print("| (under cProfile, µs) | " + " | ".join(f"{r['profiled_us']:.0f}" for _, r in results) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

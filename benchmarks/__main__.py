"""`python -m benchmarks`: the echo API (validated, journaled, stateful PUT) against a bare Starlette
parse-and-update baseline, both under real uvicorn on 127.0.0.1, driven by the same bounded load.
Also: `emulators serve` start-up per API, and in-process build/reset timings."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks import wrk
from benchmarks.load import LoadResult, request_bytes, run_load

ROOT = Path(__file__).resolve().parents[1]
TOTAL = int(os.environ.get("BENCH_REQUESTS", "20000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
PIPELINE = int(os.environ.get("BENCH_PIPELINE", "16"))
LATENCY_CONNECTIONS = int(os.environ.get("BENCH_LATENCY_CONNECTIONS", "4"))
BODY = json.dumps({"name": "kiwi", "qty": 3, "tags": ["a", "b"]}).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def spawn(args: list[str], probe: str) -> tuple[subprocess.Popen[bytes], float]:
    """Start a server; return it and the seconds from spawn to the first successful response."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = t0 + 30
    while time.perf_counter() < deadline:
        try:
            if httpx.get(probe, timeout=0.5).status_code == 200:
                return proc, time.perf_counter() - t0
        except httpx.TransportError:
            time.sleep(0.005)
    proc.kill()
    raise RuntimeError(f"{args} did not start")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load(port: int, payload: bytes, depth: int, connections: int = CONNECTIONS) -> LoadResult:
    coro = run_load("127.0.0.1", port, payload, TOTAL, connections, depth)
    try:
        import uvloop

        return uvloop.run(coro)
    except ImportError:
        return asyncio.run(coro)


def bench_server(name: str, args: list[str], port: int, probe: str, payload: bytes,
                 prepare: object = None) -> dict[str, float]:
    proc, startup = spawn(args, probe)
    try:
        if callable(prepare):
            payload = prepare(port)
        load(port, payload, PIPELINE)  # warm-up round (also fills caches)
        res = load(port, payload, PIPELINE)  # throughput: pipelined, so the server is the bottleneck
        rss1 = rss_mb(proc.pid)
        res2 = load(port, payload, PIPELINE)  # a second full round: RSS must not grow with request count
        rss2 = rss_mb(proc.pid)
        lat = load(port, payload, 1, LATENCY_CONNECTIONS)  # latency: one request per round trip
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    errors = res.errors + res2.errors + lat.errors
    if errors:
        raise RuntimeError(f"{name}: {errors} error responses during the load")
    return {"rps": (res.rps + res2.rps) / 2, "p50": statistics.median(lat.latencies_ms), "p99": lat.pct(99),
            "startup": startup, "rss": rss2, "rss_growth": rss2 - rss1}


def bench_pair_wrk(servers: dict[str, tuple[list[str], int, str, object]]) -> dict[str, dict[str, float]]:
    """Both servers up at once; wrk rounds interleaved (A, B, A, B, ...) so that the machine's noise hits
    both alike; medians over the rounds."""
    procs: dict[str, subprocess.Popen[bytes]] = {}
    out: dict[str, dict[str, float]] = {}
    try:
        targets = {}
        for name, (args, port, probe, prepare) in servers.items():
            procs[name], startup = spawn(args, probe)
            headers = {"Content-Type": "application/json"}
            if callable(prepare):
                headers["X-Api-Key"] = prepare(port, token_only=True)
            targets[name] = (f"http://127.0.0.1:{port}/items/kiwi", headers)
            out[name] = {"startup": startup}
            wrk.run(targets[name][0], "PUT", headers, BODY, 2, CONNECTIONS)  # warm-up
            out[name]["rss_first"] = rss_mb(procs[name].pid)
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
        for _ in range(ROUNDS):
            for name, (url, headers) in targets.items():
                runs[name].append(wrk.run(url, "PUT", headers, BODY, SECONDS, CONNECTIONS))
        for name in servers:
            if any(r["errors"] for r in runs[name]):
                raise RuntimeError(f"{name}: error responses during the load")
            rss = rss_mb(procs[name].pid)
            out[name].update(rps=statistics.median(r["rps"] for r in runs[name]),
                             p50=statistics.median(r["p50"] for r in runs[name]),
                             p99=statistics.median(r["p99"] for r in runs[name]),
                             rss=rss, rss_growth=rss - out[name]["rss_first"],
                             rps_min=min(r["rps"] for r in runs[name]), rps_max=max(r["rps"] for r in runs[name]))
    finally:
        for proc in procs.values():
            proc.terminate()
            proc.wait(timeout=10)
    return out


def echo_payload(port: int, token_only: bool = False) -> Any:
    token = httpx.post(f"http://127.0.0.1:{port}/login", params={"user": "alice"}).json()["token"]
    if token_only:
        return token
    return request_bytes("PUT", "/items/kiwi", {"Content-Type": "application/json", "X-Api-Key": token}, BODY)


def in_process() -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from emulators import build_app
    from emulators.testing.transport import client_for
    from tests.echo import EMULATOR

    build_app(EMULATOR)  # import + first contract/fixture parse
    samples = []
    for _ in range(50):
        t0 = time.perf_counter()
        app = build_app(EMULATOR)
        with client_for(app) as c:
            c.post("/__emulator/reset")
            c.post("/login", params={"user": "alice"})
        samples.append((time.perf_counter() - t0) * 1000)
    out = {"build_reset_request_ms": statistics.median(samples)}
    try:
        from emulators.testing.measure import reset_and_request_median_ms

        out["reset_request_ms"] = reset_and_request_median_ms(EMULATOR)
    except ImportError:
        with client_for(build_app(EMULATOR)) as c:
            xs = []
            for _ in range(500):
                t0 = time.perf_counter()
                c.post("/__emulator/reset")
                c.post("/login", params={"user": "alice"})
                xs.append((time.perf_counter() - t0) * 1000)
        out["reset_request_ms"] = statistics.median(xs)
    return out


def serve_startups() -> dict[str, float]:
    from emulators import registry

    out = {}
    for api in registry.available():
        port = free_port()
        try:
            proc, startup = spawn([sys.executable, "-m", "emulators", "serve", api, "--port", str(port)],
                                  f"http://127.0.0.1:{port}/__emulator/health")
        except RuntimeError:
            print(f"emulators serve {api}: did not start")
            continue
        proc.terminate()
        proc.wait(timeout=10)
        out[api] = startup
    return out


def main() -> int:
    if wrk.available():
        print(f"load: wrk, {ROUNDS} interleaved rounds of {SECONDS} s per server (medians), {CONNECTIONS} keep-alive"
              f" connections, 127.0.0.1 only\n")
    else:
        print(f"load (wrk not installed; Python client): {TOTAL} requests x 2 rounds, {CONNECTIONS} connections"
              f" pipelining {PIPELINE} deep; latency: {LATENCY_CONNECTIONS} connections, one at a time\n")
    bp, ep = free_port(), free_port()
    base_args = [sys.executable, "-m", "benchmarks.baseline", str(bp)]
    echo_args = [sys.executable, "-m", "tests.echo.serve", str(ep)]
    if wrk.available():
        pair = bench_pair_wrk({"echo": (echo_args, ep, f"http://127.0.0.1:{ep}/__emulator/health", echo_payload),
                               "baseline": (base_args, bp, f"http://127.0.0.1:{bp}/health", None)})
        echo, base = pair["echo"], pair["baseline"]
    else:
        base = bench_server("baseline", base_args, bp, f"http://127.0.0.1:{bp}/health",
                            request_bytes("PUT", "/items/kiwi", {"Content-Type": "application/json"}, BODY))
        echo = bench_server("echo", echo_args, ep, f"http://127.0.0.1:{ep}/__emulator/health", b"",
                            prepare=echo_payload)
    rows = [("requests/s (higher is better)", "rps", True), ("p50 latency ms", "p50", False),
            ("p99 latency ms", "p99", False), ("start-up to first response s", "startup", False),
            ("RSS after run MB", "rss", False), ("RSS growth during the load MB", "rss_growth", False)]
    print(f"{'figure':34} {'emulator':>10} {'baseline':>10} {'ratio':>8}")
    for label, key, higher in rows:
        e, b = echo[key], base[key]
        ratio = (e / b if higher else (b / e if e else float("inf"))) if b else float("nan")
        print(f"{label:34} {e:10.3f} {b:10.3f} {ratio:7.2f}x")
    if "rps_min" in echo:
        print(f"{'requests/s range over the rounds':34} {echo['rps_min']:6.0f}-{echo['rps_max']:<6.0f}"
              f"{base['rps_min']:6.0f}-{base['rps_max']:<6.0f}")
    print("(ratio: emulator relative to baseline, >1 = emulator better; target requests/s ratio >= 0.70)\n")
    ip = in_process()
    print(f"in-process build_app + reset + one request (median): {ip['build_reset_request_ms']:.2f} ms (target <= 5)")
    print(f"in-process reset + one request (median):             {ip['reset_request_ms']:.3f} ms (target <= 1)")
    starts = serve_startups()
    for api, s in starts.items():
        print(f"emulators serve {api:12} to first response: {s:.3f} s (target <= 0.25 per API)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`make bench`: a latency distribution as measured over a real socket against the one asked for.

`emulators serve aktion --latency '{"lognormal": ...}'` answers 1,000 GETs sent 10 at a time (after 100 to warm up); the
time to each answer, less the median time without latency, is compared with the asked median and p95."""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time

import httpx

from emulators.core.latency import Delay

ASKED = {"lognormal": {"median_ms": 40, "sigma": 0.5}}
REQUESTS, CONCURRENCY = 1000, 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _times(url: str) -> list[float]:
    out: list[float] = []
    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def one() -> None:
            t0 = time.perf_counter()
            await client.get("/not/routed")  # an API request (404): delayed like any other
            out.append((time.perf_counter() - t0) * 1000)

        for _ in range(100 // CONCURRENCY):
            await asyncio.gather(*(one() for _ in range(CONCURRENCY)))
        out.clear()
        for _ in range(REQUESTS // CONCURRENCY):
            await asyncio.gather(*(one() for _ in range(CONCURRENCY)))
    return out


def _serve(*extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulators", "serve", "aktion", "--port", str(port), "--seed", "1", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    return proc, f"http://127.0.0.1:{port}"


def _q(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[round(q * 100) - 1]


def report() -> None:
    proc, url = _serve()
    try:
        floor = statistics.median(asyncio.run(_times(url)))
    finally:
        proc.terminate()
        proc.wait()
    proc, url = _serve("--latency", json.dumps(ASKED))
    try:
        measured = [t - floor for t in asyncio.run(_times(url))]
        entries = httpx.get(url + "/__emulator/requests").json()["requests"]
        applied = [e["delay_ms"] for e in entries[-REQUESTS:]]
    finally:
        proc.terminate()
        proc.wait()
    dist = Delay.from_spec(ASKED)
    print(f"latency {dist.describe()}, {REQUESTS} requests {CONCURRENCY} at a time over a socket (aktion):")
    for name, q in (("median", 0.5), ("p95", 0.95)):
        asked = dist.quantile(q)
        got, sampled = _q(measured, q), _q(applied, q)
        print(
            f"  {name:6} asked {asked:6.1f} ms  measured {got:6.1f} ms ({(got - asked) / asked:+.1%})"
            f"  applied {sampled:6.1f} ms ({(sampled - asked) / asked:+.1%})"
        )
    print(f"  (measured: time to the answer less the median without latency, {floor:.2f} ms)\n")


if __name__ == "__main__":
    report()

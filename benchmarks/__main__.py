"""`python -m benchmarks` (`make bench`): the operations users call, per API, against a bare Starlette
parse-update-dumps baseline on bodies of the same size, in the same run, under the same uvicorn.

For each target (benchmarks/targets.py: one hot write and one hot read per API, real auth, ten records
cycled) the emulator and the baseline are loaded alternately (A, B, A, B, ...) with wrk at 32
connections without pipelining, so the machine's noise hits both alike; medians and the spread over
the rounds are printed. Then: the echo API (the kernel's floor), RSS after a long SuperOffice PUT soak,
PUT latency with 100,000 stored records against 10, in-process GET latency, SuperOffice PUT latency
with 10 subscribed webhooks against none (benchmarks/webhooks.py), and `emulators serve`
start-up per API. Environment knobs: BENCH_SECONDS, BENCH_ROUNDS, BENCH_WARMUP, BENCH_CONNECTIONS,
BENCH_SOAK_REQUESTS, BENCH_ONLY (comma-separated API names)."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx

from benchmarks import inprocess, latency, webhooks, wrk
from benchmarks.targets import TARGETS, Req, Target

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SOAK = int(os.environ.get("BENCH_SOAK_REQUESTS", "300000"))
ONLY = {a for a in os.environ.get("BENCH_ONLY", "").split(",") if a}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def spawn(args: list[str], probe: str) -> tuple[subprocess.Popen[bytes], float]:
    """Start a server; return it and the seconds from spawn to the first successful response. The probing
    client is made before the clock starts (a client per attempt would build an SSL context each time and
    compete with the starting server for the CPU)."""
    with httpx.Client(timeout=0.5) as client:
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = t0 + 30
        while time.perf_counter() < deadline:
            try:
                if client.get(probe).status_code == 200:
                    return proc, time.perf_counter() - t0
            except httpx.TransportError:
                time.sleep(0.005)
    proc.kill()
    raise RuntimeError(f"{args} did not start")


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process from /proc/<pid>/stat: what the server itself burnt, whatever else the
    machine runs (fields 14 and 15, counted after the command name, which may hold spaces)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Server:
    def __init__(self, name: str, args: list[str], port: int, probe_path: str) -> None:
        self.name, self.port = name, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc, self.startup = spawn(args, self.url + probe_path)
        self.requests = 0.0

    def load(self, reqs: list[Req], seconds: float) -> dict[str, float]:
        cpu0 = cpu_seconds(self.proc.pid)
        res = wrk.run(self.url, reqs, seconds, CONNECTIONS)
        cpu = cpu_seconds(self.proc.pid) - cpu0
        res["per_cpu_s"] = res["requests"] / cpu if cpu > 0 else float("nan")
        self.requests += res["requests"]
        if res["errors"]:
            raise RuntimeError(f"{self.name}: {res['errors']:.0f} error responses during the load ({reqs[0]})")
        return res

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def baseline_requests(base: Server, target_reqs: list[Req], api_url: str) -> list[Req]:
    """Baseline requests of the same sizes: each stored item is the emulator's answer to the matching
    request (so the baseline dumps as many bytes), and a write sends the emulator's request body (or,
    for a write whose values travel in the query, those values as a JSON object)."""
    out = []
    with httpx.Client() as c:
        for i, r in enumerate(target_reqs):
            answer = c.request(r.method, api_url + r.path, headers=r.headers, content=r.body or None)
            answer.raise_for_status()
            c.put(
                f"{base.url}/items/{i}",
                params={"replace": "1"},
                content=answer.content,
                headers={"Content-Type": "application/json"},
            ).raise_for_status()
            if r.method == "GET":
                out.append(Req("GET", f"/items/{i}", {}))
            else:
                body = r.body or json.dumps(dict(parse_qsl(urlsplit(r.path).query))).encode()
                out.append(Req("PUT", f"/items/{i}", {"Content-Type": "application/json"}, body))
    return out


def bench_target(api: Server, base: Server, target: Target) -> dict[str, float]:
    reqs = target.prepare(api.url)
    base_reqs = baseline_requests(base, reqs, api.url)
    api.load(reqs, WARMUP)
    base.load(base_reqs, WARMUP)
    runs: dict[str, list[dict[str, float]]] = {"api": [], "base": []}
    for _ in range(ROUNDS):
        runs["api"].append(api.load(reqs, SECONDS))
        runs["base"].append(base.load(base_reqs, SECONDS))
    out: dict[str, float] = {}
    for side, rs in runs.items():
        rps = [r["rps"] for r in rs]
        out[f"{side}_rps"] = statistics.median(rps)
        out[f"{side}_min"], out[f"{side}_max"] = min(rps), max(rps)
        out[f"{side}_p50"] = statistics.median(r["p50"] for r in rs)
        out[f"{side}_p99"] = statistics.median(r["p99"] for r in rs)
        per_cpu = [r["per_cpu_s"] for r in rs]
        out[f"{side}_cpu"] = statistics.median(per_cpu)
        out[f"{side}_cpu_min"], out[f"{side}_cpu_max"] = min(per_cpu), max(per_cpu)
    ratios = [a["rps"] / b["rps"] for a, b in zip(runs["api"], runs["base"], strict=True)]
    out["ratio"] = out["api_rps"] / out["base_rps"]
    out["ratio_min"], out["ratio_max"] = min(ratios), max(ratios)
    return out


def serve(api: str) -> Server:
    port = free_port()
    return Server(
        api, [sys.executable, "-m", "emulators", "serve", api, "--port", str(port)], port, "/__emulator/health"
    )


def main() -> int:
    latency.report()  # needs no wrk
    if not ONLY or "superoffice" in ONLY:
        webhooks.report(serve)  # latency, not load: needs no wrk either
    if not wrk.available():
        print("make bench needs wrk (apt-get install wrk; make bench installs it when run as root): skipped")
        return 0
    print(
        f"load: wrk -t2 -c{CONNECTIONS}, no pipelining; per target {WARMUP:g} s warm-up, then {ROUNDS} rounds of"
        f" {SECONDS:g} s alternating emulator and baseline; medians (min-max over the rounds); 127.0.0.1 only\n"
    )
    bp = free_port()
    base = Server("baseline", [sys.executable, "-m", "benchmarks.baseline", str(bp)], bp, "/health")
    servers: dict[str, Server] = {}
    results: list[tuple[Target, dict[str, float]]] = []
    try:
        for target in TARGETS:
            if ONLY and target.api not in ONLY:
                continue
            if target.api not in servers:
                servers[target.api] = serve(target.api)
            results.append((target, bench_target(servers[target.api], base, target)))
        hdr = (
            f"{'API':12} {'operation':28} {'emulator req/s':>22} {'baseline req/s':>22} {'ratio':>16}"
            f" {'p50 ms':>7} {'p99 ms':>7} {'base p99':>8}"
        )
        print(hdr)
        for t, r in results:
            print(
                f"{t.api:12} {t.op:28} {r['api_rps']:7.0f} ({r['api_min']:5.0f}-{r['api_max']:<5.0f})"
                f"  {r['base_rps']:7.0f} ({r['base_min']:5.0f}-{r['base_max']:<5.0f})"
                f"  {r['ratio']:5.2f}x ({r['ratio_min']:.2f}-{r['ratio_max']:.2f})"
                f" {r['api_p50']:7.2f} {r['api_p99']:7.2f} {r['base_p99']:8.2f}"
            )
        print("(ratio: emulator req/s over baseline req/s in the same rounds; target >= 0.70, p99 <= 10 ms)\n")
        print(f"{'API':12} {'operation':28} {'emulator req/CPU-s':>22} {'baseline req/CPU-s':>22} {'ratio':>7}")
        for t, r in results:
            print(
                f"{t.api:12} {t.op:28} {r['api_cpu']:7.0f} ({r['api_cpu_min']:5.0f}-{r['api_cpu_max']:<5.0f})"
                f"  {r['base_cpu']:7.0f} ({r['base_cpu_min']:5.0f}-{r['base_cpu_max']:<5.0f})"
                f"  {r['api_cpu'] / r['base_cpu']:5.2f}x"
            )
        print(
            "(requests per server CPU-second: wrk's completed requests over the server process's utime + stime"
            " in /proc, medians (min-max) over the rounds; far less sensitive to other jobs than req/s)\n"
        )
        for name, s in servers.items():
            print(f"RSS of {name:12} after {s.requests:9.0f} requests: {rss_mb(s.proc.pid):6.1f} MB")
        print(f"RSS of {'baseline':12} after {base.requests:9.0f} requests: {rss_mb(base.proc.pid):6.1f} MB")
        so = servers.get("superoffice")
        if so is not None and so.requests < SOAK:
            reqs = TARGETS[0].prepare(so.url)
            while so.requests < SOAK:
                so.load(reqs, 10)
            print(
                f"RSS of superoffice  after {so.requests:9.0f} requests (PUT soak, journal on):"
                f" {rss_mb(so.proc.pid):6.1f} MB (target <= 64)"
            )
    finally:
        for s in [*servers.values(), base]:
            s.stop()
    echo_port = free_port()
    echo = Server("echo", [sys.executable, "-m", "tests.echo.serve", str(echo_port)], echo_port, "/__emulator/health")
    try:
        token = httpx.post(f"{echo.url}/login", params={"user": "alice"}).json()["token"]
        echo_reqs = [
            Req(
                "PUT",
                "/items/kiwi",
                {"Content-Type": "application/json", "X-Api-Key": token},
                json.dumps({"name": "kiwi", "qty": 3, "tags": ["a", "b"]}).encode(),
            )
        ]
        base = Server("baseline", [sys.executable, "-m", "benchmarks.baseline", str(bp)], bp, "/health")
        try:
            floor = bench_target(echo, base, Target("echo", "PUT items/{name}", "write", lambda _u: echo_reqs))
        finally:
            base.stop()
    finally:
        echo.stop()
    print(
        f"\nkernel floor, echo PUT: {floor['api_rps']:.0f} req/s vs baseline {floor['base_rps']:.0f}:"
        f" {floor['ratio']:.2f}x ({floor['ratio_min']:.2f}-{floor['ratio_max']:.2f}),"
        f" p99 {floor['api_p99']:.2f} ms\n"
    )
    inprocess.report()
    for api in ("bouwsoft", "superoffice", "aktion", "twelvebuild"):
        starts = []
        for _ in range(3):
            s = serve(api)
            starts.append(s.startup)
            s.stop()
        print(
            f"emulators serve {api:12} to first response: median {statistics.median(starts):.3f} s"
            f" ({min(starts):.3f}-{max(starts):.3f}; target <= 0.25)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m benchmarks` (`make bench`): what issue 26's targets name, in one run on one machine.

Parts (BENCH_PARTS, comma-separated; all by default, in this order):
  latency     a latency distribution asked of `serve --latency` against the one measured (benchmarks/latency.py)
  webhooks    SuperOffice PUT latency with 10 subscribed webhooks against none (benchmarks/webhooks.py)
  throughput  per API one hot write and one hot read (benchmarks/targets.py: real auth, ten records cycled)
              under wrk -t2 -c32 without pipelining, against a bare Starlette parse-update-dumps baseline
              answering the same bytes; req/s, p50/p99 and requests per server CPU-second (/proc)
  wiremock    the same rounds with WireMock (default settings) serving the emulator's captured answers as
              static stubs (benchmarks/wiremock.py); implies the throughput rounds
  soak        RSS of `serve superoffice` after BENCH_SOAK_REQUESTS PUTs, journal on
  echo        the echo API against the baseline: the kernel's floor
  inprocess   the pytest fixture's client: GET and PUT latency, reset + one authenticated request per API
              (Aktion and 12Build with the fixtures' session token; their login round printed beside it)
  startup     `emulators serve <api>` to its first answer, BENCH_STARTUP_RUNS (5) starts per API
Servers of one target are loaded in turn (A, B, C, A, B, C, ...) so the machine's noise hits each alike;
medians and the spread (min-max) over the rounds are printed, then the targets, held or not.
Other knobs: BENCH_SECONDS, BENCH_ROUNDS, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_SOAK_REQUESTS,
BENCH_ONLY (comma-separated API names), BENCH_WIREMOCK_DIR, BENCH_WIREMOCK_WARMUP, BENCH_INPROCESS_RUNS,
BENCH_INPROCESS_N, BENCH_STARTUP_RUNS."""

from __future__ import annotations

import json
import os
import statistics
import sys

import httpx

from benchmarks import inprocess, latency, throughput, webhooks, wiremock, wrk
from benchmarks.servers import Server, baseline, free_port, serve
from benchmarks.targets import TARGETS, Req, Target
from benchmarks.verdicts import Verdict, ratios, summary

PARTS = ("latency", "webhooks", "throughput", "wiremock", "soak", "echo", "inprocess", "startup")
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "3"))
WM_WARMUP = float(os.environ.get("BENCH_WIREMOCK_WARMUP", "10"))  # added to WireMock's first warm-up
SOAK = int(os.environ.get("BENCH_SOAK_REQUESTS", "300000"))
STARTUP_RUNS = int(os.environ.get("BENCH_STARTUP_RUNS", "5"))  # starts of `serve <api>` per API
ONLY = {a for a in os.environ.get("BENCH_ONLY", "").split(",") if a}
APIS = [a for a in ("bouwsoft", "superoffice", "aktion", "twelvebuild") if not ONLY or a in ONLY]
SO_PUT = TARGETS[0]  # superoffice PUT Project/{id}


def parse_parts(text: str) -> list[str]:
    """BENCH_PARTS as a list in run order; empty means all. An unknown name is an error naming the known ones."""
    asked = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in asked if p not in PARTS]
    if unknown:
        raise ValueError(f"BENCH_PARTS: unknown {', '.join(unknown)} (known: {', '.join(PARTS)})")
    return [p for p in PARTS if not asked or p in asked]


def run_throughput(with_wiremock: bool, soak: bool, verdicts: list[Verdict], skipped: list[str]) -> None:
    targets = [t for t in TARGETS if not ONLY or t.api in ONLY]
    wm: Server | None = None
    if with_wiremock:
        jar, why = wiremock.ensure_jar()
        if jar is None:
            print(why)
            skipped.append(f"the WireMock targets ({why})")
        else:
            wm = wiremock.start(jar)
            print(f"WireMock: java -jar {jar.name} --port P {' '.join(wiremock.FLAGS)} (up in {wm.startup:.1f} s)")
    print(
        f"load: wrk -t2 -c{os.environ.get('BENCH_CONNECTIONS', '32')}, no pipelining; per target {WARMUP:g} s"
        f" warm-up each, then {ROUNDS} rounds of {SECONDS:g} s alternating emulator, baseline"
        f"{', WireMock' if wm else ''}; medians (min-max over the rounds); 127.0.0.1 only\n"
    )
    base = baseline()
    servers: dict[str, Server] = {}
    results: list[tuple[Target, throughput.Result]] = []
    try:
        for i, target in enumerate(targets):
            if target.api not in servers:
                servers[target.api] = serve(target.api)
            r = throughput.bench_target(
                servers[target.api],
                base,
                wm,
                target,
                seconds=SECONDS,
                rounds=ROUNDS,
                warmup=WARMUP,
                wm_warmup=WARMUP + (WM_WARMUP if i == 0 else 0),  # the JVM's JIT, once
            )
            results.append((target, r))
        for line in throughput.tables(results):
            print(line)
        verdicts += throughput.verdicts(results)
        for name, s in [*servers.items(), ("baseline", base), *([("wiremock", wm)] if wm else [])]:
            print(f"RSS of {name:12} after {s.requests:9.0f} requests: {s.rss_mb():6.1f} MB")
        if soak and "superoffice" in servers:
            run_soak(servers["superoffice"], verdicts)
    finally:
        for s in [*servers.values(), base, *([wm] if wm else [])]:
            s.stop()
    print()


def run_soak(so: Server, verdicts: list[Verdict]) -> None:
    """PUTs until SOAK of them have been answered by this server (those of the throughput rounds count)."""
    label = f"{SO_PUT.api} {SO_PUT.op}"
    reqs = SO_PUT.prepare(so.url)
    while so.by_label[label] < SOAK:
        so.load(reqs, 10, label)
    rss = so.rss_mb()
    print(f"RSS of superoffice  after {so.by_label[label]:9d} PUTs (soak, journal on): {rss:6.1f} MB (target <= 64)")
    name = f"RSS after {so.by_label[label]:,} SuperOffice PUTs, journal on"
    verdicts.append(Verdict(name, (rss,), "<=", 64, " MB", 1))


def run_echo() -> None:
    echo_port = free_port()
    echo = Server("echo", [sys.executable, "-m", "tests.echo.serve", str(echo_port)], echo_port, "/__emulator/health")
    try:
        token = httpx.post(f"{echo.url}/login", params={"user": "alice"}).json()["token"]
        body = json.dumps({"name": "kiwi", "qty": 3, "tags": ["a", "b"]}).encode()
        echo_reqs = [Req("PUT", "/items/kiwi", {"Content-Type": "application/json", "X-Api-Key": token}, body)]
        base = baseline()
        try:
            target = Target("echo", "PUT items/{name}", "write", lambda _u: echo_reqs)
            r = throughput.bench_target(echo, base, None, target, seconds=SECONDS, rounds=ROUNDS, warmup=WARMUP)
        finally:
            base.stop()
    finally:
        echo.stop()
    a, b = r["api"], r["base"]
    rs = ratios(a.col("rps"), b.col("rps"))
    print(
        f"kernel floor, echo PUT: {a.med('rps'):.0f} req/s vs baseline {b.med('rps'):.0f}:"
        f" {statistics.median(rs):.2f}x ({min(rs):.2f}-{max(rs):.2f}), p99 {a.med('p99'):.2f} ms\n"
    )


def run_startup(verdicts: list[Verdict]) -> None:
    for api in APIS:
        walls, cpus = [], []
        for _ in range(STARTUP_RUNS):
            s = serve(api)
            walls.append(s.startup)
            cpus.append(s.startup_cpu)
            s.stop()
        print(
            f"emulators serve {api:12} to first response: median {statistics.median(walls):.3f} s"
            f" ({min(walls):.3f}-{max(walls):.3f}; target <= 0.25), server CPU by then"
            f" {statistics.median(cpus):.2f} s ({min(cpus):.2f}-{max(cpus):.2f})"
        )
        verdicts.append(Verdict(f"emulators serve {api} to its first answer", tuple(walls), "<=", 0.25, " s", 3))
    print()


def main() -> int:
    try:
        parts = parse_parts(os.environ.get("BENCH_PARTS", ""))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    verdicts: list[Verdict] = []
    skipped: list[str] = []
    if "latency" in parts:
        latency.report()
    if "webhooks" in parts and "superoffice" in APIS:
        webhooks.report(serve)
    loaded = {"throughput", "wiremock", "soak", "echo"} & set(parts)
    if loaded and not wrk.available():
        why = "needs wrk (apt-get install wrk; make bench installs it when run as root)"
        print(f"{', '.join(p for p in parts if p in loaded)}: skipped: {why}")
        skipped.append(f"the load targets ({why})")
    elif loaded:
        if {"throughput", "wiremock"} & set(parts):
            run_throughput("wiremock" in parts, "soak" in parts, verdicts, skipped)
        elif "soak" in parts and "superoffice" in APIS:
            so = serve("superoffice")
            try:
                run_soak(so, verdicts)
            finally:
                so.stop()
        if "echo" in parts:
            run_echo()
    if "inprocess" in parts:
        verdicts += inprocess.report(APIS)
    if "startup" in parts:
        run_startup(verdicts)
    if verdicts or skipped:
        print("\n".join(summary(verdicts, skipped)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

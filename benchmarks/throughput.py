"""The hot operations under wrk: the emulator, the bare Starlette baseline and (when java is there)
WireMock, loaded in turn (A, B, C, A, B, C, ...) so the machine's noise hits each alike, every server
answering the same bytes: the emulator's own answers captured at the start of the target."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import httpx

from benchmarks.capture import Captured, capture
from benchmarks.servers import Server
from benchmarks.targets import Req, Target
from benchmarks.verdicts import Verdict, ratios
from benchmarks.wiremock import load_stubs

SIDES = {"api": "emulator", "base": "baseline", "wm": "wiremock"}


@dataclass(frozen=True)
class Side:
    runs: tuple[dict[str, float], ...]  # one wrk result per round
    rss_mb: float  # after the target's rounds

    def col(self, key: str) -> list[float]:
        return [r[key] for r in self.runs]

    def med(self, key: str) -> float:
        return float(statistics.median(self.col(key)))


Result = dict[str, Side]  # side name ("api", "base", "wm") -> its rounds


def baseline_requests(base: Server, answers: Sequence[Captured]) -> list[Req]:
    """Baseline requests of the same sizes: each stored item is the emulator's answer to the matching
    request (so the baseline dumps as many bytes), and a write sends the emulator's request body (or,
    for a write whose values travel in the query, those values as a JSON object)."""
    out = []
    with httpx.Client() as c:
        for i, a in enumerate(answers):
            c.put(
                f"{base.url}/items/{i}",
                params={"replace": "1"},
                content=a.body,
                headers={"Content-Type": "application/json"},
            ).raise_for_status()
            r = a.request
            if r.method == "GET":
                out.append(Req("GET", f"/items/{i}", {}))
            else:
                body = r.body or json.dumps(dict(parse_qsl(urlsplit(r.path).query))).encode()
                out.append(Req("PUT", f"/items/{i}", {"Content-Type": "application/json"}, body))
    return out


def bench_target(
    api: Server,
    base: Server,
    wm: Server | None,
    target: Target,
    *,
    seconds: float,
    rounds: int,
    warmup: float,
    wm_warmup: float | None = None,
) -> Result:
    reqs = target.prepare(api.url)
    answers = capture(api.url, reqs)
    sides: list[tuple[str, Server, list[Req]]] = [("api", api, reqs), ("base", base, baseline_requests(base, answers))]
    if wm is not None:
        load_stubs(wm, answers)
        sides.append(("wm", wm, reqs))  # the very requests the emulator gets; the stub matches method + path
    label = f"{target.api} {target.op}"
    for name, server, rs in sides:
        server.load(rs, wm_warmup if name == "wm" and wm_warmup is not None else warmup, label)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in sides}
    for _ in range(rounds):
        for name, server, rs in sides:
            runs[name].append(server.load(rs, seconds, label))
    return {name: Side(tuple(runs[name]), server.rss_mb()) for name, server, _ in sides}


def _spread(xs: Sequence[float], fmt: str = "7.0f") -> str:
    return f"{statistics.median(xs):{fmt}} ({min(xs):5.0f}-{max(xs):<5.0f})"


def _ratio(xs: Sequence[float]) -> str:
    return f"{statistics.median(xs):5.2f}x ({min(xs):.2f}-{max(xs):.2f})"


def tables(results: Sequence[tuple[Target, Result]]) -> list[str]:
    out = [
        f"{'API':12} {'operation':28} {'emulator req/s':>22} {'baseline req/s':>22} {'ratio':>16}"
        f" {'p50 ms':>7} {'p99 ms':>7} {'p99/p50':>7} {'base p99':>8}"
    ]
    for t, r in results:
        a, b = r["api"], r["base"]
        out.append(
            f"{t.api:12} {t.op:28} {_spread(a.col('rps'))}  {_spread(b.col('rps'))}"
            f"  {_ratio(ratios(a.col('rps'), b.col('rps')))} {a.med('p50'):7.2f} {a.med('p99'):7.2f}"
            f" {statistics.median(ratios(a.col('p99'), a.col('p50'))):7.2f} {b.med('p99'):8.2f}"
        )
    out += ["(ratio: emulator req/s over baseline req/s, per round; medians (min-max) over the rounds)", ""]
    out.append(f"{'API':12} {'operation':28} {'emulator req/CPU-s':>22} {'baseline req/CPU-s':>22} {'ratio':>16}")
    for t, r in results:
        a, b = r["api"], r["base"]
        out.append(
            f"{t.api:12} {t.op:28} {_spread(a.col('per_cpu_s'))}  {_spread(b.col('per_cpu_s'))}"
            f"  {_ratio(ratios(a.col('per_cpu_s'), b.col('per_cpu_s')))}"
        )
    out += [
        "(requests per server CPU-second: wrk's completed requests over the server process's utime + stime in"
        " /proc, all its threads; far less sensitive to other jobs than req/s)",
        "",
    ]
    with_wm = [(t, r) for t, r in results if "wm" in r]
    if with_wm:
        out.append(
            f"{'API':12} {'operation':28} {'wiremock req/s':>22} {'emulator/wiremock':>16} {'p50 ms':>7}"
            f" {'p99 ms':>7} {'wiremock req/CPU-s':>22} {'emulator/wiremock':>16} {'RSS MB':>7}"
        )
        for t, r in with_wm:
            a, w = r["api"], r["wm"]
            out.append(
                f"{t.api:12} {t.op:28} {_spread(w.col('rps'))}  {_ratio(ratios(a.col('rps'), w.col('rps')))}"
                f" {w.med('p50'):7.2f} {w.med('p99'):7.2f} {_spread(w.col('per_cpu_s'))}"
                f"  {_ratio(ratios(a.col('per_cpu_s'), w.col('per_cpu_s')))} {w.rss_mb:7.0f}"
            )
        out += [
            "(WireMock default settings, static stubs on method + URL path holding the emulator's own answer"
            " of the same run; RSS of the whole JVM after the target's rounds)",
            "",
        ]
    return out


def verdicts(results: Sequence[tuple[Target, Result]]) -> list[Verdict]:
    """SuperOffice PUT against WireMock and the baseline, its tail; every other hot operation against its baseline."""
    out: list[Verdict] = []
    for t, r in results:
        a, b = r["api"], r["base"]
        name = f"{t.api} {t.op}"
        if (t.api, t.kind) == ("superoffice", "write"):
            if "wm" in r:
                w = r["wm"]
                out.append(Verdict(f"{name} req/s vs WireMock", ratios(a.col("rps"), w.col("rps")), ">=", 1.0))
                out.append(
                    Verdict(f"{name} req/CPU-s vs WireMock", ratios(a.col("per_cpu_s"), w.col("per_cpu_s")), ">=", 1.5)
                )
            out.append(Verdict(f"{name} req/s vs Starlette baseline", ratios(a.col("rps"), b.col("rps")), ">=", 1.2))
            out.append(Verdict(f"{name} p99/p50 at -c32", ratios(a.col("p99"), a.col("p50")), "<=", 2.0))
        else:
            out.append(Verdict(f"{name} req/s vs Starlette baseline", ratios(a.col("rps"), b.col("rps")), ">=", 1.0))
    return out

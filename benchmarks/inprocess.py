"""In-process figures (the pytest fixture's client, no socket): one SuperOffice GET, SuperOffice PUT
latency with 100,000 stored records against 10, and what a test pays per fixture: reset + one
authenticated request (answered 200) for every API, over several runs.

Credentials are what a test holds after the fixture's reset: SuperOffice's Basic user, a Bouwsoft
AccessToken printed in the vendor's examples (the fixtures keep it valid), and for Aktion and 12Build the
fixtures' session token (`emu.fixture_token`), which every reset issues again, valid for the API's token
lifetime from the reset: each goes with the one request. What a test that logs in itself pays, reset +
login + the authenticated request, is printed beside them for Aktion and 12Build (not judged)."""

from __future__ import annotations

import copy
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.targets import BS_HEADERS
from benchmarks.verdicts import Verdict

ROOT = Path(__file__).resolve().parents[1]
AUTH = {"Authorization": "Basic dGplMDpUamUw", "Accept": "application/json"}
RUNS = int(os.environ.get("BENCH_INPROCESS_RUNS", "5"))  # runs of reset + request, each giving a median
PER_RUN = int(os.environ.get("BENCH_INPROCESS_N", "300"))


def _median_ms(fn: Any, n: int) -> tuple[float, float]:
    for _ in range(min(100, n)):
        fn()
    xs = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t0) * 1000)
    xs.sort()
    return statistics.median(xs), xs[int(len(xs) * 0.99)]


def so_get_ms(n: int = 3000) -> tuple[float, float]:
    from emulators.testing.harness import in_process

    emu = in_process("superoffice", fixtures=None)
    try:
        c = emu.client

        def get() -> None:
            assert c.get("/api/v1/Project/414", headers=AUTH).status_code == 200

        return _median_ms(get, n)
    finally:
        emu.close()


def so_put_ms(records: int, n: int = 1500) -> tuple[float, float]:
    """Median/p99 ms of one PUT Project/{id} with `records` projects stored in the tenant."""
    from benchmarks.targets import _so_body
    from emulators.testing.harness import in_process

    emu = in_process("superoffice", fixtures=None)
    try:
        c = emu.client
        pid = c.post("/api/v1/Project", json=_so_body(0), headers=AUTH).json()["ProjectId"]
        store = emu.app.world("").store("onsite")
        table = store.table("projects")
        template = table[str(pid)]
        for i in range(records - len(table)):
            key = str(100000 + i)
            rec = copy.copy(template)
            rec["ProjectId"] = int(key)
            rec["ProjectNumber"] = f"N{key}"
            table[key] = rec
        body = json.dumps(_so_body(1)).encode()
        hdrs = {**AUTH, "Content-Type": "application/json"}

        def put() -> None:
            assert c.put(f"/api/v1/Project/{pid}", content=body, headers=hdrs).status_code == 200

        return _median_ms(put, n)
    finally:
        emu.close()


AK_TOKEN = "f1c7e5e0-0000-4000-8000-000000000001"  # fixtures/aktion/default.yaml settings.fixture_tokens
TB_TOKEN = "f1c7e5e0" * 16  # fixtures/twelvebuild/default.yaml fixture_tokens


def _ak_get(c: Any, token: str) -> int:
    return int(c.get("/api/project/getProject", params={"Token": token, "Code": "CODE 1001"}).status_code)


def _tb_get(c: Any, token: str) -> int:
    return int(c.get("/project/1234567", headers={"X-Auth-Token": token}).status_code)


def _ak_round(c: Any) -> int:
    return _ak_get(c, AK_TOKEN)


def _tb_round(c: Any) -> int:
    return _tb_get(c, TB_TOKEN)


def _ak_login_round(c: Any) -> int:
    login = c.post("/api/login", json={"UserLogin": "John.Doo", "ApiKey": "hDn/LFXIPESM036W+s7VKg=="})
    return _ak_get(c, login.json()["Token"])


def _tb_login_round(c: Any) -> int:
    creds = {"login": "api@bouwbedrijf-voorbeeld.nl", "apiKey": "3f9c2b7e41d84a0f9b6e5c1d2a7f8e90"}
    return _tb_get(c, c.get("/tokens", params=creds).json()["token"])


def _so_round(c: Any) -> int:
    return int(c.get("/api/v1/Project/414", headers=AUTH).status_code)


def _bs_round(c: Any) -> int:
    return int(c.get("/api/v1/Projects/3320", headers=BS_HEADERS).status_code)


# api -> (what a round sends, after the reset; the authenticated request's answer must be 200)
AUTHENTICATED: dict[str, tuple[str, Callable[[Any], int]]] = {
    "bouwsoft": ("GET Projects/3320, Clientnr + AccessToken", _bs_round),
    "superoffice": ("GET Project/414, Basic", _so_round),
    "aktion": ("GET getProject?Token= (fixture token)", _ak_round),
    "twelvebuild": ("GET project/1234567, X-Auth-Token (fixture token)", _tb_round),
}
# api -> the round of a test that logs in itself (printed, not judged)
WITH_LOGIN: dict[str, tuple[str, Callable[[Any], int]]] = {
    "aktion": ("POST login + GET getProject?Token=", _ak_login_round),
    "twelvebuild": ("GET tokens + GET project/1234567, X-Auth-Token", _tb_login_round),
}


def reset_and_authenticated_ms(
    api: str, runs: int = RUNS, n: int = PER_RUN, rounds: dict[str, tuple[str, Callable[[Any], int]]] = AUTHENTICATED
) -> tuple[list[float], list[float]]:
    """Median ms of reset + the API's authenticated round, once per run (the `<api>_emulator` fixture's
    reset, then the requests through its in-process client): (thread CPU medians, wall medians). The
    in-process client runs the app on this thread, so the thread's CPU clock holds the whole round and
    barely moves with the machine's other jobs; the wall clock is what a test waits."""
    from emulators.testing.harness import in_process

    send = rounds[api][1]
    emu = in_process(api, fixtures=None)
    try:
        c = emu.client
        for _ in range(min(50, n)):  # warm caches (router, validators, fixtures)
            emu.reset()
            if send(c) != 200:
                raise RuntimeError(f"{api}: the authenticated request was not answered 200")
        cpu_medians, wall_medians = [], []
        for _ in range(runs):
            cpu, wall = [], []
            for _ in range(n):
                c0, t0 = time.thread_time(), time.perf_counter()
                emu.reset()
                send(c)
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.thread_time() - c0) * 1000)
            cpu_medians.append(statistics.median(cpu))
            wall_medians.append(statistics.median(wall))
        return cpu_medians, wall_medians
    finally:
        emu.close()


def report(apis: list[str]) -> list[Verdict]:
    """Print the in-process figures; return the reset + authenticated request verdicts."""
    sys.path.insert(0, str(ROOT))
    from emulators.testing.measure import reset_and_request_median_ms

    get50, get99 = so_get_ms()
    print(f"in-process SuperOffice GET Project/414: median {get50:.3f} ms, p99 {get99:.3f} ms (target median <= 0.3)")
    small50, small99 = so_put_ms(10)
    big50, big99 = so_put_ms(100_000)
    print(
        f"in-process SuperOffice PUT, 10 records stored: median {small50:.3f} ms (p99 {small99:.3f});"
        f" 100,000 records: median {big50:.3f} ms (p99 {big99:.3f}): {100 * (big50 / small50 - 1):+.1f} %"
        " (target within 10 %)"
    )
    for api in ("tests.echo", *apis):  # no credentials: a 401 for the vendor APIs, the pipeline's floor
        ms = reset_and_request_median_ms(api)
        print(f"in-process reset + one request without credentials, {api:12}: median {ms:.3f} ms")
    out = []
    for api in apis:
        what = AUTHENTICATED[api][0]
        cpu, wall = reset_and_authenticated_ms(api)
        _print_round(api, what, cpu, wall)
        name = f"in-process reset + authenticated request, {api} (thread CPU)"
        out.append(Verdict(name, tuple(cpu), "<=", 0.5, " ms", 3))
    for api in (a for a in apis if a in WITH_LOGIN):
        what = WITH_LOGIN[api][0]
        _print_round(api, what, *reset_and_authenticated_ms(api, rounds=WITH_LOGIN))
    print()
    return out


def _print_round(api: str, what: str, cpu: list[float], wall: list[float]) -> None:
    print(
        f"in-process reset + authenticated {api:12} {what} (200): thread CPU median"
        f" {statistics.median(cpu):.3f} ms ({min(cpu):.3f}-{max(cpu):.3f}), wall median"
        f" {statistics.median(wall):.3f} ms ({min(wall):.3f}-{max(wall):.3f}); {len(cpu)} runs of {PER_RUN}"
    )

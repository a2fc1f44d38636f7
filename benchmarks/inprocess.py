"""In-process figures (the pytest fixture's client, no socket): one SuperOffice GET, reset + one
request, and SuperOffice PUT latency with 100,000 stored records against 10."""

from __future__ import annotations

import copy
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AUTH = {"Authorization": "Basic dGplMDpUamUw", "Accept": "application/json"}


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


def report() -> None:
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
    for api in ("tests.echo", "bouwsoft", "superoffice", "aktion", "twelvebuild"):
        print(f"in-process reset + one request, {api:12}: median {reset_and_request_median_ms(api):.3f} ms")
    # the figures above send no credentials (a 401 for the vendor APIs); this one is answered 200
    so_auth = reset_and_request_median_ms("superoffice", path="/api/v1/Project/414", headers=AUTH)
    print(f"in-process reset + authenticated SuperOffice GET Project/414 (200): median {so_auth:.3f} ms")

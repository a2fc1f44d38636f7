"""A full journal quickly: a few real requests, then copies of them (new seq numbers, times spread over
the last minute) until the ring buffer is full."""

from __future__ import annotations

from typing import Any

import httpx

from emulators.testing.transport import SyncASGITransport

LOGIN = "/api/login"
SAMPLE = {"Result": None, "UserLogin": "John.Doo", "ApiKey": "hDn/LFXIPESM036W+s7VKg=="}
FIELDS = (
    "operation",
    "status",
    "duration_ms",
    "fault",
    "req_headers",
    "req_body",
    "resp_headers_raw",
    "resp_body",
    "error",
    "issues",
)


def fill_journal(app: Any, namespace: str, n: int | None = None) -> None:
    """Fill `namespace`'s journal of the aktion `app` with `n` entries (default: its capacity)."""
    n = n or app.journal_size
    with httpx.Client(transport=SyncASGITransport(app), base_url=f"http://127.0.0.1/__ns/{namespace}") as c:
        token = c.post(LOGIN, json=SAMPLE).json()["Token"]
        c.post(LOGIN, json={"Result": None, "UserLogin": "John.Doo"})
        c.get("/api/project/getType", params={"Token": token, "Name": "name of the project type 1001"})
        c.get("/api/project/getProject", params={"Token": token, "Code": "CODE 1001"})
        c.get("/api/nothing/here")
    world = app.world(namespace)
    journal = world.journal
    samples = journal.entries()
    now = world.clock.time()
    while len(journal) < n:
        i = len(journal)
        src = samples[i % len(samples)]
        entry = journal.open(src.method, src.path, src.query, now - (n - i) * 0.006)
        for name in FIELDS:
            setattr(entry, name, getattr(src, name))

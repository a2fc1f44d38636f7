"""Issue 18, the slow attacks (`make test-deep` only): slowloris, a hostile soak, deep byte fuzzing."""

from __future__ import annotations

import contextlib
import resource
import socket
import time
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulators import build_app
from emulators.testing.transport import client_for
from tests.hostile.conftest import assert_healthy, authed, concrete_path
from tests.hostile.server import serve
from tests.hostile.tokens import python_tokens

from .conftest import PROFILE, PROFILE_SETTINGS, count
from .recipes import APIS, contract

deep_only = pytest.mark.skipif(PROFILE != "deep", reason="slow: make test-deep")


def _fd_limit_256() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))


@deep_only
def test_slowloris_300_half_open_requests_do_not_lock_out_new_clients() -> None:
    with serve("bouwsoft", preexec=_fd_limit_256) as (host, port, _):
        attackers: list[socket.socket] = []
        try:
            for _ in range(300):
                s = socket.create_connection((host, port), timeout=5)
                s.sendall(b"GET /api/v1/Projects HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                attackers.append(s)
            count("bouwsoft", 300)
            times = []
            for _ in range(20):
                t0 = time.monotonic()
                r = httpx.get(f"http://{host}:{port}/__emulator/health", timeout=10)
                times.append(time.monotonic() - t0)
                assert r.status_code == 200
                for s in attackers[:5]:  # the attackers keep trickling
                    with contextlib.suppress(OSError):
                        s.sendall(b"a")
            count("bouwsoft", 20)
            assert max(times) < 3.0, times
        finally:
            for s in attackers:
                s.close()


@deep_only
def test_soak_hostile_requests_server_stays_healthy() -> None:
    with serve("superoffice") as (host, port, _):
        base = f"http://{host}:{port}"
        auth = {"Authorization": "Basic dGplMDpUamUw", "Content-Type": "application/json"}
        bodies = [b"[" * 100_000, b'{"Name":"\\ud800"}', b'{"Name":' + b"9" * 5000 + b"}", b"\xff" * 100, b"{"]
        with httpx.Client(base_url=base, timeout=30) as c:
            for i in range(5000):
                r = c.post("/api/v1/Project", headers=auth, content=bodies[i % len(bodies)])
                assert r.status_code == 400, r.text[:200]
            count("superoffice", 5000)
            assert c.get("/__emulator/health").status_code == 200
            assert c.get("/__emulator/requests", params={"limit": 100}).status_code == 200


_CTYPES = [
    "application/json",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=b0",
    "text/xml",
    "application/json-patch+json",
    "",
]


@deep_only
@pytest.mark.parametrize("api", APIS)
def test_deep_byte_fuzz_every_operation_no_5xx(api: str) -> None:
    app = build_app(api)
    ops = list(contract(api).operations.values())
    with client_for(app) as client:
        auth = {op.operation_id: authed(api, client, op) for op in ops}

        @settings(PROFILE_SETTINGS, max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
        @given(
            op=st.sampled_from(ops),
            body=st.binary(max_size=2048) | st.text(max_size=512).map(str.encode),
            ctype=st.sampled_from(_CTYPES),
        )
        def run(op: Any, body: bytes, ctype: str) -> None:
            headers, query = auth[op.operation_id]
            hdrs = {**headers, **({"Content-Type": ctype} if ctype else {})}
            r = client.request(op.method, concrete_path(api, op), params=query, content=body, headers=hdrs)
            count(api)
            assert r.status_code < 500, r.text[:300]
            if r.status_code >= 400:
                assert not python_tokens(r.content), r.text[:300]

        run()
        assert_healthy(client)

"""Issue 24 item 4: the slowloris guard closes only connections that waited `pending_evict_seconds` for a
head; a burst of 1,000 fresh connections (far past `max_pending` = 128) is served whole, over a socket."""

from __future__ import annotations

import selectors
import socket
import time
from collections.abc import Iterator

import pytest

from .server import serve

N = 1000
GET = b"GET /__emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


@pytest.fixture(scope="module")
def bouwsoft() -> Iterator[tuple[str, int]]:
    with serve("bouwsoft", env={"EMULATORS_PENDING_EVICT_SECONDS": "20"}) as (host, port, _):
        yield host, port


def _answers(server: tuple[str, int], socks: list[socket.socket], deadline: float) -> dict[int, bytes]:
    """Everything each socket read until the server closed it (or the deadline)."""
    sel = selectors.DefaultSelector()
    got: dict[int, bytes] = {}
    for i, s in enumerate(socks):
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, i)
        got[i] = b""
    open_ = len(socks)
    while open_ and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, BlockingIOError):
                chunk = b""
            if chunk:
                got[key.data] += chunk
            else:
                sel.unregister(sock)
                open_ -= 1
    sel.close()
    return got


def test_health_burst_of_1000_fresh_connections_all_served(bouwsoft: tuple[str, int]) -> None:
    socks = [socket.create_connection(bouwsoft, timeout=10) for _ in range(N)]  # all waiting at once
    try:
        for s in socks:
            s.sendall(GET)
        got = _answers(bouwsoft, socks, time.monotonic() + 60)
    finally:
        for s in socks:
            s.close()
    served = sum(1 for raw in got.values() if raw.startswith(b"HTTP/1.1 200"))
    unanswered = sum(1 for raw in got.values() if not raw)
    assert (served, unanswered) == (N, 0)

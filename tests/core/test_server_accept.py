"""core/server_accept.py: a burst of clients is accepted in one turn of the loop, not one per turn."""

from __future__ import annotations

import asyncio
import errno
import socket
from typing import Any

import pytest

from emulators.core import server_accept
from emulators.core.server_accept import BatchAcceptor, loop_factory

uvloop = pytest.importorskip("uvloop")

BURST = 40


class _Counting(asyncio.Protocol):
    made: list[_Counting] = []

    def connection_made(self, transport: Any) -> None:
        self.made.append(self)
        transport.close()


def _listener() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    return sock


def _burst(port: int) -> list[socket.socket]:
    """BURST clients whose handshakes the kernel completed: all wait in the backlog at once."""
    return [socket.create_connection(("127.0.0.1", port)) for _ in range(BURST)]


def _made_after_turns(loop: asyncio.AbstractEventLoop, turns: int) -> int:
    for _ in range(turns):
        loop.run_until_complete(asyncio.sleep(0))
    return len(_Counting.made)


def _serve_burst(loop: asyncio.AbstractEventLoop, turns: int = 2) -> int:
    """How many of a burst have a protocol after a few turns of `loop`'s create_server(sock=...)."""
    _Counting.made = []
    sock = _listener()
    server = loop.run_until_complete(loop.create_server(_Counting, sock=sock, backlog=256))
    clients = _burst(sock.getsockname()[1])
    try:
        return _made_after_turns(loop, turns)
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        for c in clients:
            c.close()


def test_create_server_accepts_a_whole_burst_in_a_few_turns() -> None:
    loop = loop_factory()
    try:
        assert _serve_burst(loop) == BURST
    finally:
        loop.close()


def test_create_server_of_plain_uvloop_accepts_one_per_turn() -> None:
    """The behaviour the acceptor replaces (if uvloop ever accepts a burst itself, this says so)."""
    loop = uvloop.new_event_loop()
    try:
        assert _serve_burst(loop) < BURST
    finally:
        loop.close()


def test_create_server_with_an_address_keeps_uvloops_server() -> None:
    loop = loop_factory()
    try:
        server = loop.run_until_complete(loop.create_server(_Counting, host="127.0.0.1", port=0))
        assert not isinstance(server, BatchAcceptor)
        server.close()
        loop.run_until_complete(server.wait_closed())
    finally:
        loop.close()


def test_accept_out_of_descriptors_pauses_then_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_accept, "PAUSE_SECONDS", 0.05)
    _Counting.made = []
    loop = loop_factory()
    sock = _listener()
    real_accept = sock.accept
    calls = {"n": 0}

    class _Sock:  # the listening socket, whose first accept finds the process out of descriptors
        def __getattr__(self, name: str) -> Any:
            return getattr(sock, name)

        def accept(self) -> Any:
            calls["n"] += 1
            if calls["n"] == 1:
                raise OSError(errno.EMFILE, "Too many open files")
            return real_accept()

    acceptor = BatchAcceptor(loop, _Counting, _Sock()).start()  # type: ignore[arg-type]
    client = socket.create_connection(("127.0.0.1", sock.getsockname()[1]))
    try:
        assert _made_after_turns(loop, 3) == 0
        assert not acceptor.is_serving()  # paused: the client waits in the backlog
        loop.run_until_complete(asyncio.sleep(0.1))
        assert _made_after_turns(loop, 3) == 1
        assert acceptor.is_serving()
    finally:
        acceptor.close()
        client.close()
        loop.close()


def test_close_stops_accepting_and_closes_the_socket() -> None:
    loop = loop_factory()
    sock = _listener()
    acceptor = BatchAcceptor(loop, _Counting, sock).start()
    acceptor.close()
    try:
        assert sock.fileno() == -1
        assert acceptor.sockets == ()
        assert not acceptor.is_serving()
    finally:
        loop.close()


def test_run_serves_on_the_batch_accepting_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """`emulators serve` (server.run) runs its servers on loop_factory's loop."""
    from emulators import server

    seen: dict[str, Any] = {}

    async def fake_serve_many(*args: Any, **kw: Any) -> int:
        seen["loop"] = type(asyncio.get_running_loop()).__name__
        return 0

    monkeypatch.setattr(server, "serve_many", fake_serve_many)
    monkeypatch.setattr(server, "bind_all", lambda apps, host: [])
    assert server.run([], "127.0.0.1") == 0
    assert seen.get("loop") == "BatchAcceptLoop"


def test_live_server_accepts_a_burst_and_answers_every_client() -> None:
    """The pytest plugin's LiveServer runs on the same loop: a burst of clients each gets its answer."""
    from emulators import build_app
    from emulators.testing.live import LiveServer

    with LiveServer(build_app("bouwsoft")) as srv:
        assert [type(s) for s in srv._server.servers] == [BatchAcceptor]
        clients = _burst(srv.port)
        try:
            for c in clients:
                c.sendall(b"GET /__emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            answers = []
            for c in clients:
                c.settimeout(10)
                answers.append(c.recv(64))
        finally:
            for c in clients:
                c.close()
    assert all(a.startswith(b"HTTP/1.1 200") for a in answers), answers

"""Accepting every waiting connection in one turn of the event loop.

uvloop's own server accepts one connection per turn: its connection callback leaves libuv's accept for
later, so libuv stops watching the listening socket after each one. Under load a turn is a whole batch of
answers (32 busy connections at ~0.4 ms each: ~13 ms), so the 32nd client of a burst waited ~32 turns
(~200 ms, seen with strace) before its first request was even read: the p99 of a short load run was 3-8x its
p50, where asyncio's own loop (which accepts up to a backlog per turn) gave 1.4-1.6x.

`BatchAcceptor` watches the listening socket itself and, each time it is readable, accepts every waiting
connection (up to `PER_TURN`), each then set up as uvloop sets up its own (`connect_accepted_socket`). It
answers the part of asyncio's `Server` that uvicorn uses (`close`, `wait_closed`, `sockets`). `loop_factory`
gives a uvloop loop whose `create_server(sock=..., ssl=...)` (what uvicorn calls) returns one for a TCP
socket, with or without TLS; any other call keeps uvloop's own server. `run_batch_accepting` runs a server
on it."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import ssl

    import uvloop

PER_TURN = 128  # connections accepted per readable event at most (asyncio's default backlog is 100)
PAUSE_SECONDS = 0.1  # out of descriptors or memory: stop accepting this long (the clients wait in the backlog)
_OUT_OF_RESOURCES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}

log = logging.getLogger("emulators")

T = TypeVar("T")


class BatchAcceptor:
    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        factory: Callable[[], asyncio.Protocol],
        sock: socket.socket,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._loop = loop
        self._tls = tls
        self._factory = factory
        self._sock = sock
        self._fd = sock.fileno()
        self._serving = False
        self._closed = False
        self._pending: set[asyncio.Task[Any]] = set()

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return () if self._closed else (self._sock,)

    def start(self) -> BatchAcceptor:
        self._sock.setblocking(False)
        self._watch()
        return self

    def _watch(self) -> None:
        if not self._closed and not self._serving:
            self._loop.add_reader(self._fd, self._ready)
            self._serving = True

    def _unwatch(self) -> None:
        if self._serving:
            self._loop.remove_reader(self._fd)
            self._serving = False

    def _ready(self) -> None:
        for _ in range(PER_TURN):
            try:
                conn, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:  # the client gave up before we accepted: nothing to serve
                continue
            except OSError as exc:
                if exc.errno in _OUT_OF_RESOURCES:  # as asyncio does: pause, the backlog holds the rest
                    log.warning("accept paused for %.1f s: %s", PAUSE_SECONDS, exc.strerror or exc)
                    self._unwatch()
                    self._loop.call_later(PAUSE_SECONDS, self._watch)
                    return
                log.warning("accept failed: %s", exc)
                return
            self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):  # as uvloop sets on its own connections
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        task = self._loop.create_task(self._connect(conn))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _connect(self, conn: socket.socket) -> None:
        try:
            await self._loop.connect_accepted_socket(self._factory, conn, ssl=self._tls)
        except OSError:  # reset before the transport was made, or a failed TLS handshake: nothing to serve
            conn.close()

    # the part of asyncio.Server that uvicorn's shutdown uses
    def close(self) -> None:
        if self._closed:
            return
        self._unwatch()
        self._closed = True
        self._sock.close()

    async def wait_closed(self) -> None:
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    def is_serving(self) -> bool:
        return self._serving


def _plain_tcp(kw: dict[str, Any]) -> bool:
    """create_server was given a TCP listening socket (and perhaps TLS), without any other option."""
    sock = kw.get("sock")
    if sock is None or set(kw) - {"sock", "ssl", "backlog"}:
        return False
    return bool(sock.type == socket.SOCK_STREAM and sock.family in (socket.AF_INET, socket.AF_INET6))


def loop_factory() -> uvloop.Loop:
    """A uvloop loop that serves a plain-TCP listening socket with a BatchAcceptor (ImportError without
    uvloop; asyncio's own loop accepts a backlog per turn already)."""
    import uvloop

    class BatchAcceptLoop(uvloop.Loop):
        async def create_server(self, protocol_factory: Any, host: Any = None, port: Any = None, **kw: Any) -> Any:
            if host is None and port is None and _plain_tcp(kw):
                kw["sock"].listen(kw.get("backlog", 100))
                return BatchAcceptor(self, protocol_factory, kw["sock"], kw.get("ssl")).start()
            return await super().create_server(protocol_factory, host, port, **kw)

    return BatchAcceptLoop()


def run_batch_accepting(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` (a server's coroutine) on loop_factory's loop; on asyncio's own loop where uvloop is
    missing. `emulators serve` and the pytest plugin's LiveServer both serve this way."""
    try:
        import uvloop  # noqa: F401  (loop_factory's base)
    except ImportError:  # pragma: no cover - uvloop installs wherever CPython runs outside Windows
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(main)

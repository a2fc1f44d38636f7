"""In-process httpx transports over an ASGI app, no socket.

- `SyncASGITransport`: a plain `httpx.Client` drives the app. Outside an event loop it runs the app on a
  private loop; inside a running loop (an `async def` test under pytest-asyncio or anyio) it hands the
  request to one background thread that owns its own loop, so "Cannot run the event loop while another
  loop is running" never happens.
- `AsyncASGITransport`: httpx's `ASGITransport` for an `httpx.AsyncClient`, with a `disconnect` fault
  surfacing as `httpx.RemoteProtocolError` (what a socket client sees).
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import types
from collections.abc import Coroutine, Generator
from typing import Any, TypeVar
from urllib.parse import unquote

import httpx

T = TypeVar("T")
CLIENT = ("127.0.0.1", 50000)


class _LoopThread:
    """One daemon thread running an event loop, shared by every transport that needs it."""

    _lock = threading.Lock()
    _instance: _LoopThread | None = None

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="emulators-inprocess-loop", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    @classmethod
    def get(cls) -> _LoopThread:
        with cls._lock:
            if cls._instance is None or not cls._instance.thread.is_alive():
                cls._instance = cls()
            return cls._instance

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()


_DONE = object()


async def _nothing() -> None:
    return None


@types.coroutine
def _go_on(coro: Coroutine[Any, Any, T], waiting: Any) -> Generator[Any, Any, T]:
    """Drive `coro` on from the point where it yielded `waiting` (what it awaits) under the running Task."""
    while True:
        try:
            sent = yield waiting
        except BaseException as exc:  # the Task throws a cancellation (or a future's error) in: pass it on
            try:
                waiting = coro.throw(exc)
            except StopIteration as done:
                return done.value
        else:
            try:
                waiting = coro.send(sent)
            except StopIteration as done:
                return done.value


def _in_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _disconnected(request: httpx.Request, exc: BaseException) -> httpx.RemoteProtocolError:
    err = httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
    err.__cause__ = exc
    return err


class SyncASGITransport(httpx.BaseTransport):
    """httpx's ASGITransport is async-only; this drives it from synchronous code, in or out of a loop."""

    def __init__(self, app: Any, client: tuple[str, int] = CLIENT) -> None:
        self.app = app
        self.client = client
        self._loop: asyncio.AbstractEventLoop | None = None

    async def _exchange(self, request: httpx.Request, body: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """One ASGI exchange, the scope built as httpx's ASGITransport builds it (without its per-request
        look-up of trio and its streaming wrappers: the app answers with whole bodies)."""
        url = request.url
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(k.lower(), v) for k, v in request.headers.raw],
            "scheme": url.scheme,
            "path": unquote(url.path),
            "raw_path": url.raw_path.split(b"?")[0],
            "query_string": url.query,
            "server": (url.host, url.port),
            "client": self.client,
            "root_path": "",
        }
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        done = asyncio.Event()
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    done.set()

        await self.app(scope, receive, send)
        done.set()
        return status, headers, b"".join(chunks)

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        if _in_running_loop():
            return _LoopThread.get().run(coro)
        loop = self._loop
        if loop is None or loop.is_closed():
            loop = self._loop = asyncio.new_event_loop()
        ready = getattr(loop, "_ready", None)  # asyncio's own loop: its queue of callbacks due now
        if ready is None:
            return loop.run_until_complete(coro)
        # Most exchanges never wait: their first step, run here as a Task would run it (this loop the running
        # one, in a copy of the context), is the whole of them, without the ~15 µs of a loop turn. One that
        # waits (a latency rule, an outbound hand-off) goes on as a Task from where it stopped.
        context = contextvars.copy_context()
        asyncio.events._set_running_loop(loop)
        try:
            waiting = context.run(coro.send, None)
        except StopIteration as done:
            result: T = done.value
            waiting = _DONE
        finally:
            asyncio.events._set_running_loop(None)
        if waiting is not _DONE:
            return loop.run_until_complete(loop.create_task(_go_on(coro, waiting), context=context))
        if ready:  # callbacks the exchange scheduled run before it returns, as they would under a Task
            loop.run_until_complete(_nothing())
        return result

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        try:
            status, headers, content = self._run(self._exchange(request, body))
        except ConnectionResetError as exc:  # a `disconnect` fault: what a socket client would see
            raise _disconnected(request, exc) from exc
        return httpx.Response(status, headers=headers, content=content, request=request)

    def close(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.close()


class AsyncASGITransport(httpx.ASGITransport):
    """`httpx.ASGITransport` with a `disconnect` fault raised as `httpx.RemoteProtocolError`."""

    def __init__(self, app: Any, client: tuple[str, int] = CLIENT) -> None:
        super().__init__(app=app, client=client)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except ConnectionResetError as exc:
            raise _disconnected(request, exc) from exc


def client_for(app: Any, base_url: str = "http://testserver", **kwargs: Any) -> httpx.Client:
    """An httpx.Client talking to `app` in-process (works inside a running event loop too)."""
    from .inprocess_client import InProcessClient

    return InProcessClient(transport=SyncASGITransport(app), base_url=base_url, **kwargs)


def async_client_for(app: Any, base_url: str = "http://testserver", **kwargs: Any) -> httpx.AsyncClient:
    """An httpx.AsyncClient talking to `app` in-process, on the caller's event loop."""
    return httpx.AsyncClient(transport=AsyncASGITransport(app), base_url=base_url, **kwargs)

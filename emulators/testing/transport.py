"""`SyncASGITransport`: drive an ASGI app from a plain `httpx.Client`, in-process, no socket."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


class SyncASGITransport(httpx.BaseTransport):
    """httpx's ASGITransport is async-only; this runs it on a private event loop per transport."""

    def __init__(self, app: Any, client: tuple[str, int] = ("127.0.0.1", 50000)) -> None:
        self.app = app
        self._inner = httpx.ASGITransport(app=app, client=client)
        self._loop = asyncio.new_event_loop()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        areq = httpx.Request(request.method, request.url, headers=request.headers, content=body,
                             extensions=request.extensions)
        try:
            response = self._loop.run_until_complete(self._inner.handle_async_request(areq))
        except ConnectionResetError as exc:  # a `disconnect` fault: what a socket client would see
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.",
                                            request=request) from exc
        content = self._loop.run_until_complete(response.aread())
        return httpx.Response(response.status_code, headers=response.headers, content=content,
                              extensions=response.extensions, request=request)

    def close(self) -> None:
        if not self._loop.is_closed():
            self._loop.close()


def client_for(app: Any, base_url: str = "http://testserver", **kwargs: Any) -> httpx.Client:
    """An httpx.Client talking to `app` in-process."""
    return httpx.Client(transport=SyncASGITransport(app), base_url=base_url, **kwargs)

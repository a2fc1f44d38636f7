"""SyncASGITransport runs an exchange that never waits in one step, and one that waits as a Task: both
answer alike, callbacks the app schedules run before the answer returns, and no context variable leaks."""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

import httpx
import pytest

from emulators.testing.transport import SyncASGITransport

SEEN: contextvars.ContextVar[str] = contextvars.ContextVar("SEEN", default="caller")


class App:
    def __init__(self) -> None:
        self.callbacks: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        SEEN.set("app")
        path = scope["path"]
        if path == "/boom":
            raise ValueError("boom")
        if path == "/sleep":
            await asyncio.sleep(0.01)
        elif path == "/yield":
            await asyncio.sleep(0)
        asyncio.get_running_loop().call_soon(self.callbacks.append, path)
        body = f"{path} {SEEN.get()}".encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body})


@pytest.mark.parametrize("path", ["/now", "/yield", "/sleep"])
def test_request_answers_whether_the_app_waits_or_not(path: str) -> None:
    app = App()
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://t") as client:
        for _ in range(3):
            answer = client.get(path)
            assert (answer.status_code, answer.text) == (200, f"{path} app")
        assert app.callbacks == [path] * 3  # scheduled by the app, run before each answer returned
        assert SEEN.get() == "caller"  # the app's context is a copy, as under a Task


def test_request_app_error_propagates() -> None:
    with (
        httpx.Client(transport=SyncASGITransport(App()), base_url="http://t") as client,
        pytest.raises(ValueError, match="boom"),
    ):
        client.get("/boom")


def test_request_inside_a_running_loop_uses_the_loop_thread() -> None:
    async def inside() -> str:
        with httpx.Client(transport=SyncASGITransport(App()), base_url="http://t") as client:
            return client.get("/sleep").text

    assert asyncio.run(inside()) == "/sleep app"

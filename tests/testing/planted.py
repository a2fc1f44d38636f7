"""Test doubles for the proxy and parity tests: a "vendor" that differs from the emulator on purpose,
and upstreams that hang or break."""

from __future__ import annotations

import asyncio
import fnmatch
import json
from collections.abc import Callable
from typing import Any

Plant = Callable[[int, list[tuple[bytes, bytes]], Any], tuple[int, list[tuple[bytes, bytes]], Any]]


class PlantedStub:
    """The emulator `app`, with the answer of each (method, path glob) changed by its plant."""

    def __init__(self, app: Any, plants: dict[tuple[str, str], Plant]) -> None:
        self.app = app
        self.spec = app.spec
        self.plants = plants
        self.calls: dict[tuple[str, str], int] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        plant = next(
            (
                p
                for (m, glob), p in self.plants.items()
                if m == scope["method"] and fnmatch.fnmatchcase(scope["path"], glob)
            ),
            None,
        )
        if plant is None:
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        raw = b"".join(chunks)
        body: Any = json.loads(raw) if raw else None
        headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
        status, headers, body = plant(start["status"], headers, body)
        out = json.dumps(body).encode() if body is not None else b""
        headers.append((b"content-length", str(len(out)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": out})


class Hanging:
    """An upstream that answers after `seconds` (longer than the proxy's timeout)."""

    def __init__(self, seconds: float = 3.0) -> None:
        from types import SimpleNamespace

        self.seconds = seconds
        self.spec = SimpleNamespace(name="hanging")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await asyncio.sleep(self.seconds)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"late"})

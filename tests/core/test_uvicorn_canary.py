"""Canary: core/server_protocol.py builds on names of uvicorn's httptools protocol that are not its public
API. pyproject.toml pins uvicorn and httptools to the tested range; when a release in (or past) it renames
or drops one of these names, this test fails naming it, before any user meets a broken server."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

httptools_impl = pytest.importorskip("uvicorn.protocols.http.httptools_impl")

MODULE_NAMES = ("HEADER_RE", "HEADER_VALUE_RE", "STATUS_LINE", "HttpToolsProtocol", "RequestResponseCycle")
# GuardedHttpTools overrides these and calls uvicorn's through super()
PROTOCOL_METHODS = (
    "connection_made",
    "connection_lost",
    "data_received",
    "on_message_begin",
    "on_url",
    "on_header",
    "on_headers_complete",
    "on_message_complete",
    "on_response_complete",
)
# read or written on a connection with a request head parsed
PROTOCOL_ATTRIBUTES = (
    "cycle",
    "transport",
    "loop",
    "headers",
    "connections",
    "tasks",
    "server_state",
    "flow",
    "scope",
    "expect_100_continue",
)
# WholeAnswerCycle (server_cycle.py, a RequestResponseCycle) reads or writes these
CYCLE_ATTRIBUTES = (
    "send",
    "response_started",
    "response_complete",
    "disconnected",
    "message_event",
    "flow",
    "access_log",
    "scope",
    "keep_alive",
    "default_headers",
    "chunked_encoding",
    "waiting_for_100_continue",
    "transport",
    "on_response",
)


class _Transport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written: list[bytes] = []

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8701)}.get(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written.append(bytes(data))

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def _missing(obj: object, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if not hasattr(obj, name)]


def test_uvicorn_module_keeps_the_names_server_protocol_imports() -> None:
    assert _missing(httptools_impl, MODULE_NAMES) == []
    assert isinstance(httptools_impl.STATUS_LINE[200], bytes)


def test_uvicorn_protocol_keeps_the_names_server_protocol_uses() -> None:
    import uvicorn
    from uvicorn.server import ServerState

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def run() -> tuple[list[str], list[str], list[str]]:
        config = uvicorn.Config(app, lifespan="off", log_level="critical")
        protocol = httptools_impl.HttpToolsProtocol(config=config, server_state=ServerState(), app_state={})
        protocol.connection_made(_Transport())
        protocol.data_received(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        methods = [m for m in PROTOCOL_METHODS if not callable(getattr(type(protocol), m, None))]
        attributes = _missing(protocol, PROTOCOL_ATTRIBUTES)
        cycle = protocol.cycle
        on_cycle = _missing(cycle, CYCLE_ATTRIBUTES) if cycle is not None else ["cycle is None after a head"]
        await asyncio.sleep(0.01)  # let the request's task finish
        protocol.connection_lost(None)
        return methods, attributes, on_cycle

    methods, attributes, on_cycle = asyncio.run(run())
    assert methods == [], f"uvicorn's HttpToolsProtocol lost methods: {methods}"
    assert attributes == [], f"uvicorn's HttpToolsProtocol lost attributes: {attributes}"
    assert on_cycle == [], f"uvicorn's RequestResponseCycle lost attributes: {on_cycle}"

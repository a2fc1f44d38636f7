"""The request cycle our server protocol (server_protocol.py) runs: uvicorn's, answering a whole response in
one `write`, and the driver that lets a request started outside a task continue as one."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HEADER_RE, HEADER_VALUE_RE, STATUS_LINE, RequestResponseCycle


class WholeAnswerCycle(RequestResponseCycle):
    """uvicorn's request cycle, writing an answer that declares its Content-Length and arrives whole (the
    pipeline's every answer) as one `transport.write` of head and body: one send on the socket, not two.
    Anything else (streams, HEAD, chunked, access log) goes through uvicorn's own `send` unchanged."""

    held: Any = None  # the http.response.start held back until its body arrives

    async def send(self, message: Any) -> None:
        kind = message["type"]
        if kind == "http.response.start" and not self.response_started:
            self.held = None  # a start never written is replaced by a later one (a crash's 500)
            if _declares_length(message) and not self.access_log and self.scope["method"] != "HEAD":
                self.held = message
                return
        elif self.held is not None:
            held, self.held = self.held, None
            if (
                kind == "http.response.body"
                and not message.get("more_body", False)
                and not (self.response_started or self.disconnected or self.flow.write_paused)
            ):
                self._write_whole(held, message.get("body", b""))
                return
            await RequestResponseCycle.send(self, held)
        await RequestResponseCycle.send(self, message)

    def send_whole(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> bool:
        """A whole answer whose `headers` declare its Content-Length, written as `send` would write its start
        and its one body message; False (nothing done) where `send` would not take the one-write path."""
        if (
            self.response_started
            or self.held is not None
            or self.disconnected
            or self.flow.write_paused
            or self.access_log
            or self.scope["method"] == "HEAD"
            or not _declares_length({"headers": headers})
        ):
            return False
        self._write_whole({"status": status, "headers": headers}, body)
        return True

    def _write_whole(self, start: Any, body: bytes) -> None:
        """What uvicorn's `send` does for a start and a final body, the same checks, in one write. uvicorn's
        own default headers (date, server) are checked and rendered once per list (a new one each second)."""
        self.response_started = True
        self.waiting_for_100_continue = False
        content = [STATUS_LINE[start["status"]]]
        has_connection_close = False
        length = -1
        headers = start.get("headers", ())
        defaults = _DEFAULTS.rendered(self.default_headers)
        if defaults is None:
            headers = (*self.default_headers, *headers)
        else:
            content.append(defaults)
        if HEADER_VALUE_RE.search(b"\t".join([v for _, v in headers])):  # a tab is allowed: one search for all
            raise RuntimeError("Invalid HTTP header value.")
        for name, value in headers:
            if name not in _GOOD_NAMES:
                if HEADER_RE.search(name):
                    raise RuntimeError("Invalid HTTP header name.")
                if len(_GOOD_NAMES) < 256:
                    _GOOD_NAMES.add(name)
            name = name.lower()
            if name == b"content-length" and length < 0:
                length = int(value.decode())
            elif name == b"connection" and b"close" in [t.lower().strip() for t in value.split(b",")]:
                self.keep_alive = False
                has_connection_close = True
            content.extend((name, b": ", value, b"\r\n"))
        if not self.keep_alive and not has_connection_close:
            content.append(b"connection: close\r\n")
        content.append(b"\r\n")
        self.chunked_encoding = False
        if len(body) > length:
            raise RuntimeError("Response content longer than Content-Length")
        if len(body) < length:
            raise RuntimeError("Response content shorter than Content-Length")
        content.append(body)
        self.transport.write(b"".join(content))
        self.response_complete = True
        self.message_event.set()
        if not self.keep_alive:
            self.transport.close()
        self.on_response()


_GOOD_NAMES: set[bytes] = set()  # header names already found valid (HEADER_RE): a pure memo


class _DefaultHead:
    """uvicorn's default headers rendered as head lines, for the last list seen (the server replaces its list
    every second, with a new date); None when one of them is not a plain header (checked the long way)."""

    __slots__ = ("_rendered", "_source")

    def __init__(self) -> None:
        self._source: Any = None
        self._rendered: bytes | None = None

    def rendered(self, headers: list[tuple[bytes, bytes]]) -> bytes | None:
        if headers is not self._source:
            plain = all(
                not HEADER_RE.search(n)
                and not HEADER_VALUE_RE.search(v)
                and n.lower() not in (b"content-length", b"connection")
                for n, v in headers
            )
            rendered = b"".join(n.lower() + b": " + v + b"\r\n" for n, v in headers)
            self._source, self._rendered = headers, rendered if plain else None
        return self._rendered


_DEFAULTS = _DefaultHead()  # a memo of a pure function of the list it holds


def _declares_length(start: Any) -> bool:
    found = False
    for name, _value in start.get("headers", ()):
        lowered = name.lower()
        if lowered == b"content-length":
            found = True
        elif lowered == b"transfer-encoding":
            return False
    return found


async def continue_task(coro: Any, waiting: Any) -> None:
    """Drive `coro`, started by hand and now waiting on `waiting` (what it yielded: a future, or None for a
    bare yield), to its end, as the task running it would: each result or exception is passed back in."""
    while True:
        try:
            if waiting is None:
                await asyncio.sleep(0)
            else:
                waiting._asyncio_future_blocking = False
                await waiting
        except BaseException as exc:  # a cancellation included: the coroutine decides
            try:
                waiting = coro.throw(exc)
            except StopIteration:
                return
            continue
        try:
            waiting = coro.send(None)
        except StopIteration:
            return

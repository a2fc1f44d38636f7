"""`GuardedHttpTools`: uvicorn's httptools protocol with the socket limits it lacks (see sockets.py)."""

from __future__ import annotations

import asyncio
import contextvars
import re
from typing import Any
from urllib.parse import unquote

import httptools
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
from uvicorn.protocols.http.flow_control import service_unavailable
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol, RequestResponseCycle

from .errors import BadRequest, EmulatorError
from .request_io import FRAMED
from .server_cycle import WholeAnswerCycle, continue_task
from .sockets import (
    Limits,
    Render,
    RequestTimeout,
    headers_too_big,
    pending_hard_cap,
    too_many_headers,
    uri_too_long,
)

LINGER_SECONDS = 5.0
_SWEEP = 0.5  # seconds between sweeps for request heads that are overdue


class ServerBusy(EmulatorError):
    status = 503
    default_message = "The server is busy: too many concurrent requests"


class _Abort(Exception):
    """Raised inside a parser callback to stop parsing; `_reject` says what to answer."""


class _LingeringTransport:
    """What the request cycle writes to: `close()` while the client is still sending becomes a lingering close.
    One per connection; the methods the cycle calls on every request are bound once (no `__getattr__` per call)."""

    def __init__(self, protocol: GuardedHttpTools, transport: Any) -> None:
        self._protocol = protocol
        self._transport = transport
        self.write = transport.write
        self.is_closing = transport.is_closing

    def close(self) -> None:
        self._protocol.close_lingering()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def _sweep_every(limits: Limits) -> float:
    return min(_SWEEP, max(limits.header_timeout / 4, 0.01))


def _sweep(cls: type[GuardedHttpTools], loop: asyncio.AbstractEventLoop) -> None:
    """Time out the connections that waited longer than `header_timeout` for a head, or, idle after an
    answer with no byte of the next request yet, longer than the keep-alive timeout (oldest first)."""
    cls.sweeper = None
    now = loop.time()
    head_deadline = now - cls.limits.header_timeout
    for conn in list(cls.pending):
        since = conn._head_since
        if since is None:
            continue
        idle = conn._kept_alive and not conn._in_head
        if since > (now - conn.timeout_keep_alive if idle else head_deadline):
            if since > now - min(cls.limits.header_timeout, conn.timeout_keep_alive):
                break  # listed in the order they began to wait: the rest are younger
            continue
        conn._head_timeout()
    if cls.pending:
        cls.sweeper = loop.call_later(_sweep_every(cls.limits), _sweep, cls, loop)


# RFC 3986 host [":" port]: an IP-literal in brackets, or a reg-name / IPv4 (no brackets, no "@", no "/")
_HOST_RE = re.compile(rb"\A(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::[0-9]*)?\Z")


def _absolute_authority(url: bytes) -> bytes | None:
    """The authority of an `http(s)://authority/...` target, None when the target is not one."""
    scheme, sep, rest = url.partition(b"://")
    if not sep or scheme.lower() not in (b"http", b"https"):
        return None
    authority = rest.split(b"/", 1)[0].split(b"?", 1)[0]
    if not authority or b"@" in authority or not _HOST_RE.match(authority):
        return None
    return authority


class GuardedHttpTools(HttpToolsProtocol):
    """Timers: no per-request timer. A connection waiting for a request head is stamped with the loop's
    time and listed in `pending` (oldest first); one sweep per server, every `_SWEEP` seconds while any
    connection waits, answers 408 (or closes an idle one) past `header_timeout`, and closes one left idle
    after an answer past uvicorn's keep-alive timeout. A body timer is armed only when a request's body did
    not arrive with its head (so the common one-packet request arms nothing).

    An application with `runs_inline = True` (EmulatorApp) runs at once when the bytes that completed its
    request head have been parsed, not as a task scheduled for the next turn of the loop: a request answered
    without waiting (the usual case) never becomes a task; one that waits (a body still on its way, a delay)
    continues as one (`_run`). Any other application runs as uvicorn runs it."""

    render: Render | None = None
    limits: Limits = Limits()
    pending: dict[GuardedHttpTools, None] = {}  # replaced per server by protocol_for
    pending_hard_cap: int = 1 << 30  # likewise (sockets.pending_hard_cap)
    sweeper: asyncio.TimerHandle | None = None  # likewise per server

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_since: float | None = None  # loop time the wait for a request head began
        self._body_timer: asyncio.TimerHandle | None = None
        self._linger_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0
        self._url_bytes = 0
        self._head_count = 0
        self._host_count = 0  # Host fields in the head being parsed, the last at `_host_at` in `headers`
        self._host_at = 0
        self._good_host = b""  # the last Host value found valid on this connection (clients repeat theirs)
        self._in_head = False
        self._message_done = True
        self._reject: EmulatorError | None = None
        self._draining = False
        self._drained = 0
        self._kept_alive = False  # idle after an answer: the keep-alive timeout applies, not the head's
        self._ready: tuple[RequestResponseCycle, Any] | None = None  # a request to run once parsing returns
        self._forwarded = False  # the head carries X-Forwarded-For/-Proto: uvicorn's proxy middleware applies
        app = self.app
        # ProxyHeadersMiddleware changes nothing for a request without X-Forwarded-* headers: skip it there
        self._bare_app = app.app if type(app) is ProxyHeadersMiddleware else app
        # only an app that says so runs outside a task until its first wait (anyio and sniffio, which httpx's
        # async client uses, need a current task from the first line on)
        self._inline = bool(getattr(self._bare_app, "runs_inline", False))
        self._asgi: Any = {"version": self.asgi_version, "spec_version": "2.3"}
        limits = self.limits
        self._max_headers = limits.max_headers
        self._max_header_bytes = limits.max_header_bytes
        self._max_url_bytes = limits.max_url_bytes

    # connection ---------------------------------------------------------------------------
    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._lingering = _LingeringTransport(self, transport)
        self._await_head()
        # Past the cap, only a connection that has waited `pending_evict_seconds` for a head is closed to make
        # room: a burst of honest clients (all fresh) is served whole, a slowloris's stale ones go first. Past
        # `pending_hard_cap` (half the descriptors the process may open) the oldest goes however fresh, so new
        # clients always find a descriptor to connect with.
        cls = type(self)
        pending = cls.pending
        if len(pending) > self.limits.max_pending:
            stale = self.loop.time() - self.limits.pending_evict_seconds
            while len(pending) > self.limits.max_pending:
                oldest = next(iter(pending))
                since = oldest._head_since
                if oldest is self or since is None or (since > stale and len(pending) <= cls.pending_hard_cap):
                    break
                oldest._close_now()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head()
        for timer in (self._body_timer, self._linger_timer):
            if timer is not None:
                timer.cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._draining:
            self._drained += len(data)
            if self._drained > self.limits.drain_bytes:
                self._close_now()
            return
        try:  # uvicorn's data_received, without its keep-alive timer (never armed here)
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
        except httptools.HttpParserError:
            msg = "Invalid HTTP request received."
            self.logger.warning(msg)
            self.send_400_response(msg)
        if (
            not self._message_done
            and not self._in_head
            and self._body_timer is None
            and self.limits.body_timeout > 0
            and self.cycle is not None
            and not self.transport.is_closing()
        ):  # a head whose body is still on its way
            self._body_timer = self.loop.call_later(self.limits.body_timeout, self._body_timeout)
        ready = self._ready
        if ready is not None:  # outside the parser's callbacks: the app may answer, close or pause reading
            self._ready = None
            self._run(*ready)

    def _run(self, cycle: RequestResponseCycle, app: Any) -> None:
        """Run the request's ASGI call in a context of its own (as a task would) up to its first wait; if it
        waits, a task continues it, tracked in `tasks` as uvicorn tracks its own."""
        context = contextvars.copy_context()
        coro = cycle.run_asgi(app)
        try:
            waiting = context.run(coro.send, None)
        except StopIteration:
            return
        except Exception:  # run_asgi answers the app's own errors; this is uvicorn's, as a task would log it
            self.logger.exception("Exception in the ASGI request cycle")
            self.transport.close()
            return
        task = self.loop.create_task(continue_task(coro, waiting), context=context)
        task.add_done_callback(self.tasks.discard)
        self.tasks.add(task)

    def eof_received(self) -> bool | None:  # type: ignore[override]
        if self._draining:
            self._close_now()
        return None

    # the request head -------------------------------------------------------------------------
    def _await_head(self) -> None:
        if self._head_since is None:
            self._head_since = self.loop.time()
            cls = type(self)
            cls.pending[self] = None
            if cls.sweeper is None:
                cls.sweeper = self.loop.call_later(_sweep_every(self.limits), _sweep, cls, self.loop)

    def _stop_head(self) -> None:
        if self._head_since is not None:
            self._head_since = None
            type(self).pending.pop(self, None)

    def _head_timeout(self) -> None:
        self._stop_head()
        if self.transport.is_closing():
            return
        if self._in_head:
            self._answer(RequestTimeout("The request headers were not received in time"))
        else:
            self._close_now()  # an idle connection: nothing was asked, nothing to answer

    def on_message_begin(self) -> None:
        # uvicorn's own, with the constant parts built once per connection
        self.url = b""
        self.expect_100_continue = False
        self.headers = []
        self.scope = {  # type: ignore[typeddict-item]
            "type": "http",
            "asgi": self._asgi,
            "http_version": "1.1",
            "server": self.server,
            "client": self.client,
            "scheme": self.scheme,  # type: ignore[typeddict-item]
            "root_path": self.root_path,
            "headers": self.headers,
            "state": self.app_state.copy(),
        }
        self._kept_alive = False
        self._forwarded = False
        self._head_bytes = 0
        self._url_bytes = 0
        self._head_count = 0
        self._host_count = 0
        self._in_head = True
        self._message_done = False
        self._await_head()

    def on_url(self, url: bytes) -> None:
        self._url_bytes += len(url)
        if self._url_bytes > self._max_url_bytes:
            self._refuse(uri_too_long(self.limits))
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_bytes += len(name) + len(value) + 4
        self._head_count += 1
        if self._head_count > self._max_headers:
            self._refuse(too_many_headers(self.limits))
        if self._head_bytes > self._max_header_bytes:
            self._refuse(headers_too_big(self.limits))
        name = name.lower()  # uvicorn's own on_header, inlined (one call per header instead of three)
        if name == b"expect" and value.lower() == b"100-continue":
            self.expect_100_continue = True
        elif name == b"host":
            self._host_count += 1
            self._host_at = len(self.headers)
        elif name == b"x-forwarded-for" or name == b"x-forwarded-proto":
            self._forwarded = True
        self.headers.append((name, value))

    def _refuse(self, err: EmulatorError) -> None:
        """Stop parsing; `send_400_response` answers `err` in the API's envelope."""
        self._reject = err
        raise _Abort()

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._stop_head()
        self._check_host()
        lim = self.limits.limit_concurrency
        if lim and (len(self.connections) > lim or len(self.tasks) >= lim):
            self._refuse(ServerBusy())
        # uvicorn's on_headers_complete, without the WebSocket upgrade (served with ws="none": never taken),
        # building our cycle directly and running it once parsing returns (data_received)
        parser = self.parser
        http_version = parser.get_http_version()
        scope = self.scope
        scope["method"] = parser.get_method().decode("ascii")
        if http_version != "1.1":
            scope["http_version"] = http_version
        parsed_url = httptools.parse_url(self.url)
        raw_path = parsed_url.path
        path = raw_path.decode("ascii")
        if "%" in path:
            path = unquote(path)
        scope["path"] = self.root_path + path
        scope["raw_path"] = self.root_path.encode("ascii") + raw_path
        scope["query_string"] = parsed_url.query or b""
        scope[FRAMED] = True  # type: ignore[literal-required]  # head limits checked here, body framed
        if self.limit_concurrency is not None and (
            len(self.connections) >= self.limit_concurrency or len(self.tasks) >= self.limit_concurrency
        ):
            app: Any = service_unavailable
            self.logger.warning("Exceeded concurrency limit.")
        else:
            app = self.app if self._forwarded else self._bare_app
        existing_cycle = self.cycle
        self.cycle = cycle = WholeAnswerCycle(
            scope=scope,
            transport=self._lingering,  # type: ignore[arg-type]
            flow=self.flow,
            logger=self.logger,
            access_logger=self.access_logger,
            access_log=self.access_log,
            default_headers=self.server_state.default_headers,
            message_event=asyncio.Event(),
            expect_100_continue=self.expect_100_continue,
            keep_alive=http_version != "1.0" and parser.should_keep_alive(),
            on_response=self.on_response_complete,
        )
        if existing_cycle is None or existing_cycle.response_complete:
            if self._inline:
                self._ready = (cycle, app)
            else:
                self._start_asgi_task(cycle, app)
        else:  # pipelined: queued until the answer before it is written (on_response_complete)
            self.flow.pause_reading()
            self.pipeline.appendleft((cycle, app))

    def _check_host(self) -> None:
        """RFC 9112 §3.2: an HTTP/1.1 request carries exactly one valid Host (else 400); an absolute-form
        target's authority replaces it (§3.2.2), so what the app and the control guard read is what was asked."""
        hosts = self._host_count
        if hosts > 1:
            self._refuse(BadRequest("A request may carry only one Host header field (RFC 9112 §3.2)"))
        url = self.url
        if url[:1] not in (b"/", b"*"):  # absolute-form (authority-form is CONNECT's, which we do not serve)
            authority = _absolute_authority(url)
            if authority is None:
                self._refuse(BadRequest("The request target is neither a path nor an http(s) URL (RFC 9112 §3.2)"))
            if hosts:
                self.headers[self._host_at] = (b"host", authority)  # type: ignore[assignment]
            else:
                self.headers.append((b"host", authority))  # type: ignore[arg-type]
            return
        if not hosts:
            if self.parser.get_http_version() == "1.1":
                self._refuse(BadRequest("An HTTP/1.1 request needs a Host header field (RFC 9112 §3.2)"))
            return
        value = self.headers[self._host_at][1]
        if value != self._good_host:
            if not _HOST_RE.match(value.strip(b" \t")):
                self._refuse(BadRequest("The Host header field is not a host name or address (RFC 9112 §3.2)"))
            self._good_host = value

    def on_message_complete(self) -> None:
        self._message_done = True
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None
        cycle = self.cycle  # uvicorn's own, without the upgrade check (never upgraded: ws="none")
        if not cycle.response_complete:
            cycle.more_body = False
            cycle.message_event.set()

    def _body_timeout(self) -> None:
        self._body_timer = None
        cycle = self.cycle
        if self.transport.is_closing() or cycle is None:
            return
        if not cycle.response_started:
            cycle.response_started = cycle.response_complete = True  # the app's own answer is dropped
            self._answer(RequestTimeout("The request body was not received in time"))
        cycle.disconnected = True
        cycle.message_event.set()
        if not self._draining:
            self._close_now()

    def on_response_complete(self) -> None:
        # uvicorn's own, with the sweep (not a timer per answer) closing a connection idle past keep-alive
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self.flow.resume_reading()
        if self.pipeline:  # the next pipelined request, as a task: this answer's send is still on the stack
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
        elif not self._draining:
            self._kept_alive = True
            self._await_head()  # idle keep-alive counts as waiting for a head

    # answering outside the app ------------------------------------------------------------------
    def send_400_response(self, msg: str) -> None:
        err = self._reject or BadRequest("The request is not valid HTTP/1.1")
        self._reject = None
        self._answer(err)

    def _answer(self, err: EmulatorError) -> None:
        status, headers, body = self._rendered(err)
        content = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        for name, value in headers:
            if name.lower() not in (b"content-length", b"connection"):
                content.extend([name, b": ", value, b"\r\n"])
        content.extend(
            [b"content-length: ", str(len(body)).encode("ascii"), b"\r\n", b"connection: close\r\n\r\n", body]
        )
        self.transport.write(b"".join(content))
        self.close_lingering()

    def _rendered(self, err: EmulatorError) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        if self.render is not None:
            try:
                return self.render(err)
            except Exception:
                pass
        text = err.message.encode("utf-8")
        return err.status, [(b"content-type", b"text/plain; charset=utf-8")], text

    def close_lingering(self) -> None:
        """Close after our answer; if the client is still sending its body, first read and discard up to
        `drain_bytes` of it (for at most LINGER_SECONDS), so it gets to read the answer (no RST)."""
        cycle = self.cycle
        if self._message_done or (cycle is not None and cycle.disconnected and not cycle.response_complete):
            self._close_now()
            return
        if self._draining:
            return
        self._draining = True
        self._stop_head()
        self.flow.resume_reading()
        try:
            if self.transport.can_write_eof():
                self.transport.write_eof()
        except (OSError, RuntimeError):
            pass
        self._linger_timer = self.loop.call_later(LINGER_SECONDS, self._close_now)

    def _close_now(self) -> None:
        self._stop_head()
        if not self.transport.is_closing():
            self.transport.close()


def protocol_for(render: Render | None, limits: Limits) -> type:
    """A uvicorn HTTP protocol class bound to one app's envelope and limits (one class per server)."""
    return type(
        "GuardedHttpToolsForApp",
        (GuardedHttpTools,),
        {
            "render": staticmethod(render) if render else None,
            "limits": limits,
            "pending": {},
            "sweeper": None,
            "pending_hard_cap": pending_hard_cap(limits),
        },
    )

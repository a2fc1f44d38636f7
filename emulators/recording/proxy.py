"""`emulators proxy API --target URL [--port N] --out FILE.scenario.yaml`: a recording reverse proxy.

`RecordingProxy` is an ASGI app. Every request outside `/__emulator/` is forwarded unchanged (bar the
hop-by-hop headers and Host) to the upstream with httpx, bodies streamed both ways, and the upstream's
answer goes back unchanged. Each exchange lands in the proxy's own journal (so `/__emulator/requests`,
its HAR export, count/find and the dashboard see proxied traffic), sealed within the journal's byte
budget as the emulator's own entries are, and is appended to the `--out` recording (session.py).
Every export blanks the credential names of all four APIs and the generic ones (every_redaction): a
proxy records whatever passes. A request target that is not a path (`OPTIONS *`) is answered by the
emulator itself, as it would answer it; it is never forwarded, and never a step of the recording.

An upstream that cannot be reached, times out or breaks the connection gets a 502 in the API's own
error envelope; the journal entry's `error` says what happened upstream.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from pathlib import Path
from typing import Any

import httpx

from ..core.errors import EmulatorError
from ..core.spec import EmulatorSpec
from ..registry import resolve_spec
from .portable import Exchange, build_scenario, every_redaction, to_yaml
from .session import SessionFile

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "proxy-connection",
    "host",
}
CONTROL = "/__emulator"


def _decoded(body: bytes, encoding: str) -> bytes:
    """The journal keeps bodies readable: gzip / deflate answers are inflated for it (never for the client)."""
    enc = encoding.lower().strip()
    try:
        if enc in ("gzip", "x-gzip"):
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        if enc == "deflate":
            return zlib.decompress(body)
    except zlib.error:
        return body
    return body


class RecordingProxy:
    """`RecordingProxy("bouwsoft", "https://vendor.example", out="session.scenario.yaml")`."""

    def __init__(
        self,
        api: str | EmulatorSpec,
        target: str,
        *,
        out: str | Path | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        credentials: dict[str, Any] | None = None,
        name: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        from .. import build_app

        self.spec = resolve_spec(api)
        self.target = target.rstrip("/")
        self.out = Path(out) if out else None
        self.name = name
        self.timeout = httpx.Timeout(timeout, connect=connect_timeout)
        self.shadow = build_app(self.spec)  # its journal, control plane, router and error envelope
        self.shadow.control.ctx.recording_credentials = credentials  # None: asked upstream
        self.shadow.control.ctx.recording_base_urls = [self.target]  # links in answers
        redaction = every_redaction()
        self.shadow.pipeline.redaction = self.shadow.control.ctx.redaction = redaction
        self._session = (
            SessionFile(
                self.out, self.spec.name, redaction=redaction, name=name, source=self.target, tool="emulators proxy"
            )
            if self.out
            else None
        )
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._creds_known = credentials is not None
        self._write_lock = asyncio.Lock()
        self.exchanges = 0
        self._bad_gateway_seqs: set[int] = set()

    @property
    def world(self) -> Any:
        return self.shadow.default_world

    # ASGI ----------------------------------------------------------------------------------------
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    self.write()
                    await self.aclose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if path == CONTROL or path.startswith(CONTROL + "/"):
            from ..core.app import _base_url

            await self.shadow.control.handle(self.world, scope, receive, send, path, _base_url(scope))
            return
        if not path.startswith("/"):  # `OPTIONS *`: no resource of the upstream; the emulator answers it
            await self.shadow(scope, receive, send)
            return
        await self._forward(scope, receive, send)

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False, transport=self._transport)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _credentials(self) -> None:
        """The upstream's own `/__emulator/credentials` when it is an emulator, else the local fixtures'."""
        if self._creds_known:
            return
        self._creds_known = True
        creds: dict[str, Any] | None = None
        try:
            r = await self._http().get(self.target + CONTROL + "/credentials")
            if r.status_code == 200 and isinstance(r.json(), dict):
                creds = r.json()
        except (httpx.HTTPError, ValueError):
            creds = None
        if creds is None and self.spec.credentials is not None:
            creds = self.spec.credentials(self.shadow.fixtures)
        self.shadow.control.ctx.recording_credentials = creds or {}

    async def _forward(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        started = time.perf_counter()
        world = self.world
        method: str = scope["method"]
        path = (scope.get("raw_path") or scope["path"].encode("utf-8")).decode("latin-1")  # as the client sent it
        query: str = scope.get("query_string", b"").decode("latin-1")
        entry = world.journal.open(method, scope["path"], query, world.clock.time())
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        entry.req_headers = [(k.lower(), v) for k, v in headers]
        try:
            operation, _ = self.shadow.pipeline.router.match(method, scope["path"])
            entry.operation = operation.operation_id
        except EmulatorError:
            entry.operation = None
        await self._credentials()
        body = bytearray()
        cap = self.spec.max_body_bytes

        async def upload() -> Any:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                if chunk:
                    if len(body) < cap:  # the journal keeps at most max_body_bytes; the upstream gets it all
                        body.extend(chunk[: cap - len(body)])
                    yield chunk
                if not message.get("more_body", False):
                    return

        out_headers = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP]
        has_length = any(k.lower() == "content-length" for k, _ in out_headers)
        url = self.target + path + ("?" + query if query else "")
        client = self._http()
        response: httpx.Response | None = None
        try:
            content: Any = upload() if has_length or any(k.lower() == "transfer-encoding" for k, _ in headers) else None
            request = client.build_request(method, url, headers=out_headers, content=content)
            response = await client.send(request, stream=True)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            entry.req_body = bytes(body)
            await self._bad_gateway(entry, scope, send, exc, started)
            return
        resp_headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in response.headers.raw
            if k.decode("latin-1").lower() not in HOP_BY_HOP
        ]
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in resp_headers],
            }
        )
        received = bytearray()
        held = b""  # the last chunk waits until the step is recorded (a client stops reading at Content-Length)
        try:
            async for chunk in response.aiter_raw():
                if held:
                    await send({"type": "http.response.body", "body": held, "more_body": True})
                if len(received) < cap:
                    received.extend(chunk[: cap - len(received)])
                held = chunk
        except httpx.HTTPError as exc:  # the upstream broke off mid-answer: the client gets what came
            entry.error = f"upstream error after {len(received)} bytes of the answer: {type(exc).__name__}: {exc}"
        finally:
            await response.aclose()
        entry.req_body = bytes(body)
        entry.status = response.status_code
        entry.resp_headers_raw = [
            (k.lower().encode("latin-1"), v.encode("latin-1"))
            for k, v in resp_headers
            if k.lower() != "content-encoding"
        ]
        entry.resp_body = _decoded(bytes(received), response.headers.get("content-encoding", ""))
        entry.duration_ms = (time.perf_counter() - started) * 1000
        await self._exchanged(entry)  # before the last chunk: once a client has its answer, the file has the step
        await send({"type": "http.response.body", "body": held, "more_body": False})

    async def _bad_gateway(
        self, entry: Any, scope: dict[str, Any], send: Any, exc: httpx.HTTPError | httpx.InvalidURL, started: float
    ) -> None:
        kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
        detail = f"upstream {self.target} {kind}: {type(exc).__name__}: {exc}".rstrip(": ")
        err = EmulatorError("Bad Gateway", status=502)
        accept = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"accept"), None)
        pipeline = self.shadow.pipeline
        status, headers, payload = pipeline._encode_error(err, None, pipeline._accept(accept))
        headers.append((b"content-length", str(len(payload)).encode("latin-1")))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
        entry.status = status
        entry.error = detail
        entry.resp_headers_raw = headers
        entry.resp_body = payload
        entry.duration_ms = (time.perf_counter() - started) * 1000
        self._bad_gateway_seqs.add(entry.seq)  # journaled, but no step of the recording: nobody answered
        self.world.journal.seal(entry)
        self.exchanges += 1

    # recording -----------------------------------------------------------------------------------
    def exchanges_recorded(self) -> list[Exchange]:
        return [Exchange.from_entry(e) for e in self.world.journal.entries() if e.seq not in self._bad_gateway_seqs]

    def scenario(self) -> dict[str, Any]:
        scenario = build_scenario(
            self.spec.name,
            self.exchanges_recorded(),
            credentials=self.shadow.control.ctx.recording_credentials or {},
            redaction=self.shadow.pipeline.redaction,
            name=self.name,
            source=self.target,
            tool="emulators proxy",
            base_urls=[self.target],
        )
        return scenario

    def scenario_yaml(self) -> str:
        return to_yaml(self.scenario(), tool="emulators proxy")

    async def _exchanged(self, entry: Any) -> None:
        """Appended to the recording (with the whole body, up to max_body_bytes), then sealed in the journal."""
        self.exchanges += 1
        if self._session is not None:
            async with self._write_lock:
                creds = self.shadow.control.ctx.recording_credentials or {}
                self._session.add(Exchange.from_entry(entry), creds)
        self.world.journal.seal(entry)

    def write(self) -> None:
        """The recording as it stands, closed (a session without an exchange is one `reset` step)."""
        if self._session is not None:
            self._session.close()

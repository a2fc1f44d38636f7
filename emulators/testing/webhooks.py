"""A webhook receiver for tests (the `webhook_receiver` pytest fixture) and `emu.webhooks` on the harness.

The receiver listens on a free loopback port in its own thread, records every delivery, checks the
signature when it knows the secret (SuperOffice's: base64 HMAC-SHA256 of the raw body), answers with the
scripted statuses (then 200), and waits for an event: `receiver.wait_for("project.changed", timeout=2)`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

EVENT_HEADER = "x-superoffice-event"
SIGNATURE_HEADER = "x-superoffice-signature"


@dataclass
class Delivery:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    status: int  # what the receiver answered
    received: float = field(default_factory=time.monotonic)
    signature_valid: bool | None = None  # None: no secret set, or no signature sent

    @property
    def event(self) -> str:
        return self.headers.get(EVENT_HEADER, "")

    def json(self) -> Any:
        return json.loads(self.body)


class WebhookReceiver:
    def __init__(self, statuses: list[int] | int | None = None, secret: str | None = None, tls: bool = False) -> None:
        self.secret = secret
        self.ca_path: Any = None  # with tls: the local CA (emulators/tls.py) that signed the receiver's certificate
        self.deliveries: list[Delivery] = []
        self._script: list[int] = []
        self._cond = threading.Condition()
        self.script(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver._receive(self, body)

            def log_message(self, format: str, *args: Any) -> None:  # quiet under pytest
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if tls:  # https with a certificate from the emulators' local CA (the one `serve --tls` uses)
            from ..tls import server_cert

            cert = server_cert(["127.0.0.1"])
            self.ca_path = cert.ca_path
            self._server.socket = cert.context().wrap_socket(self._server.socket, server_side=True)
        self._scheme = "https" if tls else "http"
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-receiver", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        port = self._server.server_address[1]
        return f"{self._scheme}://127.0.0.1:{port}/webhook"

    def script(self, statuses: list[int] | int | None) -> None:
        """The next answers, in order (then 200): `[500, 500, 200]`, or one status for every answer."""
        with self._cond:
            if isinstance(statuses, int):
                self._script = [statuses] * 10_000
            else:
                self._script = list(statuses or [])

    def _receive(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._cond:
            status = self._script.pop(0) if self._script else 200
        valid = None
        sent = headers.get(SIGNATURE_HEADER)
        if self.secret and sent is not None:
            expected = base64.b64encode(hmac.new(self.secret.encode(), body, hashlib.sha256).digest()).decode()
            valid = hmac.compare_digest(expected, sent)
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        with self._cond:
            self.deliveries.append(Delivery("POST", handler.path, headers, body, status, signature_valid=valid))
            self._cond.notify_all()

    def received(self, event: str | None = None) -> list[Delivery]:
        with self._cond:
            return [d for d in self.deliveries if event is None or d.event == event]

    def wait_for(self, event: str, timeout: float = 2.0, count: int = 1) -> Delivery:
        """The `count`-th delivery of `event` (the last one waited for); AssertionError after `timeout` s."""
        end = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [d for d in self.deliveries if d.event == event]
                if len(got) >= count:
                    return got[count - 1]
                left = end - time.monotonic()
                if left <= 0:
                    seen = sorted({d.event for d in self.deliveries}) or "none"
                    raise AssertionError(f"no {event!r} delivery #{count} within {timeout} s (received: {seen})")
                self._cond.wait(left)

    def clear(self) -> None:
        with self._cond:
            self.deliveries.clear()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class Webhooks:
    """`emu.webhooks`: the deliveries journal (control plane) and in-process routing to an ASGI app."""

    def __init__(self, emu: Any) -> None:
        self._emu = emu

    def deliveries(self, event: str | None = None, subscription: str | None = None) -> list[dict[str, Any]]:
        params = {k: v for k, v in (("event", event), ("subscription", subscription)) if v is not None}
        result: list[dict[str, Any]] = self._emu.control("GET", "/webhooks/deliveries", params=params)["deliveries"]
        return result

    def _world(self) -> Any:
        app = self._emu.app or getattr(getattr(self._emu, "server", None), "app", None)
        if app is None:
            raise RuntimeError("emu.webhooks.route_to needs an emulator in this process (in_process or a live server)")
        return app.world(self._emu.namespace)

    def route_to(self, app: Any, prefix: str = "") -> None:
        """Deliver to an ASGI app (FastAPI, Starlette) in process, no socket: every target URL, or those
        starting with `prefix`. Cleared by reset."""
        self._world().outbox.route_to(app, prefix)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until no delivery is due now or in flight (in process only)."""
        return bool(self._world().outbox.wait_idle(timeout))

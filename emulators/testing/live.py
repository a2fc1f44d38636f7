"""A real uvicorn server for one emulator app on a free 127.0.0.1 port, in a background thread.

Each pytest(-xdist) worker is its own process, so it binds its own ports; tests share one server per
API and isolate themselves with `/__ns/<unique>/` namespaces (see `LiveServer.namespace_url`).
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from ..core.server_accept import run_batch_accepting
from .harness import Emulator

if TYPE_CHECKING:
    from ..tls import ServerCert

_counter = itertools.count(1)


def unique_namespace(prefix: str = "t") -> str:
    """A namespace name unique across tests, xdist workers and processes."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{prefix}-{worker}-{os.getpid()}-{next(_counter)}-{uuid.uuid4().hex[:6]}"


class LiveServer:
    """`with LiveServer(app) as srv: httpx.get(srv.url + "/__emulator/health")`. With `tls=True` (the local
    CA's certificate, emulators/tls.py) or a `ServerCert`, it serves https and `ca_path` is the CA to trust."""

    def __init__(
        self,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        start_timeout: float = 10.0,
        tls: bool | ServerCert = False,
    ) -> None:
        self.app = app
        self.tls: ServerCert | None = None
        if tls:
            from ..tls import server_cert

            self.tls = server_cert([host]) if tls is True else tls
            control = getattr(app, "control", None)
            if control is not None and self.tls.ca_path is not None:
                control.ctx.ca_path = str(self.tls.ca_path)
        self.host = host
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.port: int = self._sock.getsockname()[1]
        self.url = f"{'https' if self.tls else 'http'}://{host}:{self.port}"
        self.start_timeout = start_timeout
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def operations(self) -> list[str]:
        """The operationIds the app serves (from its contract)."""
        contract = getattr(self.app, "contract", None)
        return list(contract.operations) if contract is not None else []

    @property
    def name(self) -> str:
        return str(self.app.spec.name)

    @property
    def ca_path(self) -> Path | None:
        return self.tls.ca_path if self.tls else None

    def start(self) -> LiveServer:
        import uvicorn

        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            loop="auto",
            http="auto",
            ssl_certfile=str(self.tls.cert_path) if self.tls else None,
            ssl_keyfile=str(self.tls.key_path) if self.tls else None,
        )
        self._server = uvicorn.Server(config)

        def run() -> None:
            try:
                # uvicorn's Server.run on the loop `emulators serve` uses: a burst of clients (a test suite's
                # parallel workers, say) is accepted in one turn, not one client per turn
                run_batch_accepting(self._server.serve(sockets=[self._sock]))
            except BaseException as exc:  # pragma: no cover - surfaced by start()
                self._error = exc

        self._thread = threading.Thread(target=run, name=f"emulator-{self.name}-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self._server.started:
            if self._error is not None or not self._thread.is_alive():
                raise RuntimeError(f"emulator {self.name} did not start on {self.url}: {self._error}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"emulator {self.name} did not start on {self.url} in {self.start_timeout}s")
            time.sleep(0.002)
        return self

    def stop(self, wait: bool = True) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if not wait:
            return
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._sock.close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def namespace_url(self, namespace: str) -> str:
        return f"{self.url}/__ns/{namespace}"

    def release(self, namespace: str) -> None:
        """Forget a namespace's World (a test is done with it); the next request there starts fresh."""
        worlds = getattr(self.app, "worlds", None)
        if isinstance(worlds, dict) and namespace:
            worlds.pop(namespace, None)

    def emulator(self, namespace: str | None = None, **client_kwargs: Any) -> Emulator:
        """A handle on a fresh namespace of this server (its own state, journal, faults, clock)."""
        ns = namespace or unique_namespace(self.name)
        base = self.namespace_url(ns)
        if self.ca_path is not None and "verify" not in client_kwargs:
            from ..tls import client_context

            client_kwargs["verify"] = client_context(self.ca_path.parent)
        client = httpx.Client(base_url=base, **client_kwargs)
        emu = Emulator(self.name, client, base, namespace=ns)
        emu.ca_path = self.ca_path
        emu._client_kwargs = dict(client_kwargs)
        emu.server = self
        return emu

"""Serving emulators with uvicorn: several APIs in one process, each on its own port.

Ports are bound here, before uvicorn starts, so a port in use is one line naming the port and the API
(exit 1), and `--port 0` announces the port really bound."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import signal
import socket
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import uvicorn

    from .tls import ServerCert


BACKLOG = 2048  # uvicorn's default, which it passes to listen() again when it starts serving


class BindError(OSError):
    """A port could not be bound; `str()` is the one line to print."""


def make_server(
    app: Any, host: str, port: int, log_level: str = "warning", tls: ServerCert | None = None
) -> uvicorn.Server:
    """uvicorn with the socket limits of core/sockets.py: its own settings where it has them
    (timeout_keep_alive, h11_max_incomplete_event_size, ws="none"), the rest in GuardedHttpTools.
    With `tls`, https with that certificate (emulators/tls.py)."""
    _import_uvicorn_lean()
    import uvicorn  # here, not at the top: commands that only need BindError never import it

    from .core.sockets import Limits

    limits: Limits = getattr(app, "limits", None) or Limits.from_env()
    render = getattr(app, "render_rejection", None)
    http: Any = "auto"  # without httptools: uvicorn's h11 protocol, with its own header cap
    with contextlib.suppress(ImportError):  # server_protocol needs httptools
        from .core.server_protocol import protocol_for

        http = protocol_for(render, limits)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=1,
        timeout_keep_alive=max(int(limits.keep_alive_timeout), 1),
        h11_max_incomplete_event_size=limits.max_header_bytes,
        ws="none",
        loop="auto",
        http=http,
        ssl_certfile=str(tls.cert_path) if tls else None,
        ssl_keyfile=str(tls.key_path) if tls else None,
    )
    return uvicorn.Server(config)


def _import_uvicorn_lean() -> None:
    """uvicorn's Config and Server without running its package `__init__`, which also imports its command
    line (click), the reloaders (watchfiles) and the multiprocess supervisor: ~25 ms of start-up that serving
    never uses. The package completes itself (its real `__init__` runs) the first time anything asks it for
    another name (`uvicorn.run`, `from uvicorn import main`), so other users of uvicorn see no difference."""
    if "uvicorn" in sys.modules:
        return
    import importlib.util

    spec = importlib.util.find_spec("uvicorn")
    loader = spec.loader if spec is not None else None
    if spec is None or loader is None:
        return  # not installed: the plain import below says so
    package = importlib.util.module_from_spec(spec)
    sys.modules["uvicorn"] = package
    try:
        from uvicorn.config import Config
        from uvicorn.server import Server
    except Exception:  # a uvicorn laid out otherwise: forget the partial package, the plain import follows
        for name in [n for n in sys.modules if n == "uvicorn" or n.startswith("uvicorn.")]:
            del sys.modules[name]
        return
    package.__dict__.update(Config=Config, Server=Server)

    def complete(name: str) -> Any:
        package.__dict__.pop("__getattr__", None)
        loader.exec_module(package)
        return getattr(package, name)

    package.__dict__["__getattr__"] = complete


def bind(name: str, host: str, port: int) -> socket.socket:
    """A listening-ready socket on host:port, or BindError("port 8701 (bouwsoft) is already in use ...")."""
    # an ASCII host as bytes: a str goes through the "idna" codec, whose import (stringprep, unicodedata)
    # start-up need not pay for, and which raises UnicodeError (not gaierror) on an empty label ("a..b")
    node: str | bytes = host.encode("ascii") if host.isascii() else host
    try:
        infos = socket.getaddrinfo(node, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise BindError(f"{name}: cannot resolve host {host!r} ({exc.strerror})") from None
    family, _, _, _, addr = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise BindError(f"port {port} ({name}) is already in use on {host}") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise BindError(f"port {port} ({name}): permission denied on {host} (ports below 1024 need root)") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise BindError(f"{name}: address {host} is not available on this machine") from None
        raise BindError(f"port {port} ({name}) on {host}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    # Listening from here (uvicorn's backlog): a client that connects while the server finishes starting
    # waits in the backlog and is answered once it accepts, instead of being refused and retrying.
    sock.listen(BACKLOG)
    return sock


def bind_all(apps: list[tuple[str, Any, int]], host: str) -> list[tuple[str, Any, socket.socket]]:
    bound: list[tuple[str, Any, socket.socket]] = []
    try:
        for name, app, port in apps:
            bound.append((name, app, bind(name, host, port)))
    except BindError:
        for _, _, s in bound:
            s.close()
        raise
    return bound


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def exposure_warning(host: str, token: str | None) -> str | None:
    """One line for stderr when the control plane would be reachable from other machines without a token."""
    from .core.guard import host_name, is_loopback

    if token or is_loopback(host_name(host)):
        return None
    return (
        f"warning: serving on {host}, beyond this machine; the control plane (/__emulator) can reset and "
        "read all state: set --control-token (or EMULATORS_CONTROL_TOKEN) to protect it"
    )


def _collect_startup_garbage() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


async def serve_many(
    apps: list[tuple[str, Any, int]],
    host: str = "127.0.0.1",
    announce: Callable[[str], None] | None = None,
    log_level: str = "warning",
    sockets: list[socket.socket] | None = None,
    tls: ServerCert | None = None,
) -> int:
    """Run every (name, app, port) until SIGINT/SIGTERM; print `<api> http://host:port` once each accepts
    (`https://...` and the CA to trust with `tls`)."""
    if sockets is None:
        sockets = [s for _, _, s in bind_all(apps, host)]
    servers = []
    for (name, app, _), sock in zip(apps, sockets, strict=True):
        port = sock.getsockname()[1]
        servers.append((name, make_server(app, host, port, log_level, tls), port, sock))
    scheme = "https" if tls else "http"
    trust = f" (CA {tls.ca_path})" if tls and tls.ca_path else ""
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for _, srv, _, _ in servers:
            srv.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # non-main thread / Windows
            loop.add_signal_handler(sig, stop)
    # Everything built at start-up (contracts, validators, fixtures) lives as long as the process: move it
    # out of the collector's reach, so a full collection walks only what requests create. The garbage
    # start-up left (~2,000 objects, when `serve` ran it without the collector) is collected a second
    # after serving begins, off the first requests' path (a full collection here cost ~10-30 ms).
    gc.freeze()
    gc.enable()
    loop.call_later(1.0, _collect_startup_garbage)
    tasks = [asyncio.create_task(srv._serve(sockets=[sock])) for _, srv, _, sock in servers]
    say = announce or (lambda line: print(line, flush=True))
    pending = {name for name, _, _, _ in servers}
    while pending:
        for name, srv, port, _ in servers:
            if name in pending and srv.started:
                say(f"{name} {scheme}://{_url_host(host)}:{port}{trust}")
                if announce is None:  # the ready line above starts `<api> <url>`; the dashboard beside it
                    print(
                        f"{name} dashboard {scheme}://{_url_host(host)}:{port}/__emulator/ui",
                        file=sys.stderr,
                        flush=True,
                    )
                pending.discard(name)
        if any(t.done() for t in tasks):
            break
        await asyncio.sleep(0.005)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    for r in failed:
        print(f"error: {r}", file=sys.stderr)
    return 1 if failed or pending else 0


def run(
    apps: list[tuple[str, Any, int]],
    host: str = "127.0.0.1",
    log_level: str = "warning",
    tls: ServerCert | None = None,
    watch: Any = None,
) -> int:
    """Bind every port first (BindError: one line), then serve. `watch`: a coroutine function run beside
    the servers (`serve --watch`), cancelled when they stop."""
    sockets = [s for _, _, s in bind_all(apps, host)]

    async def main() -> int:
        watcher = asyncio.create_task(watch()) if watch is not None else None
        try:
            return await serve_many(apps, host, log_level=log_level, sockets=sockets, tls=tls)
        finally:
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await watcher

    from .core.server_accept import run_batch_accepting  # every waiting client accepted per turn, not one

    return run_batch_accepting(main())

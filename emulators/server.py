"""Serving emulators with uvicorn: several APIs in one process, each on its own port."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable
from typing import Any

import uvicorn


def make_server(app: Any, host: str, port: int, log_level: str = "warning") -> uvicorn.Server:
    """uvicorn with the socket limits of core/sockets.py: its own settings where it has them
    (timeout_keep_alive, h11_max_incomplete_event_size, ws="none"), the rest in GuardedHttpTools."""
    from .core.sockets import Limits, protocol_for

    limits: Limits = getattr(app, "limits", None) or Limits.from_env()
    render = getattr(app, "render_rejection", None)
    http: Any = "auto"  # without httptools: uvicorn's h11 protocol, with its own header cap
    with contextlib.suppress(ImportError):
        http = protocol_for(render, limits)
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False,
                            lifespan="on", timeout_graceful_shutdown=1,
                            timeout_keep_alive=max(int(limits.keep_alive_timeout), 1),
                            h11_max_incomplete_event_size=limits.max_header_bytes, ws="none",
                            loop="auto", http=http)
    return uvicorn.Server(config)


def exposure_warning(host: str, token: str | None) -> str | None:
    """One line for stderr when the control plane would be reachable from other machines without a token."""
    from .core.guard import host_name, is_loopback

    if token or is_loopback(host_name(host)):
        return None
    return (f"warning: serving on {host}, beyond this machine; the control plane (/__emulator) can reset and "
            "read all state: set --control-token (or EMULATORS_CONTROL_TOKEN) to protect it")


async def serve_many(apps: list[tuple[str, Any, int]], host: str = "127.0.0.1",
                     announce: Callable[[str], None] | None = None, log_level: str = "warning") -> int:
    """Run every (name, app, port) until SIGINT/SIGTERM; print `<api> http://host:port` once each accepts."""
    servers = [(name, make_server(app, host, port, log_level), port) for name, app, port in apps]
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for _, srv, _ in servers:
            srv.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # non-main thread / Windows
            loop.add_signal_handler(sig, stop)
    tasks = [asyncio.create_task(srv._serve()) for _, srv, _ in servers]
    say = announce or (lambda line: print(line, flush=True))
    pending = {name for name, _, _ in servers}
    while pending:
        for name, srv, port in servers:
            if name in pending and srv.started:
                say(f"{name} http://{host}:{port}")
                pending.discard(name)
        if any(t.done() for t in tasks):
            break
        await asyncio.sleep(0.005)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    for r in failed:
        print(f"error: {r}", file=sys.stderr)
    return 1 if failed or pending else 0


def run(apps: list[tuple[str, Any, int]], host: str = "127.0.0.1", log_level: str = "warning") -> int:
    try:
        import uvloop

        return uvloop.run(serve_many(apps, host, log_level=log_level))
    except ImportError:  # pragma: no cover
        return asyncio.run(serve_many(apps, host, log_level=log_level))

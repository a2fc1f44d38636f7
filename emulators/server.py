"""Serving emulators with uvicorn: several APIs in one process, each on its own port."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import sys
from collections.abc import Callable
from typing import Any

import uvicorn


def make_server(app: Any, host: str, port: int, log_level: str = "warning") -> uvicorn.Server:
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False,
                            lifespan="on", timeout_graceful_shutdown=1, timeout_keep_alive=30,
                            loop="auto", http="auto")
    return uvicorn.Server(config)


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
    # Everything built at start-up (contracts, validators, fixtures) lives as long as the process: move it
    # out of the collector's reach, so a full collection walks only what requests create.
    gc.collect()
    gc.freeze()
    tasks = [asyncio.create_task(srv._serve()) for _, srv, _ in servers]
    say = announce or (lambda line: print(line, flush=True))
    pending = {name for name, _, _ in servers}
    while pending:
        for name, srv, port in servers:
            if name in pending and srv.started:
                say(f"{name} http://{host}:{port}")
                if announce is None:  # the ready line above stays exactly `<api> <url>`; the dashboard beside it
                    print(f"{name} dashboard http://{host}:{port}/__emulator/ui", file=sys.stderr, flush=True)
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

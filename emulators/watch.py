"""`emulators serve --watch`: reload a fixtures file when it changes (watchfiles), without a restart.

The new file is validated first: an invalid edit keeps the old fixtures and state and prints the one-line
error. A valid one becomes the fixtures of the default namespace, which is reset to it; other namespaces
keep the fixtures they started with until they are reset (a test running there is not disturbed)."""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from .core.config import ConfigError
from .core.datafile import DataFileError


def reload_fixtures(app: Any, path: str) -> str:
    """Validate `path` and make it `app`'s fixtures (default namespace reset); the line to print.
    ConfigError / DataFileError (one line) when the file is not valid: nothing changes then."""
    from .core.app import _load_user_fixtures

    data = _load_user_fixtures.__wrapped__(str(path), app.spec.fixtures_model)
    app.fixtures = data
    app.control.ctx.fixtures = data
    world = app.default_world
    world.fixtures = data
    world.reset()
    return f"{app.spec.name}: reloaded {path} (default namespace reset)"


def watcher(
    pairs: Sequence[tuple[Any, str]], say: Callable[[str], None] | None = None
) -> Callable[[], Awaitable[None]]:
    """A coroutine function that watches each (app, fixtures path) until cancelled."""
    out = say or (lambda line: print(line, file=sys.stderr, flush=True))
    by_path = {os.path.realpath(path): (app, path) for app, path in pairs}

    async def watch() -> None:
        from watchfiles import awatch

        folders = sorted({str(Path(p).parent) for p in by_path})

        def wanted(_change: Any, changed: str) -> bool:
            return os.path.realpath(changed) in by_path

        async for changes in awatch(*folders, watch_filter=wanted, debounce=200, step=50):
            for real in sorted({os.path.realpath(p) for _, p in changes}):
                app, path = by_path[real]
                if not os.path.exists(path):
                    continue  # an editor replacing the file: the new one arrives as its own change
                try:
                    out(reload_fixtures(app, path))
                except (ConfigError, DataFileError) as exc:
                    out(f"{app.spec.name}: {path} not reloaded, the previous fixtures stay: {exc}")

    return watch

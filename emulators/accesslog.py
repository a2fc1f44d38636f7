"""`emulators serve --access-log [text|json]`: one line per request on stdout.

text:  2026-05-07T09:18:39Z bouwsoft GET /api/v1/Projects/3320 getProject 200 1.2ms ns=-
json:  {"time", "api", "method", "path", "query", "operation", "status", "ms", "namespace"} per line

The operation is the contract's operationId (`-`/null when nothing matched; `control` for /__emulator).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from typing import Any, TextIO

NS_PREFIX = "/__ns/"


class AccessLog:
    """An ASGI wrapper around one EmulatorApp; costs nothing when not installed."""

    def __init__(self, app: Any, fmt: str = "text", out: TextIO | None = None) -> None:
        self.app = app
        self.fmt = fmt
        self.out = out
        self.spec = app.spec
        self.worlds = getattr(app, "worlds", {})

    def __getattr__(self, name: str) -> Any:  # the wrapped app's attributes (spec, worlds, ...)
        return getattr(self.app, name)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def capture(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            self.write(scope, status, (time.perf_counter() - started) * 1000)

    def _operation(self, method: str, path: str) -> str | None:
        if path == "/__emulator" or path.startswith("/__emulator/"):
            return "control"
        try:
            operation, _ = self.app.pipeline.router.match(method, path)
        except Exception:  # no route (404/405): the line says "-"
            return None
        return str(operation.operation_id)

    def write(self, scope: dict[str, Any], status: int, ms: float) -> None:
        path: str = scope.get("path", "")
        namespace = ""
        inner = path
        if path.startswith(NS_PREFIX):
            namespace, _, tail = path[len(NS_PREFIX) :].partition("/")
            inner = "/" + tail
        method = str(scope.get("method", ""))
        operation = self._operation(method, inner)
        now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        if self.fmt == "json":
            line = json.dumps(
                {
                    "time": now,
                    "api": self.spec.name,
                    "method": method,
                    "path": path,
                    "query": scope.get("query_string", b"").decode("latin-1"),
                    "operation": operation,
                    "status": status,
                    "ms": round(ms, 3),
                    "namespace": namespace or None,
                },
                ensure_ascii=False,
            )
        else:
            line = (
                f"{now} {self.spec.name} {method} {path} {operation or '-'} {status} {ms:.1f}ms ns={namespace or '-'}"
            )
        out = self.out or sys.stdout
        out.write(line + "\n")
        out.flush()


def wrap(app: Any, fmt: str) -> Any:
    return app if fmt in ("", "off", None) else AccessLog(app, fmt)

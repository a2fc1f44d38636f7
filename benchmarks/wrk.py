"""Drive a server with wrk (C, event-driven) when it is installed: a load generator that is never the bottleneck."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class Request(Protocol):  # read-only members, so a frozen dataclass (targets.Req) conforms
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def body(self) -> bytes: ...


def available() -> bool:
    return shutil.which("wrk") is not None


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text.strip())
    return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")


def _lua_str(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    eq = "=" * level
    return f"[{eq}[{text}]{eq}]"


def script(requests: Sequence[Request]) -> str:
    """A wrk Lua script sending `requests` round-robin on every connection. The requests are formatted in
    `init`, after wrk has set its Host header (formatted at load time they would go without one, and an
    HTTP/1.1 request without Host is refused with a 400)."""
    lines = ["local reqs = {}", "init = function(args)"]
    for i, r in enumerate(requests, 1):
        hdrs = ", ".join(f"[ {_lua_str(k)} ] = {_lua_str(v)}" for k, v in r.headers.items())
        body = _lua_str(r.body.decode()) if r.body else "nil"
        lines.append(f"  reqs[{i}] = wrk.format({_lua_str(r.method)}, {_lua_str(r.path)}, {{{hdrs}}}, {body})")
    lines += ["end", "local i = 0", "request = function()", "  i = i % #reqs + 1", "  return reqs[i]", "end"]
    return "\n".join(lines) + "\n"


def run(
    base_url: str, requests: Sequence[Request], seconds: float, connections: int, threads: int = 2
) -> dict[str, float]:
    """requests/s, p50/p99 latency (ms), request and error counts from one bounded wrk run
    (no pipelining: one request in flight per connection, as wrk does by default)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "req.lua"
        path.write_text(script(requests))
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", str(path), base_url],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=True,
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = re.search(r"(\d+) requests in", out)
    p50 = re.search(r"\s50%\s+(\S+)", out)
    p99 = re.search(r"\s99%\s+(\S+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = float(non2xx.group(1)) if non2xx else 0.0
    socket_errors = sum(float(x) for x in sock.groups()) if sock else 0.0
    return {
        "rps": rps,
        "requests": float(total.group(1)) if total else 0.0,
        "p50": _ms(p50.group(1)) if p50 else float("nan"),
        "p99": _ms(p99.group(1)) if p99 else float("nan"),
        "errors": errors,
        "socket_errors": socket_errors,
    }

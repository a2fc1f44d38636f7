"""Drive a server with wrk (C, event-driven) when it is installed: a load generator that is never the bottleneck."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def available() -> bool:
    return shutil.which("wrk") is not None


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text.strip())
    return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")


def run(url: str, method: str, headers: dict[str, str], body: bytes, seconds: int,
        connections: int) -> dict[str, float]:
    """requests/s, p50 and p99 latency (ms) and error count from one bounded wrk run."""
    lua = [f'wrk.method = "{method}"', f"wrk.body = [[{body.decode()}]]"]
    lua += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "req.lua"
        script.write_text("\n".join(lua) + "\n")
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
                             capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"\s50%\s+(\S+)", out)
    p99 = re.search(r"\s99%\s+(\S+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50": _ms(p50.group(1)) if p50 else float("nan"),
            "p99": _ms(p99.group(1)) if p99 else float("nan"), "errors": float(non2xx.group(1)) if non2xx else 0.0}

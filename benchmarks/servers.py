"""The servers `make bench` loads: started as subprocesses, probed until they answer, loaded with wrk, and
measured from /proc (CPU seconds per round, RSS)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from benchmarks import wrk
from benchmarks.procstat import cpu_seconds, rss_mb
from benchmarks.targets import Req

ROOT = Path(__file__).resolve().parents[1]
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def spawn(args: list[str], probe: str, timeout: float = 30) -> tuple[subprocess.Popen[bytes], float, float]:
    """Start a server; return it, the seconds from spawn to the first successful response, and the CPU
    seconds the server had used by then (what start-up costs whatever else the machine runs). The probing
    client is made before the clock starts (a client per attempt would build an SSL context each time and
    compete with the starting server for the CPU)."""
    with httpx.Client(timeout=0.5) as client:
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            try:
                if client.get(probe).status_code == 200:
                    return proc, time.perf_counter() - t0, cpu_seconds(proc.pid)
            except httpx.TransportError:
                if proc.poll() is not None:
                    break
                time.sleep(0.005)
    proc.kill()
    proc.wait()
    raise RuntimeError(f"{args} did not start")


class Server:
    def __init__(self, name: str, args: list[str], port: int, probe_path: str, timeout: float = 30) -> None:
        self.name, self.port = name, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc, self.startup, self.startup_cpu = spawn(args, self.url + probe_path, timeout)
        self.requests = 0.0
        self.by_label: Counter[str] = Counter()

    def load(self, reqs: list[Req], seconds: float, label: str = "") -> dict[str, float]:
        """One bounded wrk run; adds the server's requests per CPU-second (its own utime + stime over the run)."""
        cpu0 = cpu_seconds(self.proc.pid)
        res = wrk.run(self.url, reqs, seconds, CONNECTIONS)
        cpu = cpu_seconds(self.proc.pid) - cpu0
        res["cpu_s"] = cpu
        res["per_cpu_s"] = res["requests"] / cpu if cpu > 0 else float("nan")
        self.requests += res["requests"]
        self.by_label[label] += int(res["requests"])
        if res["errors"]:
            raise RuntimeError(f"{self.name}: {res['errors']:.0f} error responses during the load ({reqs[0]})")
        return res

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def serve(api: str) -> Server:
    """`emulators serve <api>` on a free port, as users run it (journal on)."""
    port = free_port()
    return Server(
        api, [sys.executable, "-m", "emulators", "serve", api, "--port", str(port)], port, "/__emulator/health"
    )


def baseline() -> Server:
    port = free_port()
    return Server("baseline", [sys.executable, "-m", "benchmarks.baseline", str(port)], port, "/health")

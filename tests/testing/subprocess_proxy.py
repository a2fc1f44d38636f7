"""`emulators proxy` as a real subprocess, for the tests that need the command itself (its signals, the
file it writes on exit): started on a free port and waited for until its control plane answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_cli_proxy(
    api: str, target: str, *options: str, ready_within: float = 30.0
) -> tuple[subprocess.Popen[str], str]:
    """`python -m emulators proxy API --target TARGET --port <free port> OPTIONS...`: (the process, its base
    URL) once `GET /__emulator/health` answers 200. Waiting ends early when the process exits, and after
    `ready_within` seconds; the caller stops the process (a signal) and reads its output."""
    port = free_port()
    cmd = [sys.executable, "-m", "emulators", "proxy", api, "--target", target, "--port", str(port), *options]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_within
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url + "/__emulator/health").status_code == 200:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    return proc, url

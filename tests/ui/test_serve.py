"""`emulators serve` names each API's dashboard beside its ready line (on stderr: the ready line itself stays
exactly `<api> http://host:port` for the scripts that wait for it); bound to 127.0.0.1 like the API."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def test_serve_prints_the_dashboard_url_beside_the_api() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulators", "serve", "aktion", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().strip() == f"aktion http://127.0.0.1:{port}"
        assert proc.stderr.readline().strip() == f"aktion dashboard http://127.0.0.1:{port}/__emulator/ui"
        r = httpx.get(f"http://127.0.0.1:{port}/__emulator/ui", timeout=10)
        assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)

"""Real uvicorn servers: ready lines, disconnect faults, clean shutdown, the CLI."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from emulators import registry

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(args: list[str], ready: int = 1) -> tuple[subprocess.Popen[str], list[str], float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        args,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    assert proc.stdout is not None
    while len(lines) < ready:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
        lines.append(line.strip())
    return proc, lines, time.perf_counter() - t0


def stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> float:
    t0 = time.perf_counter()
    proc.send_signal(sig)
    proc.wait(timeout=10)
    return time.perf_counter() - t0


@pytest.fixture
def echo_server() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    proc, lines, _ = start([sys.executable, "-m", "tests.echo.serve", str(port)])
    assert lines == [f"echo http://127.0.0.1:{port}"]
    yield f"http://127.0.0.1:{port}", proc
    if proc.poll() is None:
        stop(proc)


def test_serve_ready_line_then_requests_work(echo_server: tuple[str, subprocess.Popen[str]]) -> None:
    base, _ = echo_server
    with httpx.Client(base_url=base) as c:
        assert c.get("/__emulator/health").json() == {"status": "ok", "emulator": "echo"}
        token = c.post("/login", params={"user": "alice"}).json()["token"]
        assert c.get("/items", headers={"X-Api-Key": token}).status_code == 200


def test_serve_disconnect_fault_closes_connection(echo_server: tuple[str, subprocess.Popen[str]]) -> None:
    base, _ = echo_server
    with httpx.Client(base_url=base) as c:
        token = c.post("/login", params={"user": "alice"}).json()["token"]
        c.post("/__emulator/faults", json={"operation": "listItems", "disconnect": True, "times": 1})
        with pytest.raises(httpx.TransportError):
            c.get("/items", headers={"X-Api-Key": token})
    with httpx.Client(base_url=base) as c:
        assert c.get("/items", headers={"X-Api-Key": token}).status_code == 200


def test_serve_keeps_serving_after_crash(echo_server: tuple[str, subprocess.Popen[str]]) -> None:
    base, _ = echo_server
    with httpx.Client(base_url=base) as c:
        token = c.post("/login", params={"user": "alice"}).json()["token"]
        assert c.get("/crash", headers={"X-Api-Key": token}).status_code == 500
        assert c.get("/items", headers={"X-Api-Key": token}).status_code == 200


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_shuts_down_within_2s(echo_server: tuple[str, subprocess.Popen[str]], sig: int) -> None:
    _, proc = echo_server
    assert stop(proc, sig) < 2.0
    assert proc.returncode == 0


def test_cli_list_names_registered_apis_with_ports() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "emulators", "list"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    expected = [f"{n}\t{registry.APIS[n][1]}" for n in registry.available()]
    assert [line for line in out if line] == expected


def test_cli_contract_prints_yaml_and_json() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "emulators", "contract", "control"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("openapi: 3.1.0")
    out = subprocess.run(
        [sys.executable, "-m", "emulators", "contract", "control", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert '"openapi": "3.1.0"' in out


def test_cli_serve_unknown_api_exit_2() -> None:
    r = subprocess.run([sys.executable, "-m", "emulators", "serve", "nope"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2
    assert "unknown emulator" in r.stderr


@pytest.mark.parametrize("api", registry.available())
def test_cli_serve_each_api_ready_fast(api: str) -> None:
    port = free_port()
    proc, lines, _ = start([sys.executable, "-m", "emulators", "serve", api, "--port", str(port)])
    try:
        assert lines == [f"{api} http://127.0.0.1:{port}"]
        r = httpx.get(f"http://127.0.0.1:{port}/__emulator/health")
        assert r.json() == {"status": "ok", "emulator": api}
    finally:
        assert stop(proc) < 2.0


def test_cli_serve_all_apis_one_process() -> None:
    apis = registry.available()
    if not apis:
        pytest.skip("no API package present yet")
    base = free_port()
    proc, lines, _ = start([sys.executable, "-m", "emulators", "serve", "--base-port", str(base)], ready=len(apis))
    try:
        ports = {api: base + list(registry.APIS).index(api) for api in apis}
        assert sorted(lines) == sorted(f"{a} http://127.0.0.1:{p}" for a, p in ports.items())
        for api, port in ports.items():
            assert httpx.get(f"http://127.0.0.1:{port}/__emulator/health").json()["emulator"] == api
    finally:
        assert stop(proc) < 2.0

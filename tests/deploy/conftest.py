"""The real thing: the container image under podman and the fleet behind nginx (`make test-container`).

Collected only when EMULATORS_DEPLOY_TESTS=1 (the make target sets it after deploy/ci/prepare.sh has
installed podman, nginx and the local base image), so `make test` never starts them."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
collect_ignore_glob = [] if os.environ.get("EMULATORS_DEPLOY_TESTS") == "1" else ["test_*.py"]
os.environ.setdefault("CONTAINERS_CONF", str(ROOT / "deploy" / "ci" / "containers.conf"))

FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("deploy figures (durations, spread)")
        for line in FIGURES:
            terminalreporter.write_line(line)


class Figures:
    """Durations and counts the report and README quote; printed at the end of the run."""

    def add(self, line: str) -> None:
        FIGURES.append(line)

    def timed(self, label: str, since: float) -> float:
        took = time.monotonic() - since
        FIGURES.append(f"{label}: {took:.1f} s")
        return took


@pytest.fixture(scope="session")
def figures() -> Iterator[Figures]:
    yield Figures()


BASE = os.environ.get("EMULATORS_BASE_IMAGE", "localhost/emulators-base:bookworm")
IMAGE = "localhost/vendor-emulators:ci"
WHEELHOUSE = ROOT / "deploy" / "wheelhouse"


def podman(*args: str, check: bool = True, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        pytest.fail(
            f"podman {' '.join(args[:3])} ... exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return done


def build(tag: str, *args: str) -> subprocess.CompletedProcess[str]:
    return podman(
        "build",
        "--format",
        "docker",
        "--build-arg",
        f"BASE={BASE}",
        *args,
        "-t",
        tag,
        "-f",
        str(ROOT / "Containerfile"),
        str(ROOT),
    )


@pytest.fixture(scope="session")
def image(figures: Figures) -> str:
    if podman("image", "exists", BASE, check=False).returncode != 0:
        pytest.fail(f"no base image {BASE}: run deploy/ci/prepare.sh first")
    t0 = time.monotonic()
    for old in WHEELHOUSE.glob("*.whl"):
        old.unlink()
    made = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", ".", "hatchling", "-w", str(WHEELHOUSE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    figures.timed(f"container: wheelhouse ({len(list(WHEELHOUSE.glob('*.whl')))} wheels) built on the host", t0)
    t1 = time.monotonic()
    build(IMAGE, "--network", "none", "--build-arg", "PIP_SOURCE=wheelhouse")
    figures.timed("container: image built offline from the wheelhouse (--network none)", t1)
    size = podman("image", "inspect", IMAGE, "--format", "{{.Size}}").stdout.strip()
    figures.add(f"container: image size {int(size) / 1e6:.0f} MB")
    return IMAGE


@pytest.fixture(scope="session")
def docker_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """podman's Docker-compatible API on a socket of its own; DOCKER_HOST points there meanwhile."""
    sock = tmp_path_factory.mktemp("podman") / "podman.sock"
    service = subprocess.Popen(
        ["podman", "system", "service", "--time=0", f"unix://{sock}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while not sock.exists() and time.monotonic() < deadline and service.poll() is None:
        time.sleep(0.05)
    assert sock.exists(), service.stderr.read().decode() if service.stderr else ""
    saved = os.environ.get("DOCKER_HOST")
    os.environ["DOCKER_HOST"] = f"unix://{sock}"
    yield f"unix://{sock}"
    if saved is None:
        os.environ.pop("DOCKER_HOST", None)
    else:
        os.environ["DOCKER_HOST"] = saved
    service.terminate()
    service.wait(10)


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def free_block(count: int, prefer: int | None = None) -> int:
    """The first port of `count` consecutive free ports (`prefer` when that block is free)."""
    if prefer is not None and all(port_free(prefer + i) for i in range(count)):
        return prefer
    rng = random.Random()
    for _ in range(200):
        base = rng.randrange(20000, 40000)
        if all(port_free(base + i) for i in range(count)):
            return base
    raise RuntimeError(f"no {count} consecutive free ports")


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")

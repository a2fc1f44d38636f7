"""testcontainers-python's generic container, against podman's Docker-compatible API socket
(`podman system service`), starting the image the container tests built.

Two settings are needed with podman here: TESTCONTAINERS_RYUK_DISABLED=true (the Ryuk reaper image
comes from a public registry; the `with` block removes the container itself) and, on a machine that
is itself a container (it has /.dockerenv), TESTCONTAINERS_CONNECTION_MODE=docker_host."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT, Figures

# read once when testcontainers is imported: set before the import (this module runs in its own process
# only under `make test-container`, where nothing else uses testcontainers)
os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")
os.environ.setdefault("TESTCONTAINERS_CONNECTION_MODE", "docker_host")
testcontainers = pytest.importorskip("testcontainers", reason="make test-container installs testcontainers")

from testcontainers.core.container import DockerContainer  # noqa: E402
from testcontainers.core.wait_strategies import HttpWaitStrategy  # noqa: E402


def test_generic_container_serves_the_emulators(docker_api: str, image: str, figures: Figures) -> None:
    t0 = time.monotonic()
    container = (
        DockerContainer(image)
        .with_exposed_ports(8701, 8702)
        .waiting_for(HttpWaitStrategy(8701, "/__emulator/health").for_status_code(200))
    )
    with container:
        figures.timed("testcontainers: generic container up (podman socket)", t0)
        host = container.get_container_host_ip()
        bouwsoft = f"http://{host}:{container.get_exposed_port(8701)}"
        superoffice = f"http://{host}:{container.get_exposed_port(8702)}"
        assert httpx.get(f"{superoffice}/__emulator/health", timeout=5).json() == {
            "status": "ok",
            "emulator": "superoffice",
        }
        scenario = ROOT / "fixtures" / "scenarios" / "bouwsoft-seed-examples.scenario.yaml"
        run = subprocess.run(
            [sys.executable, "-m", "emulators", "replay", "-q", str(scenario), "--target", bouwsoft],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout.splitlines()[-1].endswith("1 passed")
        name = container.get_wrapped_container().name
    gone = subprocess.run(["podman", "container", "exists", name])
    assert gone.returncode == 1  # the with block removed it
    assert Path(docker_api[len("unix://") :]).exists()

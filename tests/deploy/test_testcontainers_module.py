"""`emulators.testcontainers.EmulatorContainer` against podman's Docker-compatible API, on the image the
container tests built: ports mapped, health waited for, base URLs, credentials, the fixtures' handle."""

from __future__ import annotations

import os

import httpx
import pytest

from .conftest import Figures

os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")  # see test_testcontainers.py
os.environ.setdefault("TESTCONTAINERS_CONNECTION_MODE", "docker_host")
pytest.importorskip("testcontainers", reason="make test-container installs testcontainers")

from emulators.testcontainers import EmulatorContainer


def test_emulator_container_one_api(docker_api: str, image: str, figures: Figures) -> None:
    import time

    t0 = time.monotonic()
    with EmulatorContainer("aktion", image=image) as container:
        figures.timed("testcontainers: EmulatorContainer('aktion') healthy", t0)
        url = container.base_url()
        assert url == container.base_url("aktion") and url.startswith("http://")
        assert httpx.get(url + "/__emulator/health").json() == {"status": "ok", "emulator": "aktion"}
        creds = container.credentials()
        assert creds == httpx.get(url + "/__emulator/credentials").json() and creds
        emu = container.emulator(namespace=None)  # a fresh namespace, as the pytest fixtures give
        assert emu.namespace and emu.base_url == f"{url}/__ns/{emu.namespace}"
        sid = emu.stubs.add(method="GET", path="/stubbed", respond={"status": 299})
        assert emu.client.get("/stubbed").status_code == 299
        assert emu.journal.calls()[-1]["stub"] == sid
        emu.reset()
        assert emu.journal.calls() == []
        with pytest.raises(ValueError, match="bouwsoft is not served by this container"):
            container.base_url("bouwsoft")


def test_emulator_container_all_apis(docker_api: str, image: str) -> None:
    with EmulatorContainer(image=image) as container:
        for api in ("bouwsoft", "superoffice", "aktion", "twelvebuild"):
            assert httpx.get(container.base_url(api) + "/__emulator/health").json()["emulator"] == api
        with pytest.raises(ValueError, match="name the API"):
            container.base_url()

"""A Testcontainers module: the emulators' container image, started and waited for like any other module.

    from emulators.testcontainers import EmulatorContainer

    with EmulatorContainer("bouwsoft") as emulators:        # one API; EmulatorContainer() serves all four
        url = emulators.base_url("bouwsoft")               # http://<host>:<mapped port>
        creds = emulators.credentials("bouwsoft")
        emu = emulators.emulator("bouwsoft")               # the pytest fixtures' handle: .state .journal
        emu.faults.add(operation="getProject", status=503)  # .faults .stubs .clock .requests ...

Needs `testcontainers` (`pip install testcontainers`) and a Docker-compatible engine (Docker, or podman's
socket: see docs/deploy.md). It waits until every exposed API answers its health check."""

from __future__ import annotations

import contextlib
import time
from typing import Any

import httpx
from testcontainers.core.container import DockerContainer

from . import registry
from .testing.harness import Emulator
from .testing.live import unique_namespace

DEFAULT_IMAGE = "localhost/vendor-emulators:latest"


class EmulatorContainer(DockerContainer):
    """The image serving `api` (or every API when None) on its default port(s), mapped to free host ports."""

    def __init__(
        self, api: str | list[str] | None = None, image: str = DEFAULT_IMAGE, start_timeout: float = 60.0, **kwargs: Any
    ) -> None:
        names = [api] if isinstance(api, str) else list(api or registry.APIS)
        for name in names:  # checked before the engine is reached: a typo is one line, with or without Docker
            if name not in registry.APIS:
                from .core.suggest import unknown

                raise ValueError(unknown("emulator", name, registry.APIS))
        super().__init__(image, **kwargs)
        self.apis = names
        self.start_timeout = start_timeout
        self.api_ports = {name: registry.APIS[name][1] for name in names}
        self.with_exposed_ports(*self.api_ports.values())
        # every API on its default port, listening beyond the container's loopback
        self.with_command(["serve", *names, "--host", "0.0.0.0"])

    def start(self) -> EmulatorContainer:
        # the control plane answers loopback Host names only, unless told more: a remote engine's host
        # (DOCKER_HOST=tcp://ci-docker:2375) is the Host our client sends
        if "EMULATORS_CONTROL_HOSTS" not in self.env:
            with contextlib.suppress(Exception):
                self.with_env("EMULATORS_CONTROL_HOSTS", str(self.get_docker_client().host()))
        super().start()
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        """Every API's `/__emulator/health` answers 200 (the image's own HEALTHCHECK, from outside)."""
        deadline = time.monotonic() + self.start_timeout
        waiting = list(self.apis)
        last = ""
        while waiting:
            api = waiting[0]
            try:
                r = httpx.get(self.base_url(api) + "/__emulator/health", timeout=2)
                if r.status_code == 200 and r.json().get("emulator") == api:
                    waiting.pop(0)
                    continue
                last = f"{r.status_code} {r.text[:80]}"
            except (httpx.HTTPError, ValueError, ConnectionError) as exc:
                last = str(exc) or type(exc).__name__
            if time.monotonic() > deadline:
                raise TimeoutError(f"{api} did not answer its health check in {self.start_timeout:g} s ({last})")
            time.sleep(0.2)

    def base_url(self, api: str | None = None) -> str:
        """`http://<host>:<mapped port>` of `api` (the only one served when None)."""
        name = self._api_name(api)
        return f"http://{self.get_container_host_ip()}:{self.get_exposed_port(self.api_ports[name])}"

    def credentials(self, api: str | None = None) -> dict[str, Any]:
        """What a client logs in with (`GET /__emulator/credentials`)."""
        creds: dict[str, Any] = httpx.get(self.base_url(api) + "/__emulator/credentials", timeout=10).json()
        return creds

    def emulator(self, api: str | None = None, namespace: str | None = "", **client_kwargs: Any) -> Emulator:
        """The control-plane handle the pytest fixtures use (`.state`, `.journal`, `.faults`, `.stubs`,
        `.clock`, `.requests`); `namespace=None` picks a fresh namespace of its own."""
        name = self._api_name(api)
        ns = unique_namespace(name) if namespace is None else namespace
        base = self.base_url(name) + (f"/__ns/{ns}" if ns else "")
        emu = Emulator(name, httpx.Client(base_url=base, **client_kwargs), base, namespace=ns)
        emu._client_kwargs = dict(client_kwargs)
        return emu

    def _api_name(self, api: str | None) -> str:
        if api is None:
            if len(self.apis) != 1:
                raise ValueError(f"name the API: this container serves {', '.join(self.apis)}")
            return self.apis[0]
        if api not in self.api_ports:
            raise ValueError(f"{api} is not served by this container (serving {', '.join(self.apis)})")
        return api

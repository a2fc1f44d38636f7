"""compose.yaml for real: docker-compose (Debian's) against podman's Docker-compatible API. The
emulators service is built by compose from the Containerfile (offline, from the wheelhouse); the
fleet profile's nginx is Debian's nginx on the local base (deploy/ci/nginx.Containerfile) standing in
for the official image, which no registry here serves."""

from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

from .conftest import BASE, ROOT, Figures, free_block, podman

PROJECT = f"emulators-ci-{os.getpid()}"
NGINX_IMAGE = "localhost/emulators-nginx:ci"
COMPOSE_IMAGE = "localhost/vendor-emulators:compose-ci"


def compose(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.fail("docker-compose is not installed (deploy/ci/prepare.sh installs it)")
    done = subprocess.run(
        [exe, "-p", PROJECT, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout
    )
    if done.returncode != 0:
        pytest.fail(
            f"docker-compose {' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return done


@pytest.fixture(scope="module")
def stack(docker_api: str, image: str, figures: Figures) -> Iterator[dict[str, str]]:
    """`--profile fleet up`: the emulators (single process) and the fleet behind nginx."""
    single, front = free_block(4, prefer=28701), free_block(4, prefer=28711)
    env = dict(
        os.environ,
        DOCKER_HOST=docker_api,
        EMULATORS_BASE=BASE,
        PIP_SOURCE="wheelhouse",
        EMULATORS_IMAGE=COMPOSE_IMAGE,
        NGINX_IMAGE=NGINX_IMAGE,
        EMULATORS_PORTS=f"{single}-{single + 3}",
        EMULATORS_FLEET_PORTS=f"{front}-{front + 3}",
    )
    compose("config", "-q", env=env)
    t0 = time.monotonic()
    podman(
        "build",
        "-q",
        "--network",
        "host",
        "--build-arg",
        f"BASE={BASE}",
        "-t",
        NGINX_IMAGE,
        "-f",
        str(ROOT / "deploy/ci/nginx.Containerfile"),
        str(ROOT / "deploy/ci"),
    )
    figures.timed("compose: stand-in nginx image built (Debian's nginx)", t0)
    t1 = time.monotonic()
    compose("build", "emulators", env=env)
    figures.timed("compose: emulators image built by compose (wheelhouse)", t1)
    t2 = time.monotonic()
    compose("--profile", "fleet", "up", "-d", "--no-build", env=env)
    urls = {"single": f"http://127.0.0.1:{single}", "fleet": f"http://127.0.0.1:{front}"}
    deadline = time.monotonic() + 90
    for url in urls.values():
        while True:
            try:
                if httpx.get(f"{url}/__emulator/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                logs = compose("--profile", "fleet", "logs", "--no-color", env=env).stdout
                pytest.fail(f"{url} did not come up:\n{logs[-3000:]}")
            time.sleep(0.25)
    figures.timed("compose: --profile fleet up, both answering", t2)
    yield dict(urls, _env=json.dumps(env))
    subprocess.run(
        [shutil.which("docker-compose") or "docker-compose", "-p", PROJECT, "--profile", "fleet", "down", "-t", "5"],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    left = podman("ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}", check=False).stdout.split()
    if left:
        podman("rm", "-f", "-t", "0", *left, check=False)
    podman("network", "rm", "-f", f"{PROJECT}_default", check=False)


def _container(service: str) -> str:
    return f"{PROJECT}_{service}_1"


def test_compose_image_keeps_the_healthcheck(stack: dict[str, str]) -> None:
    info = json.loads(podman("image", "inspect", COMPOSE_IMAGE).stdout)[0]
    assert info["Healthcheck"]["Test"] == ["CMD", "python3", "-m", "emulators.healthcheck"]


def test_compose_up_serves_the_four_emulators(stack: dict[str, str]) -> None:
    base = int(stack["single"].rsplit(":", 1)[1])
    for i, api in enumerate(("bouwsoft", "superoffice", "aktion", "twelvebuild")):
        health = httpx.get(f"http://127.0.0.1:{base + i}/__emulator/health", timeout=5).json()
        assert health == {"status": "ok", "emulator": api}
    assert podman("healthcheck", "run", _container("emulators"), check=False).returncode == 0


def test_compose_fleet_profile_pins_each_namespace_to_one_member(stack: dict[str, str]) -> None:
    owners: dict[str, set[str]] = collections.defaultdict(set)
    with httpx.Client(base_url=stack["fleet"], timeout=10) as client:
        for i in range(60):
            ns = f"compose-{i}"
            client.post(f"/__ns/{ns}/__emulator/clock", json={"advance_seconds": 3600})
            for path in ("__emulator/clock", "__emulator/health", "no-such-route"):
                owners[ns].add(client.get(f"/__ns/{ns}/{path}").headers["x-emulator-member"])
    assert all(len(members) == 1 for members in owners.values()), owners
    assert {m for ms in owners.values() for m in ms} == {"127.0.0.1:9701", "127.0.0.1:9702"}
    # the fleet container's healthcheck asks the workers (EMULATORS_HEALTHCHECK_URLS)
    assert podman("healthcheck", "run", _container("fleet"), check=False).returncode == 0


PROBE = """
import json, sys, urllib.error, urllib.request
out = {}
for url in sys.argv[1:]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            out[url] = [r.status, json.loads(r.read())]
    except urllib.error.HTTPError as e:
        out[url] = [e.code, json.loads(e.read())]
print(json.dumps(out))
"""


def test_compose_network_reaches_the_control_plane_by_service_name(stack: dict[str, str]) -> None:
    """A container on the compose network (as a CI job's service or a test runner service would be)
    reaches the control plane at http://emulators:8701 and through the fleet's nginx at http://fleet:8701,
    because compose.yaml names its services in EMULATORS_CONTROL_HOSTS."""
    urls = [f"http://{svc}:{port}/__emulator/health" for svc in ("emulators", "fleet") for port in (8701, 8704)]
    done = podman(
        "run", "--rm", "--network", f"{PROJECT}_default", "--entrypoint", "python3", COMPOSE_IMAGE, "-c", PROBE, *urls
    )
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    assert answers == {
        url: [200, {"status": "ok", "emulator": "bouwsoft" if ":8701" in url else "twelvebuild"}] for url in urls
    }


def test_compose_stop_ends_every_service_cleanly(stack: dict[str, str], figures: Figures) -> None:
    env = json.loads(stack["_env"])
    t0 = time.monotonic()
    compose("--profile", "fleet", "stop", "-t", "10", env=env)
    figures.timed("compose: --profile fleet stop", t0)
    for service in ("emulators", "fleet"):
        state = json.loads(podman("inspect", _container(service)).stdout)[0]["State"]
        assert state["Status"] == "exited" and state["ExitCode"] == 0, (service, state)

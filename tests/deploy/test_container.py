"""The Containerfile for real, under podman with the local Debian base that deploy/ci/prepare.sh
imported: built offline from a host wheelhouse and online with the CA bundle pip names, run with
--network host, healthy, the shipped scenarios replayed against it, stopped by SIGTERM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulators import registry

from .conftest import IMAGE, ROOT, Figures, build, free_block, podman

RUN = f"fleet-ci-{os.getpid()}"
SCENARIOS = sorted((ROOT / "fixtures" / "scenarios").glob("*.scenario.yaml"))


def pip_ca_bundle() -> str | None:
    """The CA bundle pip's configuration names (PIP_CERT or `cert` in a pip.conf), if any."""
    if os.environ.get("PIP_CERT"):
        return os.environ["PIP_CERT"]
    listed = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    for line in listed.splitlines():
        key, _, value = line.partition("=")
        if key.endswith(".cert"):
            return value.strip().strip("'\"")
    return None


def test_image_is_non_root_exposes_the_ports_and_has_the_healthcheck(image: str) -> None:
    info = json.loads(podman("image", "inspect", image).stdout)[0]
    config = info["Config"]
    assert config["User"] == "10001:10001"
    assert set(config["ExposedPorts"]) == {f"{p}/tcp" for p in (8701, 8702, 8703, 8704)}
    assert config["Entrypoint"] == ["emulators"] and config["Cmd"] == ["serve", "--host", "0.0.0.0"]
    assert info["Healthcheck"]["Test"] == ["CMD", "python3", "-m", "emulators.healthcheck"]


def test_image_builds_from_the_index_with_the_ca_bundle_as_a_secret(image: str, figures: Figures) -> None:
    ca = pip_ca_bundle()
    if not ca or not Path(ca).is_file():
        pytest.skip("pip's configuration names no CA bundle: the plain index build needs none")
    t0 = time.monotonic()
    build(f"{IMAGE}-index", "--network", "host", "--secret", f"id=pip_ca,src={ca}")
    figures.timed("container: image built from the index with the CA bundle secret", t0)
    listed = podman("run", "--rm", "--network", "none", f"{IMAGE}-index", "list").stdout
    assert listed.split() == [w for name, (_, port) in registry.APIS.items() for w in (name, str(port))]
    # the bundle was a build secret: in no layer of the image, and pip in it is not pointed at it
    probe = podman(
        "run",
        "--rm",
        "--network",
        "none",
        "--entrypoint",
        "sh",
        f"{IMAGE}-index",
        "-c",
        "test ! -e /run/secrets/pip_ca && ! grep -rqs pip_ca /etc/pip.conf /opt/venv/pip.conf",
        check=False,
    )
    assert probe.returncode == 0, probe.stdout + probe.stderr
    podman("rmi", f"{IMAGE}-index", check=False)


@pytest.fixture(scope="module")
def container(image: str, figures: Figures) -> Iterator[dict[str, str]]:
    base = free_block(4, prefer=8701)
    args = ["run", "-d", "--name", RUN, "--network", "host"]
    if base != 8701:  # something on this host holds the default ports: move the container's
        args += ["-e", f"EMULATORS_BASE_PORT={base}", image, "serve", "--host", "0.0.0.0", "--base-port", str(base)]
    else:
        args += [image]
    t0 = time.monotonic()
    podman(*args)
    deadline = time.monotonic() + 60
    while podman("healthcheck", "run", RUN, check=False).returncode != 0:
        if time.monotonic() > deadline:
            pytest.fail("not healthy after 60 s:\n" + podman("logs", RUN, check=False).stderr)
        time.sleep(0.2)
    figures.timed("container: started and healthy (podman healthcheck run)", t0)
    yield {api: f"http://127.0.0.1:{base + i}" for i, api in enumerate(registry.APIS)}
    podman("rm", "-f", "-t", "0", RUN, check=False)


def test_container_is_healthy_and_answers_on_every_port(container: dict[str, str]) -> None:
    state = json.loads(podman("inspect", RUN).stdout)[0]["State"]
    assert state["Health"]["Status"] == "healthy"
    import httpx

    for api, url in container.items():
        assert httpx.get(f"{url}/__emulator/health", timeout=5).json() == {"status": "ok", "emulator": api}


def test_container_runs_as_the_non_root_user(container: dict[str, str]) -> None:
    assert podman("exec", RUN, "id", "-u").stdout.strip() == "10001"
    assert podman("exec", RUN, "id", "-un").stdout.strip() == "emulators"


def test_container_replays_the_shipped_scenarios(container: dict[str, str], figures: Figures) -> None:
    targets = [a for api, url in container.items() for a in ("--target", f"{api}={url}")]
    t0 = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "emulators", "replay", "-q", *map(str, SCENARIOS), *targets],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    figures.timed(f"container: {len(SCENARIOS)} scenarios replayed against it", t0)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1].endswith(f"{len(SCENARIOS)} passed")


def _fixtures_dir(tmp_path: Path) -> Path:
    mounted = tmp_path / "fixtures"
    mounted.mkdir()
    text = (ROOT / "fixtures" / "bouwsoft" / "default.yaml").read_text(encoding="utf-8")
    (mounted / "bouwsoft.yaml").write_text(text.replace("emulator-demo-appkey", "volume-demo-appkey"))
    mounted.chmod(0o755)
    (mounted / "bouwsoft.yaml").chmod(0o644)
    return mounted


def _serve_one(image: str, name: str, port: int, *args: str) -> str:
    podman("run", "-d", "--name", name, "--network", "host", *args)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            return str(httpx.get(f"http://127.0.0.1:{port}/__emulator/credentials", timeout=2).json()["appkey"])
        except (httpx.HTTPError, KeyError, ValueError):
            if podman("inspect", name, "--format", "{{.State.Running}}").stdout.strip() != "true":
                break
            time.sleep(0.2)
    pytest.fail("bouwsoft did not come up:\n" + podman("logs", name, check=False).stderr)


def test_container_serves_fixtures_from_a_mounted_volume(image: str, tmp_path: Path) -> None:
    port, name = free_block(1, prefer=18791), f"{RUN}-fixtures"
    try:
        appkey = _serve_one(
            image,
            name,
            port,
            "-v",
            f"{_fixtures_dir(tmp_path)}:/fixtures:ro",
            image,
            "serve",
            "bouwsoft",
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--fixtures",
            "/fixtures/bouwsoft.yaml",
        )
        assert appkey == "volume-demo-appkey"
    finally:
        podman("rm", "-f", "-t", "0", name, check=False)


def test_container_fixtures_named_by_environment(image: str, tmp_path: Path) -> None:
    helptext = podman("run", "--rm", "--network", "none", image, "serve", "--help").stdout
    if "EMULATORS_FIXTURES" not in helptext:
        pytest.skip("this CLI reads no EMULATORS_FIXTURES_<API> yet (issue 14 adds the variables)")
    port, name = free_block(1, prefer=18792), f"{RUN}-env"
    try:
        appkey = _serve_one(
            image,
            name,
            port,
            "-v",
            f"{_fixtures_dir(tmp_path)}:/fixtures:ro",
            "-e",
            "EMULATORS_FIXTURES_BOUWSOFT=/fixtures/bouwsoft.yaml",
            "-e",
            f"EMULATORS_PORT={port}",
            image,
            "serve",
            "bouwsoft",
            "--host",
            "0.0.0.0",
        )
        assert appkey == "volume-demo-appkey"
    finally:
        podman("rm", "-f", "-t", "0", name, check=False)


def test_container_exits_cleanly_within_2s_of_sigterm(container: dict[str, str], figures: Figures) -> None:
    t0 = time.monotonic()
    podman("kill", "--signal", "TERM", RUN)
    code = podman("wait", RUN).stdout.strip()
    took = figures.timed("container: exit after SIGTERM", t0)
    logs = podman("logs", RUN, check=False)
    assert code == "0", logs.stdout + logs.stderr
    assert took < 2.0
    assert "Traceback" not in logs.stdout + logs.stderr

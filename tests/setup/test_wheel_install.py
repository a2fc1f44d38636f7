"""A fresh outside project installs the built wheel and runs a sync and an async test with the plugin.

The wheel is built from this checkout (`pip wheel --no-deps`) and installed with `--no-deps` into a new
virtualenv; the dependencies (already installed in the test environment) are reached through a path
entry after the venv's own site-packages, so nothing is downloaded and `emulators` is the wheel's copy.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

SYNC_TEST = """
def test_sync_token_flow(bouwsoft_emulator):
    import emulators
    assert "site-packages" in emulators.__file__ and "{root}" not in emulators.__file__
    creds = bouwsoft_emulator.credentials
    r = bouwsoft_emulator.client.get("/api/v1/Authorize/AccessToken",
                                     headers={{"Clientnr": "115", "RefreshToken": creds["refresh_token"]}})
    assert r.status_code == 200
    bouwsoft_emulator.journal.assert_called("getAccessToken", times=1)
"""

ASYNC_TEST = """
import pytest

@pytest.mark.asyncio
async def test_async_in_process(aktion_emulator):
    creds = aktion_emulator.credentials
    r = await aktion_emulator.aclient.post("/api/login", json={"UserLogin": creds["UserLogin"],
                                                               "ApiKey": creds["ApiKey"]})
    assert r.status_code == 200
    assert r.json()["ExpireInSec"] == 20
    aktion_emulator.journal.assert_called("login", times=1)
"""

SCENARIO = """
name: health from the wheel
emulator: superoffice
steps:
  - request: {method: GET, path: /__emulator/health}
    expect: {status: 200, json: {status: ok, emulator: superoffice}}
"""


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.mark.slow
def test_outside_project_installs_wheel_and_runs_sync_and_async_tests(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EMULATORS_"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    dist = tmp_path / "dist"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
        tmp_path,
        env,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(dist.glob("vendor_emulators-*.whl"))

    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    assert made.returncode == 0, made.stderr
    py = venv / "bin" / "python"
    site = Path(
        _run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, env).stdout.strip()
    )
    installed = _run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", str(wheel)],
        tmp_path,
        env,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stderr
    (site / "zz_test_env_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    (project / "tests" / "test_sync.py").write_text(SYNC_TEST.format(root=str(ROOT)), encoding="utf-8")
    (project / "tests" / "test_async.py").write_text(ASYNC_TEST, encoding="utf-8")
    (project / "tests" / "health.scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    (project / "pyproject.toml").write_text(
        textwrap.dedent("""\
        [tool.pytest.ini_options]
        asyncio_default_fixture_loop_scope = "function"
        """),
        encoding="utf-8",
    )

    result = _run([str(py), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "tests"], project, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout

    version = _run([str(venv / "bin" / "emulators"), "--version"], project, env)
    assert version.returncode == 0 and version.stdout.startswith("emulators (vendor-emulators) ")
    schema = _run([str(venv / "bin" / "emulators"), "schema", "fixtures", "twelvebuild"], project, env)
    assert schema.returncode == 0 and '"tenants"' in schema.stdout
    typed = _run(
        [str(py), "-c", "import importlib.resources as r; print(r.files('emulators').joinpath('py.typed').is_file())"],
        project,
        env,
    )
    assert typed.stdout.strip() == "True"

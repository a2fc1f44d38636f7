"""SuperOffice's own npm client (`@superoffice/webapi`: ProjectAgent and ProjectRestApi) against a running emulator:
onsite with Basic, Online with a ticket (and SO-AppToken) and with a bearer token.

`make test-clients` installs the package into a cache folder and points EMULATORS_NPM_MODULES at its
node_modules; without node or without the package the test skips with one line."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulators import build_app
from emulators.testing.live import LiveServer

SCRIPT = Path(__file__).with_name("superoffice_npm.cjs")
TICKET = "7T:dGplMDtUamUwOzEyMzQ1Njc4OTA="
APP_TOKEN = "a7f3c2e9b1d84f6e9c0d5b2a8e4f1c3d"
BEARER = "8A:Cust12345.AXRrCITpPBvQX3UbIohb"
# every Project agent method SOURCE.md marks as emulated, and the REST client's six calls
EMULATED = 37


def _modules() -> Path:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the npm client tests need it (make test-clients)")
    folder = Path(os.environ.get("EMULATORS_NPM_MODULES", "") or Path.home() / ".cache/emulators/npm/node_modules")
    if not (folder / "@superoffice" / "webapi").is_dir():
        pytest.skip(f"@superoffice/webapi is not installed in {folder} (make test-clients installs it)")
    return folder


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(build_app("superoffice", strict=True)) as srv:
        yield srv


@pytest.mark.parametrize(
    ("prefix", "authorization", "app_token"),
    [
        ("", "Basic " + base64.b64encode(b"tje0:Tje0").decode(), None),
        ("/Cust12345", f"SOTicket {TICKET}", APP_TOKEN),
        ("/Cust12345", f"Bearer {BEARER}", None),
    ],
    ids=["onsite-basic", "online-ticket", "online-bearer"],
)
def test_npm_client_project_agent_and_rest(
    server: LiveServer, prefix: str, authorization: str, app_token: str | None
) -> None:
    modules = _modules()
    args = ["node", str(SCRIPT), str(modules), f"{server.url}{prefix}/api", authorization]
    if app_token:
        args.append(app_token)
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, "\n".join(lines[-5:]) + done.stderr[-2000:]
    agent_calls = {line[3:].split(" (")[0] for line in lines if line.startswith("ok ") and "rest." not in line}
    rest_calls = [line for line in lines if line.startswith("ok rest.")]
    assert len(agent_calls) == EMULATED, sorted(agent_calls)
    assert len(rest_calls) == 6
    assert lines[-1] == f"done {len(agent_calls) + len(rest_calls) + 1}"

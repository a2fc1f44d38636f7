from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from emulators import build_app
from emulators.core.app import EmulatorApp
from emulators.testing.transport import client_for
from tests.echo import EMULATOR


@pytest.fixture
def app() -> EmulatorApp:
    return build_app(EMULATOR, strict=True)


@pytest.fixture
def client(app: EmulatorApp) -> Iterator[httpx.Client]:
    with client_for(app) as c:
        yield c


@pytest.fixture
def auth(client: httpx.Client) -> dict[str, str]:
    token = client.post("/login", params={"user": "alice"}).json()["token"]
    return {"X-Api-Key": token}

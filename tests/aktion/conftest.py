"""Shared set-up for the Aktion.NEXT tests: an in-process app, login helpers, state edits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulators import build_app
from emulators.testing.transport import SyncASGITransport, client_for

SEED = Path(__file__).resolve().parent / "seed_002.txt"  # verbatim copy of shared/seeds/002_34cea12139607f51.txt
KEYS = {
    "John.Doo": "hDn/LFXIPESM036W+s7VKg==",
    "Jane.Doe": "oKmzJt8Xz+dxnAvmaK5Kkw==",
    "Eva.Viewer": "zs582Ct8RuQvOKSniJN/aQ==",
    "Office.Only": "2IGN03gyqbJhPz7ldQxssA==",
    "Petr.Items": "u3mC0c5bW2pTq1yqTzR7YQ==",
}
UPDATE = "/api/project/updateProject"
CREATE = "/api/project/createProject"
GET = "/api/project/getProject"
GET_TYPE = "/api/project/getType"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_json_request() -> str:
    return seed_text().split("Request Formats\napplication/json\n", 1)[1].split("\n", 1)[0]


def seed_xml_request() -> str:
    return seed_text().split("Request Formats\n", 1)[1].split("application/xml\n", 1)[1].split("\n", 1)[0]


def seed_json_response() -> str:
    return seed_text().split("Response Formats\napplication/json\n", 1)[1].split("\n", 1)[0]


def seed_xml_response() -> str:
    tail = seed_text().split("Response Formats\n", 1)[1].split("application/xml\n", 1)[1]
    return tail[: tail.index("</Response>") + len("</Response>")]


@pytest.fixture()
def app() -> Any:
    return build_app("aktion")


@pytest.fixture()
def client(app: Any) -> Iterator[httpx.Client]:
    with client_for(app) as c:
        yield c


def client_from(app: Any, ip: str) -> httpx.Client:
    """A client whose requests come from `ip`."""
    return httpx.Client(transport=SyncASGITransport(app, client=(ip, 50000)), base_url="http://testserver")


def login(client: httpx.Client, user: str = "John.Doo") -> str:
    r = client.post("/api/login", json={"Result": None, "UserLogin": user, "ApiKey": KEYS[user]})
    assert r.status_code == 200, r.text
    token: str = r.json()["Token"]
    return token


@pytest.fixture()
def token(client: httpx.Client) -> str:
    return login(client)


@pytest.fixture()
def edit_state(client: httpx.Client) -> Callable[[Callable[[dict[str, Any]], None]], None]:
    """edit_state(fn): dump the state, let fn change it, load it back (PUT /__emulator/state)."""

    def edit(fn: Callable[[dict[str, Any]], None]) -> None:
        state = client.get("/__emulator/state").json()
        fn(state)
        r = client.put("/__emulator/state", json=state)
        assert r.status_code == 200, r.text

    return edit


def result(r: httpx.Response) -> dict[str, Any]:
    out: dict[str, Any] = r.json()["Result"]
    return out


def assert_result(r: httpx.Response, status: int, code: int, message: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    res = result(r)
    assert res["Code"] == code, r.text
    assert res["Message"] == message, r.text
    return res


def update(client: httpx.Client, token: str, body: dict[str, Any], **kw: Any) -> httpx.Response:
    return client.post(UPDATE, params={"Token": token}, json=body, **kw)

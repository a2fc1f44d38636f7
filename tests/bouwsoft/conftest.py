"""Bouwsoft test set-up: a fresh in-process emulator per test (strict mode, see tests/conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from emulators import build_app
from emulators.testing.transport import client_for

CLIENT = "115"
TOKEN = "rOmfWxfAfGzSfOOlOfzRqmIjflVUGflAfDUbzmlfDVUfrGUIrO"  # printed in seed example 1
REFRESH = "RT115vWxfAfGzSfOOlOfzRqmIjflVUGflAfDUbzmlfDVUfrGUI"
TOKEN_116 = "T116fWxfAfGzSfOOlOfzRqmIjflVUGflAfDUbzmlfDVUfrGUIr"
AUTH = {"Clientnr": CLIENT, "AccessToken": TOKEN}


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with client_for(build_app("bouwsoft", strict=True)) as c:
        yield c


def put(client: httpx.Client, path: str, headers: dict[str, str] | None = None, **params: Any) -> httpx.Response:
    return client.put(f"/api/v1/Projects{path}", params=params or None, headers=headers or AUTH)


def project(client: httpx.Client, pid: int | str) -> dict[str, Any]:
    r = client.get(f"/api/v1/Projects/{pid}", headers=AUTH)
    assert r.status_code == 200, r.text
    rec: dict[str, Any] = r.json()["Records"][0]
    return rec


def all_projects(client: httpx.Client) -> list[dict[str, Any]]:
    r = client.get("/api/v1/Projects", headers=AUTH, params={"limit": 1000})
    assert r.status_code == 200, r.text
    recs: list[dict[str, Any]] = r.json()["Records"]
    return recs


def set_clock(client: httpx.Client, iso: str) -> None:
    assert client.post("/__emulator/clock", json={"set": iso, "freeze": True}).status_code == 200


REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}
REQUEST_ID = re.compile(r"^(\d+)-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-\d{6}-\d{6}$")


def error_of(r: httpx.Response, clientnr: str | None = None) -> str:
    """The Description of a vendor error envelope (vendor-facts E1), after checking the envelope itself:
    {"RecordChanges":[{"Code": <status>, "Description", "Message": <reason phrase>, "RequestId"}]}."""
    body = r.json()
    assert set(body) == {"RecordChanges"} and len(body["RecordChanges"]) == 1, body
    rec = body["RecordChanges"][0]
    assert list(rec) == ["Code", "Description", "Message", "RequestId"], rec
    assert rec["Code"] == r.status_code and rec["Message"] == REASONS.get(r.status_code, rec["Message"]), rec
    m = REQUEST_ID.match(rec["RequestId"])
    assert m is not None, rec
    if clientnr is not None:
        assert m.group(1) == clientnr, rec
    msg: str = rec["Description"]
    return msg

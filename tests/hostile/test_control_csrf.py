"""Issue 24 item 2: a page of another site cannot change the control plane. Every state-changing call
(POST/PUT/PATCH/DELETE under /__emulator/ and /__ns/<name>/__emulator/) needs Content-Type:
application/json, even when empty, and is refused with `Sec-Fetch-Site: cross-site` or a foreign Origin."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from emulators import build_app
from emulators.testing.transport import client_for

from .server import raw_exchange, serve, status_and_body

JSON = {"Content-Type": "application/json"}

# the eight ways a cross-site page (form, fetch no-cors, sendBeacon) can post an empty body
CROSS_SITE = [
    ({"Content-Type": "application/x-www-form-urlencoded"}, 415, "Content-Type: application/json"),
    ({"Content-Type": "text/plain"}, 415, "Content-Type: application/json"),
    ({"Content-Type": "multipart/form-data; boundary=x"}, 415, "Content-Type: application/json"),
    ({}, 415, "Content-Type: application/json"),
    ({**JSON, "Origin": "http://evil.example"}, 403, "Origin 'http://evil.example'"),
    ({**JSON, "Origin": "null"}, 403, "Origin 'null'"),
    ({**JSON, "Origin": "http://[::1].evil.example"}, 403, "Origin"),
    ({**JSON, "Sec-Fetch-Site": "cross-site"}, 403, "Sec-Fetch-Site: cross-site"),
]


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with client_for(build_app("bouwsoft"), base_url="http://127.0.0.1:8701") as c:
        yield c


def _frozen(c: httpx.Client, prefix: str = "") -> None:
    assert c.post(f"{prefix}/__emulator/clock", json={"freeze": True}).json()["frozen"] is True
    assert c.post(f"{prefix}/__emulator/faults", json={"status": 503}).status_code == 201


@pytest.mark.parametrize(("headers", "status", "rule"), CROSS_SITE)
@pytest.mark.parametrize("prefix", ["", "/__ns/team1"])
def test_reset_cross_site_refused_state_kept(
    client: httpx.Client, prefix: str, headers: dict[str, str], status: int, rule: str
) -> None:
    _frozen(client, prefix)
    r = client.post(f"{prefix}/__emulator/reset", headers=headers)
    assert r.status_code == status
    body = r.json()
    assert body["status"] == status and rule in body["error"] and "\n" not in body["error"]
    assert client.get(f"{prefix}/__emulator/clock").json()["frozen"] is True
    assert len(client.get(f"{prefix}/__emulator/faults").json()["faults"]) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [("DELETE", "/__emulator/faults"), ("DELETE", "/__emulator/requests"), ("PUT", "/__emulator/state")],
)
def test_state_change_without_json_415(client: httpx.Client, method: str, path: str) -> None:
    _frozen(client)
    r = client.request(method, path)
    assert r.status_code == 415
    assert r.json()["error"] == (
        "Control-plane calls that change state need Content-Type: application/json, even with an empty body"
    )
    assert len(client.get("/__emulator/faults").json()["faults"]) == 1


@pytest.mark.parametrize(
    "headers",
    [
        JSON,
        {**JSON, "Origin": "http://127.0.0.1:8701"},
        {**JSON, "Origin": "http://localhost:3000"},
        {**JSON, "Sec-Fetch-Site": "same-origin"},
        {**JSON, "Origin": "http://127.0.0.1:8701", "Sec-Fetch-Site": "same-origin"},
    ],
)
def test_reset_own_site_json_200(client: httpx.Client, headers: dict[str, str]) -> None:
    _frozen(client)
    assert client.post("/__emulator/reset", headers=headers).json()["status"] == "ok"
    assert client.get("/__emulator/clock").json()["frozen"] is False


def test_control_host_origin_accepted() -> None:
    from emulators.core.sockets import Limits

    app = build_app("aktion", limits=Limits(control_hosts="aktion"))
    with client_for(app, base_url="http://aktion:8702") as c:
        assert c.post("/__emulator/reset", headers={**JSON, "Origin": "http://aktion:8702"}).status_code == 200
        r = c.post("/__emulator/reset", headers={**JSON, "Origin": "http://aktion.evil.example"})
        assert r.status_code == 403


def test_get_cross_site_still_readable(client: httpx.Client) -> None:
    r = client.get("/__emulator/health", headers={"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"})
    assert r.status_code == 200  # no CORS header: the page cannot read it; a read changes nothing


def test_harness_control_calls_send_json() -> None:
    from emulators.testing.harness import in_process

    emu = in_process("twelvebuild")
    emu.faults.add(status=500)
    emu.faults.clear()
    emu.journal.clear()
    assert emu.faults.list() == []


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, int]]:
    with serve("superoffice") as (host, port, _):
        yield host, port


def test_reset_text_plain_beacon_refused_over_socket(served: tuple[str, int]) -> None:
    host, port = served
    beacon = (
        f"POST /__emulator/reset HTTP/1.1\r\nHost: {host}:{port}\r\nOrigin: http://evil.example\r\n"
        "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode()
    status, _, body = status_and_body(raw_exchange(host, port, beacon))
    assert status == 403 and b"may not change the control plane" in body
    ok = (
        f"POST /__emulator/reset HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode()
    status, _, body = status_and_body(raw_exchange(host, port, ok))
    assert status == 200 and b'"ok"' in body

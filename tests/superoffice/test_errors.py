"""Errors outside the handlers: unknown routes, wrong methods, injected faults -- all in the envelope."""

from __future__ import annotations

import httpx

from .conftest import BASIC, ONSITE, assert_error


def test_unknown_route_404_envelope(client: httpx.Client) -> None:
    r = client.get("/api/v1/Nothing/1", headers=BASIC)
    assert_error(r, 404, "HttpResponseException", "No HTTP resource was found that matches the request URI")


def test_method_not_allowed_405_envelope(client: httpx.Client) -> None:
    r = client.patch(ONSITE, headers=BASIC, json={})
    assert_error(r, 405, "HttpResponseException", "The requested resource does not support http method 'PATCH'.")


def test_injected_fault_500_envelope(client: httpx.Client) -> None:
    rule = client.post("/__emulator/faults", json={"operation": "getProjectEntity", "status": 500, "times": 1})
    assert rule.status_code == 201
    body = assert_error(client.get(f"{ONSITE}/414", headers=BASIC), 500, "SoException")
    assert body["ErrorSource"] == "SuperOffice.Services.Implementation"
    assert client.get(f"{ONSITE}/414", headers=BASIC).status_code == 200


def test_injected_fault_after_write_keeps_the_write(client: httpx.Client) -> None:
    client.post(
        "/__emulator/faults", json={"operation": "putProjectEntity", "status": 503, "when": "after", "times": 1}
    )
    assert_error(client.put(f"{ONSITE}/414", headers=BASIC, json={"Name": "w"}), 503, "HttpResponseException")
    assert client.get(f"{ONSITE}/414", headers=BASIC).json()["Name"] == "w"


def test_reset_restores_fixtures(client: httpx.Client) -> None:
    client.delete(f"{ONSITE}/414", headers=BASIC)
    assert client.post("/__emulator/reset", headers={"Content-Type": "application/json"}).status_code == 200
    assert client.get(f"{ONSITE}/414", headers=BASIC).status_code == 200


def test_journal_records_operation(client: httpx.Client) -> None:
    client.get(f"{ONSITE}/414", headers=BASIC)
    entries = client.get("/__emulator/requests?operation=getProjectEntity").json()["requests"]
    assert entries[-1]["status"] == 200
    assert entries[-1]["request"]["headers"].get("authorization", "") != BASIC["Authorization"]

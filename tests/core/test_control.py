"""Every control route, fault rules, clock, state, journal and namespaces."""

from __future__ import annotations

import httpx
import pytest

from emulators.core.app import EmulatorApp


def test_health_names_the_emulator(client: httpx.Client) -> None:
    assert client.get("/__emulator/health").json() == {"status": "ok", "emulator": "echo"}


def test_reset_restores_fixtures_and_clears_journal_faults_clock(client: httpx.Client, auth: dict[str, str]) -> None:
    client.delete("/items/apple", headers=auth)
    client.post("/__emulator/faults", json={"status": 503})
    client.post("/__emulator/clock", json={"advance_seconds": 3600, "freeze": True})
    assert client.post("/__emulator/reset", headers={"Content-Type": "application/json"}).json() == {
        "status": "ok",
        "emulator": "echo",
    }
    client.post("/login", params={"user": "alice"})
    assert [e["seq"] for e in client.get("/__emulator/requests").json()["requests"]] == [1]
    assert client.post("/__emulator/faults", json={"status": 500, "operation": "deleteItem"}).json() == {"id": "f1"}
    client.delete("/__emulator/faults", headers={"Content-Type": "application/json"})
    client.delete("/__emulator/requests", headers={"Content-Type": "application/json"})
    assert client.get("/__emulator/requests").json() == {"requests": []}
    assert client.get("/__emulator/faults").json() == {"faults": []}
    assert client.get("/__emulator/clock").json()["frozen"] is False
    token = client.post("/login", params={"user": "alice"}).json()["token"]
    assert client.get("/items/apple", headers={"X-Api-Key": token}).status_code == 200


def test_state_dump_and_load_roundtrip(client: httpx.Client, auth: dict[str, str]) -> None:
    client.put("/items/kiwi", headers=auth, json={"name": "kiwi"})
    state = client.get("/__emulator/state").json()
    assert state["tenants"]["t1"]["items"]["kiwi"] == {"name": "kiwi"}
    assert set(state["tenants"]) == {"t1", "t2"}
    client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
    assert client.put("/__emulator/state", json=state).status_code == 200
    token = client.post("/login", params={"user": "alice"}).json()["token"]
    assert client.get("/items/kiwi", headers={"X-Api-Key": token}).json() == {"name": "kiwi"}


def test_state_load_rejects_invalid(client: httpx.Client) -> None:
    r = client.put("/__emulator/state", json={"nope": 1})
    assert r.status_code == 400
    assert r.json()["issues"][0]["name"] == "tenants"
    r = client.put("/__emulator/state", content=b"{bad", headers={"content-type": "application/json"})
    assert r.status_code == 400


def test_requests_journal_filters_and_redacts(client: httpx.Client, auth: dict[str, str]) -> None:
    client.get("/items", headers=auth)
    client.get("/items/nope", headers=auth)
    client.get("/__emulator/health")  # control calls are not journaled
    entries = client.get("/__emulator/requests").json()["requests"]
    assert [e["operation"] for e in entries] == ["login", "listItems", "getItem"]
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    assert entries[0]["query"] == {"user": "***"}
    assert entries[1]["request"]["headers"]["x-api-key"] == "***"
    assert auth["X-Api-Key"] not in str(entries)
    assert entries[2]["status"] == 404
    assert entries[2]["response"]["body"] == {"error": "no item nope", "code": "NotFound"}
    only = client.get("/__emulator/requests", params={"status": 404}).json()["requests"]
    assert [e["operation"] for e in only] == ["getItem"]
    assert len(client.get("/__emulator/requests", params={"limit": 1}).json()["requests"]) == 1
    assert [e["method"] for e in client.get("/__emulator/requests", params={"method": "post"}).json()["requests"]] == [
        "POST"
    ]
    assert client.delete("/__emulator/requests", headers={"Content-Type": "application/json"}).json() == {"cleared": 3}
    assert client.get("/__emulator/requests").json() == {"requests": []}


def test_requests_unknown_route_journaled_with_null_operation(client: httpx.Client) -> None:
    client.get("/nowhere")
    entry = client.get("/__emulator/requests").json()["requests"][-1]
    assert entry["operation"] is None
    assert entry["status"] == 404


def test_requests_har_export(client: httpx.Client, auth: dict[str, str]) -> None:
    client.put("/items/kiwi", headers=auth, json={"name": "kiwi"})
    har = client.get("/__emulator/requests", params={"format": "har"}).json()
    assert har["log"]["version"] == "1.2"
    last = har["log"]["entries"][-1]
    assert last["request"]["method"] == "PUT"
    assert last["request"]["postData"]["mimeType"] == "application/json"
    assert last["response"]["status"] == 200


def test_journal_is_a_ring_buffer() -> None:
    from emulators.core.journal import Journal

    j = Journal(3)
    for i in range(10):
        j.open("GET", f"/{i}", "", 0.0)
    assert [e.path for e in j.entries()] == ["/7", "/8", "/9"]


def test_faults_status_times_then_stops(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.post("/__emulator/faults", json={"operation": "listItems", "status": 503, "times": 2, "message": "down"})
    assert r.status_code == 201
    fid = r.json()["id"]
    got = [client.get("/items", headers=auth).status_code for _ in range(3)]
    assert got == [503, 503, 200]
    entry = client.get("/__emulator/requests", params={"status": 503}).json()["requests"][0]
    assert entry["fault"] == fid
    assert entry["response"]["body"] == {"error": "down", "code": "InjectedFault"}
    listed = client.get("/__emulator/faults").json()["faults"]
    assert listed[0]["fired"] == 2


def test_faults_match_method_and_path_glob(client: httpx.Client, auth: dict[str, str]) -> None:
    client.post("/__emulator/faults", json={"method": "DELETE", "path": "/items/p*", "status": 500})
    assert client.delete("/items/apple", headers=auth).status_code == 204
    assert client.delete("/items/pear", headers=auth).status_code == 500


def test_faults_after_handler_write_happens(client: httpx.Client, auth: dict[str, str]) -> None:
    client.post("/__emulator/faults", json={"operation": "putItem", "status": 502, "when": "after", "times": 1})
    r = client.put("/items/kiwi", headers=auth, json={"name": "kiwi"})
    assert r.status_code == 502
    assert client.get("/items/kiwi", headers=auth).status_code == 200


def test_faults_probability_is_seeded(app: EmulatorApp, client: httpx.Client, auth: dict[str, str]) -> None:
    client.post("/__emulator/faults", json={"operation": "listItems", "status": 500, "probability": 0.5})
    first = [client.get("/items", headers=auth).status_code for _ in range(20)]
    assert 0 < first.count(500) < 20
    client.delete("/__emulator/faults", headers={"Content-Type": "application/json"})
    client.post("/__emulator/faults", json={"operation": "listItems", "status": 500, "probability": 0.5})
    assert [client.get("/items", headers=auth).status_code for _ in range(20)] == first


def test_faults_delay(client: httpx.Client, auth: dict[str, str]) -> None:
    import time

    client.post("/__emulator/faults", json={"operation": "listItems", "delay_ms": 120, "times": 1})
    t0 = time.perf_counter()
    assert client.get("/items", headers=auth).status_code == 200
    assert time.perf_counter() - t0 >= 0.12


def test_faults_disconnect_in_process_raises(client: httpx.Client, auth: dict[str, str]) -> None:
    client.post("/__emulator/faults", json={"operation": "listItems", "disconnect": True, "times": 1})
    with pytest.raises(httpx.RemoteProtocolError):  # what a socket client sees when the server hangs up
        client.get("/items", headers=auth)
    assert client.get("/items", headers=auth).status_code == 200


def test_faults_delete_one_and_invalid_rule(client: httpx.Client) -> None:
    fid = client.post("/__emulator/faults", json={"status": 500}).json()["id"]
    assert client.delete(f"/__emulator/faults/{fid}", headers={"Content-Type": "application/json"}).json() == {
        "cleared": 1
    }
    assert client.delete(f"/__emulator/faults/{fid}", headers={"Content-Type": "application/json"}).status_code == 404
    r = client.post("/__emulator/faults", json={"status": 99, "when": "sometimes"})
    assert r.status_code == 400
    assert {i["name"] for i in r.json()["issues"]} >= {"status", "when"}
    assert client.post("/__emulator/faults", json={}).status_code == 400


def test_clock_advance_set_freeze_reset(client: httpx.Client) -> None:
    c = client.post("/__emulator/clock", json={"set": "2030-01-02T03:04:05Z", "freeze": True}).json()
    assert c == {"now": "2030-01-02T03:04:05Z", "frozen": True}
    c = client.post("/__emulator/clock", json={"advance_seconds": 60}).json()
    assert c["now"] == "2030-01-02T03:05:05Z"
    c = client.post("/__emulator/clock", json={"set": "2030-01-02T05:00:00+02:00"}).json()
    assert c["now"] == "2030-01-02T03:00:00Z"
    assert client.post("/__emulator/clock", json={"reset": True}).json()["frozen"] is False
    assert client.post("/__emulator/clock", json={"set": "yesterday"}).status_code == 400
    assert client.post("/__emulator/clock", json={"warp": 1}).status_code == 400


def test_contract_and_credentials(client: httpx.Client) -> None:
    doc = client.get("/__emulator/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert "/items/{name}" in doc["paths"]
    assert client.get("/__emulator/credentials").json() == {"user": "alice", "token": "fixed-token"}


def test_actions_unknown_404(client: httpx.Client) -> None:
    r = client.post("/__emulator/actions/nothing", json={})
    assert r.status_code == 404


def test_control_unknown_route_404(client: httpx.Client) -> None:
    assert client.get("/__emulator/nothing").status_code == 404


def test_namespaces_isolated_state_journal_clock(client: httpx.Client, auth: dict[str, str]) -> None:
    client.delete("/items/apple", headers=auth)
    ns_token = client.post("/__ns/run1/login", params={"user": "alice"}).json()["token"]
    h = {"X-Api-Key": ns_token}
    assert client.get("/__ns/run1/items/apple", headers=h).status_code == 200
    assert client.get("/__ns/run1/items/apple", headers=auth).status_code == 401
    client.post("/__ns/run1/__emulator/clock", json={"advance_seconds": 3600})
    assert client.get("/__ns/run1/items", headers=h).status_code == 401
    assert client.get("/items", headers=auth).status_code == 200
    ns_ops = [e["operation"] for e in client.get("/__ns/run1/__emulator/requests").json()["requests"]]
    assert ns_ops == ["login", "getItem", "getItem", "listItems"]
    assert "listItems" in [e["operation"] for e in client.get("/__emulator/requests").json()["requests"]]
    client.post("/__ns/run1/__emulator/reset", headers={"Content-Type": "application/json"})
    assert client.get("/__emulator/requests").json()["requests"] != []


def test_namespace_name_missing_404(client: httpx.Client) -> None:
    assert client.get("/__ns/").status_code == 404

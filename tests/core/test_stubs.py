"""Stubs over state: a stub answers in place of the emulator (before) or replaces its answer (after)."""

from __future__ import annotations

import httpx

from emulators.core.app import EmulatorApp

JSON = {"Content-Type": "application/json"}  # the control plane's CSRF rule: state changes only as JSON


def test_addStub_before_answers_and_state_is_untouched(client: httpx.Client, auth: dict[str, str]) -> None:
    rule = {"operation": "putItem", "respond": {"status": 409, "json": {"error": "Conflict", "code": 7}}}
    assert client.post("/__emulator/stubs", json=rule).json() == {"id": "s1"}
    r = client.put("/items/kiwi", headers=auth, json={"name": "kiwi"})
    assert (r.status_code, r.json()) == (409, {"error": "Conflict", "code": 7})
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert client.get("/items/kiwi", headers=auth).status_code == 404  # the stub answered: nothing written
    entry = client.get("/__emulator/requests").json()["requests"][-2]
    assert (entry["operation"], entry["status"], entry["stub"], entry["fault"]) == ("putItem", 409, "s1", None)


def test_addStub_after_keeps_the_state_change(client: httpx.Client, auth: dict[str, str]) -> None:
    client.post(
        "/__emulator/stubs",
        json={"operation": "putItem", "when": "after", "times": 1, "respond": {"status": 500, "body": "boom"}},
    )
    r = client.put("/items/kiwi", headers=auth, json={"name": "kiwi"})
    assert (r.status_code, r.text, r.headers["content-type"]) == (500, "boom", "text/plain; charset=utf-8")
    assert client.get("/items/kiwi", headers=auth).json() == {"name": "kiwi"}  # the write happened
    assert client.put("/items/kiwi", headers=auth, json={"name": "kiwi2"}).status_code == 200  # times: 1 spent
    stubs = client.get("/__emulator/stubs").json()["stubs"]
    assert [(s["id"], s["fired"], s["when"]) for s in stubs] == [("s1", 1, "after")]


def test_addStub_matches_query_and_body_jsonpath(client: httpx.Client, auth: dict[str, str]) -> None:
    client.post(
        "/__emulator/stubs",
        json={"body_jsonpath": '$.name == "odd"', "respond": {"status": 418, "headers": {"X-Stub": "yes"}}},
    )
    client.post("/__emulator/stubs", json={"operation": "listItems", "query": {"q": "a*"}, "respond": {"json": []}})
    odd = client.put("/items/x", headers=auth, json={"name": "odd"})
    assert (odd.status_code, odd.headers["x-stub"], odd.content) == (418, "yes", b"")
    assert client.put("/items/y", headers=auth, json={"name": "even"}).status_code == 200
    assert client.get("/items", headers=auth, params={"q": "apple"}).json() == []
    assert client.get("/items", headers=auth).json() != []  # no q: the emulator answers


def test_addStub_invalid_rule_is_one_line_400(client: httpx.Client) -> None:
    r = client.post("/__emulator/stubs", json={"operation": "putIten", "respond": {"status": 200}})
    assert r.status_code == 400
    assert r.json()["error"] == "stub rule: operation: echo has no operation 'putIten'; did you mean `putItem`?"
    r = client.post("/__emulator/stubs", json={"respond": {"body": "x", "json": {}}})
    assert r.status_code == 400 and "give body or json, not both" in r.json()["error"]
    assert "\n" not in r.json()["error"]
    r = client.post("/__emulator/stubs", json={"body_jsonpath": "name", "respond": {}})
    assert (r.status_code, r.json()["error"]) == (400, "stub rule: body_jsonpath: a JSONPath starts with $: name")
    r = client.post("/__emulator/stubs", json={"operation": "putItem"})
    assert r.status_code == 400 and r.json()["issues"][0]["name"] == "respond"


def test_deleteStub_and_clearStubs(client: httpx.Client, auth: dict[str, str]) -> None:
    client.post("/__emulator/stubs", json={"respond": {"status": 204}})
    client.post("/__emulator/stubs", json={"respond": {"status": 202}})
    assert client.delete("/__emulator/stubs/s1", headers=JSON).json() == {"cleared": 1}
    assert client.delete("/__emulator/stubs/s1", headers=JSON).status_code == 404
    assert client.get("/items", headers=auth).status_code == 202
    assert client.delete("/__emulator/stubs", headers=JSON).json() == {"cleared": 1}
    assert client.get("/items", headers=auth).status_code == 200


def test_reset_clears_stubs(client: httpx.Client, auth: dict[str, str]) -> None:
    client.post("/__emulator/stubs", json={"respond": {"status": 204}})
    client.post("/__emulator/reset", headers=JSON)
    assert client.get("/__emulator/stubs").json() == {"stubs": []}


def test_stub_counted_and_on_the_dashboard(app: EmulatorApp, client: httpx.Client, auth: dict[str, str]) -> None:
    client.post("/__emulator/stubs", json={"operation": "getItem", "respond": {"json": {"name": "stubbed"}}})
    assert client.get("/items/apple", headers=auth).json() == {"name": "stubbed"}
    assert client.get("/__emulator/requests/count", params={"operation": "getItem"}).json() == {"count": 1}
    seq = client.get("/__emulator/requests").json()["requests"][-1]["seq"]
    detail = client.get(f"/__emulator/ui/data/requests/{seq}").json()
    assert detail["stub"] == "s1" and detail["stub_rule"]["respond"] == {
        "status": 200,
        "headers": {},
        "json": {"name": "stubbed"},
    }
    page = client.get("/__emulator/ui/faults").text
    assert '<tr data-id="s1">' in page


def test_stub_harness_handle(make_emulator: object) -> None:
    from tests.echo import EMULATOR

    emu = make_emulator(EMULATOR)  # type: ignore[operator]
    sid = emu.stubs.add(operation="listItems", respond={"status": 503, "json": {"down": True}})
    token = emu.client.post("/login", params={"user": "alice"}).json()["token"]
    r = emu.client.get("/items", headers={"X-Api-Key": token})
    assert (sid, r.status_code, r.json()) == ("s1", 503, {"down": True})
    emu.stubs.clear()
    assert emu.stubs.list() == []


def test_addStub_answers_a_route_the_contract_lacks(client: httpx.Client) -> None:
    client.post("/__emulator/stubs", json={"method": "POST", "path": "/v2/*", "respond": {"status": 202, "json": {}}})
    assert client.post("/v2/new", json={}).status_code == 202
    r = client.post("/v3/new", json={})
    assert r.status_code == 404  # no stub: the emulator's own refusal
    assert client.post("/__emulator/stubs", json={"operation": "getItem", "respond": {}}).status_code == 201
    assert client.get("/v9").status_code == 404  # a stub naming an operation never answers an unrouted request

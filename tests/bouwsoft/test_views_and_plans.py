"""What the hot-path memos (views.py: kept full views; columns.plan: the columns text planned once) must
never change: a replaced, loaded or reset record is shown as stored now, and a memoised `columns` value is
still checked against the store as it is now (Link), and for a field given twice after a refused first value."""

from __future__ import annotations

from typing import Any

import httpx

from emulators.bouwsoft.fields import PROJECT_FIELDS

from .conftest import AUTH, error_of, project, put

NAMES = [f.name for f in PROJECT_FIELDS]


def _load(client: httpx.Client, change: Any) -> None:
    state = client.get("/__emulator/state").json()
    change(state["tenants"]["115"])
    assert client.put("/__emulator/state", json=state).status_code == 200


def test_listProjects_after_update_shows_the_new_value(client: httpx.Client) -> None:
    first = client.get("/api/v1/Projects", headers=AUTH).json()["Records"]  # full views now kept
    pid = first[0]["id"]
    assert put(client, f"/{pid}", columns="city='Brugge'").status_code == 200
    again = client.get("/api/v1/Projects", headers=AUTH).json()["Records"]
    assert again[0]["city"] == "Brugge"
    assert project(client, pid)["city"] == "Brugge"
    assert [r["id"] for r in again] == [r["id"] for r in first]


def test_listProjects_after_state_load_renders_loaded_records(client: httpx.Client) -> None:
    pid = client.get("/api/v1/Projects", headers=AUTH).json()["Records"][0]["id"]
    project(client, pid)  # its full view is kept

    def partial(tenant: dict[str, Any]) -> None:  # a loaded record may omit fields and hold them in any order
        tenant["projects"][str(pid)] = {"name": "Loaded", "distance": 1.5, "pnr": 7}

    _load(client, partial)
    rec = project(client, pid)
    assert list(rec) == ["id", *NAMES]  # table order, whatever the stored order
    blanks = {f.name: 0 if f.type_name in ("tpLong", "tpDouble", "tpCurrency") else "" for f in PROJECT_FIELDS}
    blanks.update({f.name: False for f in PROJECT_FIELDS if f.type_name == "tpBool"})
    assert rec == {"id": pid, **blanks, "name": "Loaded", "distance": 1.5, "pnr": 7}
    listed = client.get("/api/v1/Projects", headers=AUTH).json()["Records"]
    assert next(r for r in listed if r["id"] == pid) == rec


def test_listProjects_after_reset_shows_the_fixtures_again(client: httpx.Client) -> None:
    pid = client.get("/api/v1/Projects", headers=AUTH).json()["Records"][0]["id"]
    before = project(client, pid)
    assert put(client, f"/{pid}", columns="name='Changed'").status_code == 200
    assert project(client, pid)["name"] == "Changed"
    assert client.post("/__emulator/reset", headers={"Content-Type": "application/json"}).status_code == 200
    assert project(client, pid) == before


def test_getProject_columns_order_is_the_tables_whatever_the_request(client: httpx.Client) -> None:
    pid = client.get("/api/v1/Projects", headers=AUTH).json()["Records"][0]["id"]
    for columns in ("city,name", "name,city", "CITY, name,name"):
        r = client.get(f"/api/v1/Projects/{pid}", headers=AUTH, params={"columns": columns})
        assert list(r.json()["Records"][0]) == ["id", "name", "city"], columns


def test_updateProject_same_columns_link_checked_against_the_store_now(client: httpx.Client) -> None:
    pid = client.get("/api/v1/Projects", headers=AUTH).json()["Records"][0]["id"]
    r = put(client, f"/{pid}", columns="client_addressid=424242")
    assert r.status_code == 400
    assert error_of(r, "115") == "Field client_addressid: no record 424242 in Addresses"

    def add_address(tenant: dict[str, Any]) -> None:
        tenant["addresses"]["424242"] = {"id": 424242, "name": "Nieuw Adres"}

    _load(client, add_address)
    r = put(client, f"/{pid}", columns="client_addressid=424242")  # the same text: planned once, linked now
    assert r.status_code == 200, r.text
    assert r.json()["RecordChanges"][0]["client_name"] == "Nieuw Adres"


def test_updateProject_field_twice_after_refused_link_is_no_duplicate(client: httpx.Client) -> None:
    pid = client.get("/api/v1/Projects", headers=AUTH).json()["Records"][0]["id"]
    for _ in range(2):  # the second time from the memoised plan
        r = put(client, f"/{pid}", columns="client_addressid=1,client_addressid=3760")
        assert r.status_code == 400
        assert error_of(r, "115") == "Field client_addressid: no record 1 in Addresses"
        r = put(client, f"/{pid}", columns="client_addressid=3760,client_addressid=1")
        assert r.status_code == 400
        assert error_of(r, "115") == "Field client_addressid is given more than once"


def test_listProjects_first_page_follows_creates_and_limits(client: httpx.Client) -> None:
    first = client.get("/api/v1/Projects", headers=AUTH).json()  # the plain first page is kept
    total = len(first["Records"])
    assert first["Content-Range"] == f"0-{total - 1}/{total}"
    r = client.post(
        "/api/v1/Projects", headers=AUTH, params={"columns": "name='Nieuw',client_addressid=3760,company_id=1"}
    )
    assert r.status_code == 201, r.text
    new_id = r.json()["RecordChanges"][0]["id"]
    after = client.get("/api/v1/Projects", headers=AUTH).json()
    assert after["Content-Range"] == f"0-{total}/{total + 1}"
    assert after["Records"][:total] == first["Records"] and after["Records"][-1]["id"] == new_id
    two = client.get("/api/v1/Projects", headers=AUTH, params={"limit": 2}).json()
    assert two["Content-Range"] == f"0-1/{total + 1}" and two["Records"] == after["Records"][:2]
    assert client.get("/api/v1/Projects", headers=AUTH).json() == after

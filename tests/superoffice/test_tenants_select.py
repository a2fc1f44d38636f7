"""Tenants (one per customer id, plus onsite) and `$select` (B4.1)."""

from __future__ import annotations

import httpx

from .conftest import BASIC, BEARER, ONLINE, ONSITE, assert_error


def test_postProjectEntity_tenant_isolation(client: httpx.Client) -> None:
    online = client.post(ONLINE, headers=BEARER, json={"Name": "online only"}).json()
    onsite = client.post(ONSITE, headers=BASIC, json={"Name": "onsite only"}).json()
    assert online["ProjectId"] == onsite["ProjectId"] == 1000  # separate id sequences
    assert client.get(f"{ONSITE}/1000", headers=BASIC).json()["Name"] == "onsite only"
    assert client.get(f"{ONLINE}/1000", headers=BEARER).json()["Name"] == "online only"
    assert_error(client.get(f"{ONSITE}/1", headers=BASIC), 404, "SoNotFoundException")
    assert_error(client.get(f"{ONLINE}/414", headers=BEARER), 404, "SoNotFoundException")
    assert online["_Links"]["Self"] == "https://www.example.com/Cust12345/api/v1/Project/1000/"


def test_deleteProjectEntity_other_tenant_untouched(client: httpx.Client) -> None:
    assert client.delete(f"{ONLINE}/1", headers=BEARER).status_code == 204
    assert_error(client.delete(f"{ONSITE}/1", headers=BASIC), 404, "SoNotFoundException")


def test_getProjectEntity_customer_id_case_insensitive(client: httpx.Client) -> None:
    r = client.get("/cust12345/API/v1/project/1", headers=BEARER)
    assert r.status_code == 200 and r.json()["_Links"]["Self"].endswith("/cust12345/api/v1/Project/1/")


def test_getProjectEntity_namespace_is_isolated(client: httpx.Client) -> None:
    assert client.delete(f"{ONSITE}/414", headers=BASIC).status_code == 204
    r = client.get(f"/__ns/other{ONSITE}/414", headers=BASIC)
    assert (
        r.status_code == 200 and r.json()["_Links"]["Self"] == "https://www.example.com/__ns/other/api/v1/Project/414/"
    )


def test_getProjectEntity_select_seed_example(client: httpx.Client) -> None:
    body = client.get(f"{ONSITE}/421?$select=name,department,category/id", headers=BASIC).json()
    assert body["Name"] == "Botsford-Crona"
    assert body["TableRight"] is not None and body["FieldProperties"] and body["_Links"]
    nulled = [k for k, v in body.items() if v is None]
    assert len(nulled) == len(body) - 4  # everything but Name, TableRight, FieldProperties, _Links


def test_getProjectEntity_select_case_insensitive_and_nested(client: httpx.Client) -> None:
    body = client.get(f"{ONSITE}/421?$SELECT=PROJECTID,projectStatus/Id,ProjectMembers/personid", headers=BASIC).json()
    assert body["ProjectId"] == 421 and body["Name"] is None
    assert body["ProjectStatus"]["Id"] == 898 and body["ProjectStatus"]["Value"] is None
    assert body["ProjectMembers"][0]["PersonId"] == 764 and body["ProjectMembers"][0]["FullName"] is None


def test_putProjectEntity_select_result_only(client: httpx.Client) -> None:
    body = client.put(f"{ONSITE}/414?$select=Name", headers=BASIC, json={"Name": "n", "Postit": "kept"}).json()
    assert body["Name"] == "n" and body["Postit"] is None
    assert client.get(f"{ONSITE}/414", headers=BASIC).json()["Postit"] == "kept"


def test_postProjectEntity_select(client: httpx.Client) -> None:
    body = client.post(f"{ONSITE}?$select=projectnumber", headers=BASIC, json={"Name": "s"}).json()
    assert body["ProjectNumber"] == "10016" and body["Name"] is None and body["ProjectId"] is None


def test_putProjectEntity_select_seed_example(client: httpx.Client) -> None:
    r = client.put(f"{ONSITE}/414?$select=name,department,category/id", headers=BASIC, json={"Name": "Selected"})
    body = r.json()
    assert r.status_code == 200 and body["Name"] == "Selected" and body["ProjectNumber"] is None
    assert body["_Links"]["Self"].endswith("/api/v1/Project/414/")

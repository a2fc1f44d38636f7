"""The ProjectMember resource and archive (SuperOfficeDocs restful/rest/ProjectMember/, archive-providers
projectmember.md; vendor-facts F10), and FindProject's projectMember/<column> (SuperOffice/RESTful-HTTP-Queries
src/Project.http): one member, three views that always agree."""

from __future__ import annotations

from typing import Any

import httpx

from .conftest import BASIC, ONLINE, ONSITE, assert_error

MEMBER = "/api/v1/ProjectMember"


def ok(r: httpx.Response) -> Any:
    assert r.status_code == 200, r.text
    return r.json()


def entity_members(client: httpx.Client, pid: int) -> list[tuple[int, int, str]]:
    body = ok(client.get(f"{ONSITE}/{pid}", headers=BASIC))
    return [(m["ProjectmemberId"], m["PersonId"], m["Comment"]) for m in body["ProjectMembers"]]


def test_getProjectMember_carrier_with_links(client: httpx.Client) -> None:
    body = ok(client.get(f"{MEMBER}/943", headers=BASIC))
    assert list(body)[:3] == ["TableRight", "FieldProperties", "ProjectmemberId"]
    assert body["ProjectId"] == 421 and body["ProjectName"] == "Botsford-Crona" and body["PersonId"] == 764
    assert body["_Links"] == {
        "Self": "https://www.example.com/api/v1/ProjectMember/943/",
        "Archive": "https://www.example.com/api/v1/ProjectMember/",
    }


def test_getProjectMember_unknown_404(client: httpx.Client) -> None:
    assert_error(client.get(f"{MEMBER}/77777", headers=BASIC), 404, "SoNotFoundException", "ProjectMember id 77777")


def test_defaultProjectMember_empty_carrier(client: httpx.Client) -> None:
    body = ok(client.get(f"{MEMBER}/default", headers=BASIC))
    assert body["ProjectmemberId"] == 0 and body["PersonId"] == 0 and body["TableRight"]["Mask"] == "URI"
    assert "_Links" not in body


def test_postProjectMember_creates_inside_the_project(client: httpx.Client) -> None:
    body = ok(client.post(MEMBER, json={"projectId": 421, "personId": 240, "projectMemberTypeId": 475}, headers=BASIC))
    assert body["ProjectmemberId"] >= 2000 and body["FullName"] == "Mr. Jaclyn Stokes"
    assert body["ProjectMemberTypeName"] == "Klein-Lesch" and body["ContactId"] == 54
    assert (body["ProjectmemberId"], 240, "") in entity_members(client, 421)


def test_postProjectMember_unknown_person_400_unknown_project_404_no_body_400(client: httpx.Client) -> None:
    r = client.post(MEMBER, json={"projectId": 421, "personId": 999}, headers=BASIC)
    assert_error(r, 400, "SoNotFoundException", "Person id 999 not found")
    r = client.post(MEMBER, json={"projectId": 9999, "personId": 1}, headers=BASIC)
    assert_error(r, 404, "SoNotFoundException", "Project id 9999 not found")
    assert_error(client.post(MEMBER, json={}, headers=BASIC), 400, "ArgumentException", "Entity to save")


def test_putProjectMember_saves_comment_and_type(client: httpx.Client) -> None:
    body = ok(client.put(f"{MEMBER}/943", json={"comment": "renamed", "projectMemberTypeId": 1}, headers=BASIC))
    assert body["Comment"] == "renamed" and body["ProjectMemberTypeName"] == "Project Manager"
    assert (943, 764, "renamed") in entity_members(client, 421)
    assert_error(client.put(f"{MEMBER}/77777", json={"comment": "x"}, headers=BASIC), 404, "SoNotFoundException")


def test_putProjectMember_other_project_moves_it(client: httpx.Client) -> None:
    body = ok(client.put(f"{MEMBER}/943", json={"projectId": 414, "personId": 764}, headers=BASIC))
    assert body["ProjectId"] == 414
    assert [m[1] for m in entity_members(client, 421)] == []
    assert 764 in [m[1] for m in entity_members(client, 414)]


def test_patchProjectMember_json_patch_and_merge_patch(client: httpx.Client) -> None:
    r = client.patch(f"{MEMBER}/943", json=[{"op": "replace", "path": "/Comment", "value": "patched"}], headers=BASIC)
    assert ok(r)["Comment"] == "patched"
    r = client.patch(
        f"{MEMBER}/943",
        content=b'{"Comment": "merged"}',
        headers={**BASIC, "Content-Type": "application/merge-patch+json"},
    )
    assert ok(r)["Comment"] == "merged"
    r = client.patch(f"{MEMBER}/943", json=[{"op": "test", "path": "/Comment", "value": "other"}], headers=BASIC)
    assert_error(r, 409, "JsonPatchTestFailedException")


def test_deleteProjectMember_removes_it_from_the_project(client: httpx.Client) -> None:
    r = client.delete(f"{MEMBER}/943", headers=BASIC)
    assert r.status_code == 204 and entity_members(client, 421) == []
    assert_error(client.delete(f"{MEMBER}/943", headers=BASIC), 404, "SoNotFoundException")


def test_putProjectEntity_members_show_in_the_member_resource(client: httpx.Client) -> None:
    entity = ok(client.get(f"{ONSITE}/421", headers=BASIC))
    entity["ProjectMembers"].append({"PersonId": 2, "Comment": "via entity"})
    saved = ok(client.put(f"{ONSITE}/421", json=entity, headers=BASIC))
    new_id = saved["ProjectMembers"][-1]["ProjectmemberId"]
    assert ok(client.get(f"{MEMBER}/{new_id}", headers=BASIC))["Comment"] == "via entity"


def test_getAllMembers_as_the_vendors_request_collection(client: httpx.Client) -> None:
    r = client.get(
        MEMBER, params={"$select": "projectId,contactId,personId", "$filter": "projectId gt 414"}, headers=BASIC
    )
    assert ok(r)["value"] == [
        {"PrimaryKey": 943, "EntityName": "projectMember", "projectId": 421, "contactId": 23, "personId": 764}
    ]


def test_getAllMembers_default_columns_project_and_person_columns(client: httpx.Client) -> None:
    rows = ok(client.get(MEMBER, headers=BASIC))["value"]
    assert [(r["PrimaryKey"], r["projectId"]) for r in rows] == [(430, 414), (943, 421)]
    assert list(rows[0]) == ["PrimaryKey", "EntityName", "projectMemberId", "projectId", "contactId", "personId"]
    r = client.get(
        MEMBER,
        params={"$select": "project/name,person/fullName,function", "$filter": "person/fullName begins 'Quincy'"},
        headers=BASIC,
    )
    assert ok(r)["value"] == [
        {
            "PrimaryKey": 943,
            "EntityName": "projectMember",
            "project/name": "Botsford-Crona",
            "person/fullName": "Quincy Fadel",
            "function": "Legros, Rosenbaum and Kohler",
        }
    ]


def test_getAllMembers_online_tenant(client: httpx.Client) -> None:
    r = client.get(f"/Cust12345{MEMBER}", headers={"Authorization": "Bearer 8A:Cust12345.AXRrCITpPBvQX3UbIohb"})
    assert [row["PrimaryKey"] for row in ok(r)["value"]] == [1]


def test_getAll_project_member_columns_one_row_per_member(client: httpx.Client) -> None:
    ok(client.post(MEMBER, json={"projectId": 414, "personId": 1}, headers=BASIC))
    params = {
        "$select": "name,type,associateId,projectMember/contactId,projectMember/personId",
        "$filter": "projectId eq 414",
    }
    rows = ok(client.get(ONSITE, params=params, headers=BASIC))["value"]
    assert [(r["PrimaryKey"], r["projectMember/contactId"], r["projectMember/personId"]) for r in rows] == [
        (414, 50, 849),
        (414, 1, 1),
    ]


def test_getAll_filter_on_project_member_column(client: httpx.Client) -> None:
    params = {"$select": "name", "$filter": "projectMember/personId eq 764"}
    assert [r["name"] for r in ok(client.get(ONSITE, params=params, headers=BASIC))["value"]] == ["Botsford-Crona"]


def test_getAll_without_member_columns_one_row_per_project(client: httpx.Client) -> None:
    rows = ok(
        client.get(
            ONLINE, params={"$select": "name"}, headers={"Authorization": "Bearer 8A:Cust12345.AXRrCITpPBvQX3UbIohb"}
        )
    )
    assert [r["PrimaryKey"] for r in rows["value"]] == sorted({r["PrimaryKey"] for r in rows["value"]})

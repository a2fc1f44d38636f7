"""POST /Project (create, 200) and GET /Project/default (B8.2, B8.3)."""

from __future__ import annotations

import httpx

from .conftest import BASIC, ONSITE, assert_error, freeze


def test_defaultProjectEntity_new_entity_with_defaults(client: httpx.Client) -> None:
    freeze(client, "2026-01-15T10:00:00Z")
    r = client.get(f"{ONSITE}/default", headers=BASIC)
    assert r.status_code == 200
    body = r.json()
    assert "_Links" not in body
    assert body["TableRight"] == {"Mask": "URI", "Reason": ""}
    assert body["ProjectId"] == 0 and body["ProjectNumber"] == "10016" and body["Name"] == ""
    assert body["CreatedDate"] == "0001-01-01T00:00:00" and body["UpdatedDate"] == "0001-01-01T00:00:00"
    assert body["CreatedBy"]["AssociateId"] == 5 and body["Associate"]["AssociateId"] == 5
    assert body["UpdatedBy"] is None
    assert body["ProjectType"]["Id"] == 4 and body["ProjectType"]["Value"] == "Conference"
    assert body["ProjectStatus"]["Id"] == 0
    assert body["PublishTo"] == "9999-12-31T23:59:59.9999999"
    assert body["EndDate"] == "2026-02-14T10:00:00"
    assert r.headers["last-modified"] == "Thu, 15 Jan 2026 10:00:00 GMT"


def test_defaultProjectEntity_preallocates_distinct_numbers(client: httpx.Client) -> None:
    first = client.get(f"{ONSITE}/default", headers=BASIC).json()["ProjectNumber"]
    second = client.get(f"{ONSITE}/default", headers=BASIC).json()["ProjectNumber"]
    assert first != second


def test_postProjectEntity_from_default_creates_200(client: httpx.Client) -> None:
    freeze(client, "2026-01-15T10:00:00Z")
    entity = client.get(f"{ONSITE}/default", headers=BASIC).json()
    entity["Name"] = "New project"
    r = client.post(ONSITE, headers=BASIC, json=entity)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ProjectId"] == 1000 and body["ProjectNumber"] == entity["ProjectNumber"]
    assert body["Name"] == "New project"
    assert body["CreatedDate"] == body["UpdatedDate"] == "2026-01-15T10:00:00"
    assert body["CreatedBy"]["AssociateId"] == 5 and body["UpdatedBy"]["AssociateId"] == 5
    assert body["_Links"]["Self"] == "https://www.example.com/api/v1/Project/1000/"
    assert client.get(f"{ONSITE}/1000", headers=BASIC).json() == body


def test_postProjectEntity_allocates_project_number_when_empty(client: httpx.Client) -> None:
    a = client.post(ONSITE, headers=BASIC, json={"Name": "a", "ProjectNumber": ""}).json()
    b = client.post(ONSITE, headers=BASIC, json={"Name": "b"}).json()
    assert (a["ProjectNumber"], b["ProjectNumber"]) == ("10016", "10017")
    assert (a["ProjectId"], b["ProjectId"]) == (1000, 1001)


def test_postProjectEntity_trailing_slash_tolerated(client: httpx.Client) -> None:
    assert client.post(f"{ONSITE}/", headers=BASIC, json={"Name": "slash"}).status_code == 200


def test_postProjectEntity_ignores_server_owned_and_unknown_properties(client: httpx.Client) -> None:
    freeze(client)
    body = client.post(
        ONSITE,
        headers=BASIC,
        json={
            "ProjectId": 414,
            "Name": "x",
            "CreatedDate": "1990-01-01",
            "UpdatedBy": {"AssociateId": 929},
            "TableRight": {"Mask": "None"},
            "_Links": {"Self": "x"},
            "NoSuchProperty": 1,
            "EventId": 3,
        },
    ).json()
    assert body["ProjectId"] == 1000 and body["CreatedDate"] == "2026-01-15T10:00:00"
    assert body["UpdatedBy"]["AssociateId"] == 5 and body["TableRight"]["Mask"] == "FULL"
    assert client.get(f"{ONSITE}/414", headers=BASIC).json()["Name"] == "Website Redesign"


def test_postProjectEntity_camel_case_properties(client: httpx.Client) -> None:
    body = client.post(
        ONSITE,
        headers=BASIC,
        json={
            "name": "camel",
            "projectNumber": "P-1",
            "isPublished": True,
            "projectStatus": {"id": 2},
            "projectMembers": [{"personId": 2, "projectMemberTypeId": 3}],
            "urls": [{"value": "https://x.example"}],
            "NAME": "upper wins last",
        },
    ).json()
    assert body["Name"] == "upper wins last" and body["ProjectNumber"] == "P-1" and body["IsPublished"] is True
    assert body["ProjectStatus"]["Value"] == "In Progress"
    assert body["ProjectMembers"][0]["FullName"] == "Matt Cove"
    assert body["Urls"][0]["Value"] == "https://x.example"


def test_postProjectEntity_description_and_postit_keep_2047(client: httpx.Client) -> None:
    body = client.post(
        ONSITE, headers=BASIC, json={"Name": "long", "Description": "d" * 3000, "Postit": "p" * 2047}
    ).json()
    assert len(body["Description"]) == 2047 and len(body["Postit"]) == 2047


def test_postProjectEntity_name_length_and_mandatory_flag_not_enforced(client: httpx.Client) -> None:
    """FieldProperties report Name as mandatory with FieldLength 219; neither is enforced (SOURCE.md #11),
    as README and contracts/superoffice/FIDELITY.md say."""
    rights = client.get(f"{ONSITE}/414", headers=BASIC).json()["FieldProperties"]["Name"]
    assert rights["FieldLength"] == 219 and "UIHintMandatory" in rights["FieldRight"]["Mask"]
    long = client.post(ONSITE, headers=BASIC, json={"Name": "n" * 500})
    assert long.status_code == 200 and long.json()["Name"] == "n" * 500
    empty = client.post(ONSITE, headers=BASIC, json={"Name": ""})
    assert empty.status_code == 200 and empty.json()["Name"] == ""
    stored = client.get(f"{ONSITE}/{empty.json()['ProjectId']}", headers=BASIC).json()
    assert stored["Name"] == ""


def test_postProjectEntity_dates_iso_with_offset_z_or_naive(client: httpx.Client) -> None:
    body = client.post(
        ONSITE,
        headers=BASIC,
        json={
            "Name": "d",
            "EndDate": "2024-05-01T12:00:00+02:00",
            "PublishFrom": "2024-05-01T12:00:00Z",
            "PublishTo": "2024-05-01T12:00:00.5",
            "NextMilestoneDate": None,
            "PublishEventDate": "2024-05-01",
        },
    ).json()
    assert body["EndDate"] == "2024-05-01T10:00:00"
    assert body["PublishFrom"] == "2024-05-01T12:00:00"
    assert body["PublishTo"] == "2024-05-01T12:00:00.5"
    assert body["NextMilestoneDate"] == "0001-01-01T00:00:00"
    assert body["PublishEventDate"] == "2024-05-01T00:00:00"


def test_postProjectEntity_invalid_date_400(client: httpx.Client) -> None:
    r = client.post(ONSITE, headers=BASIC, json={"Name": "d", "endDate": "31/12/2024"})
    assert_error(r, 400, "JsonSerializationException", "System.DateTime")


def test_postProjectEntity_wrong_type_pascal_and_camel_400(client: httpx.Client) -> None:
    assert_error(
        client.post(ONSITE, headers=BASIC, json={"Name": "x", "ActiveLinks": [1]}), 400, "JsonSerializationException"
    )
    assert_error(
        client.post(ONSITE, headers=BASIC, json={"Name": "x", "activeLinks": "many"}),
        400,
        "JsonSerializationException",
        "System.Int32",
    )
    assert_error(
        client.post(ONSITE, headers=BASIC, json={"Name": "x", "nmdAppointmentId": 2**31}),
        400,
        "JsonSerializationException",
        "System.Int32",
    )


def test_postProjectEntity_numeric_strings_converted(client: httpx.Client) -> None:
    body = client.post(ONSITE, headers=BASIC, json={"Name": 12, "ActiveLinks": "3", "Completed": "true"}).json()
    assert body["Name"] == "12" and body["ActiveLinks"] == 3 and body["Completed"] is True


def test_postProjectEntity_known_references_resolved(client: httpx.Client) -> None:
    body = client.post(
        ONSITE,
        headers=BASIC,
        json={
            "Name": "refs",
            "ProjectStatus": {"Id": 898, "Value": "ignored"},
            "ProjectType": {"Id": 982},
            "Associate": {"AssociateId": 950},
            "Links": [{"Id": 871}],
        },
    ).json()
    assert body["ProjectStatus"]["Value"] == "voluptatem" and body["ProjectType"]["Value"] == "ullam"
    assert body["Associate"]["FullName"] == "Romaine Kihn"
    assert body["Links"][0]["EntityName"] == "Grimes Inc and Sons" and body["Links"][0]["LinkId"] == 3000


def test_postProjectEntity_unknown_references(client: httpx.Client) -> None:
    """Decision (documented): unknown list ids -> the empty item; unknown associate -> the caller;
    members of unknown persons and links to unknown targets are dropped."""
    body = client.post(
        ONSITE,
        headers=BASIC,
        json={
            "Name": "unknown refs",
            "ProjectStatus": {"Id": 12345},
            "ProjectType": {"Id": 12345},
            "Associate": {"AssociateId": 12345},
            "ProjectMembers": [{"PersonId": 12345}, {"PersonId": 1}],
            "Links": [{"Id": 12345}],
        },
    ).json()
    assert (body["ProjectStatus"]["Id"], body["ProjectStatus"]["Value"]) == (0, "")
    assert body["ProjectType"]["Id"] == 0
    assert body["Associate"]["AssociateId"] == 5
    assert [m["PersonId"] for m in body["ProjectMembers"]] == [1]
    assert body["Links"] == []


def test_postProjectEntity_empty_body_400(client: httpx.Client) -> None:
    assert_error(client.post(ONSITE, headers=BASIC), 400, "ArgumentException", "Entity to save is not in request body")


def test_postProjectEntity_malformed_json_400(client: httpx.Client) -> None:
    r = client.post(ONSITE, headers={**BASIC, "Content-Type": "application/json"}, content=b'{"Name": ')
    body = assert_error(r, 400, "JsonReaderException", "Unexpected character encountered while parsing value. Path ''")
    assert "Expecting value" not in body["ErrorMessage"] and "(char" not in body["ErrorMessage"]

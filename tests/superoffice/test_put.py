"""PUT /Project/{id}: the seeds' sample requests replayed; whole-entity replacement; 400 / 404 / 412."""

from __future__ import annotations

import httpx
import pytest

from .conftest import BASIC, ONSITE, advance, assert_error, freeze, seed_sample

SAMPLE_HEADERS = {
    "Authorization": "Basic dGplMDpUamUw",
    "Accept": "application/json; charset=utf-8",
    "Accept-Language": "en",
    "Content-Type": "application/json; charset=utf-8",
}


def test_putProjectEntity_seed001_sample_request_replays(client: httpx.Client) -> None:
    freeze(client, "2026-01-15T10:00:00Z")
    sent = seed_sample("001", "request")
    documented = seed_sample("001", "response")
    r = client.put(f"{ONSITE}/414", headers=SAMPLE_HEADERS, json=sent)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    body = r.json()
    # the documented response's shape: same properties, TableRight/FieldProperties first, _Links last
    # plus the Swagger's EventId/StartDate and ProjectMember.EventParticipantStatus (not in the seeds' samples)
    assert set(body) == set(documented) | {"EventId", "StartDate"}
    assert list(body)[:2] == ["TableRight", "FieldProperties"] and list(body)[-1] == "_Links"
    assert set(body["ProjectMembers"][0]) == set(documented["ProjectMembers"][0]) | {"EventParticipantStatus"}
    assert set(body["Urls"][0]) == set(documented["Urls"][0])
    assert set(body["Links"][0]) == set(documented["Links"][0])
    # values: the path's id, what was sent, server-owned values from the server
    assert body["ProjectId"] == 414
    assert body["Name"] == "Hessel-Strosin" and body["ProjectNumber"] == "371173"
    assert body["CreatedDate"] == "2003-12-04T13:34:02.1900489"  # kept (server-owned)
    assert body["UpdatedDate"] == "2026-01-15T10:00:00"  # the emulator clock, UTC
    assert body["EndDate"] == "2016-07-26T12:34:02.1900489"  # +02:00 -> UTC, no offset
    assert body["UpdatedBy"]["AssociateId"] == 5 and body["Associate"]["AssociateId"] == 5
    member = body["ProjectMembers"][0]
    assert member["PersonId"] == 627 and member["ProjectId"] == 414 and member["ProjectName"] == "Hessel-Strosin"
    assert member["ProjectMemberTypeName"] == "Ferry, Bergnaum and Erdman"
    assert [u["Value"] for u in body["Urls"]] == ["rerum", "rerum"]
    assert [link["Id"] for link in body["Links"]] == [842, 842]
    assert body["UserDefinedFields"] == sent["UserDefinedFields"]
    assert body["_Links"]["Self"] == "https://www.example.com/api/v1/Project/414/"
    assert r.headers["last-modified"] == "Thu, 15 Jan 2026 10:00:00 GMT"
    assert client.get(f"{ONSITE}/414", headers=BASIC).json() == body


def test_putProjectEntity_seed003_sample_request_replays(client: httpx.Client) -> None:
    sent = seed_sample("003", "request")
    r = client.put(f"{ONSITE}/421", headers=SAMPLE_HEADERS, json=sent)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ProjectId"] == 421 and body["Name"] == "Bode-Leffler"
    assert body["Associate"]["AssociateId"] == 929 and body["Associate"]["FullName"] == "Kasandra Hessel"
    assert body["CreatedBy"]["AssociateId"] == 56  # server-owned: kept from the stored entity, not 646
    assert body["UpdatedBy"]["AssociateId"] == 5  # the authenticated associate, not 568
    assert body["ProjectStatus"]["Id"] == 919 and body["ProjectStatus"]["Value"] == "aut"
    assert body["ProjectType"]["Id"] == 677 and body["ProjectType"]["Value"] == "pariatur"
    assert body["ProjectMembers"][0]["PersonId"] == 763
    assert body["ProjectMembers"][0]["ProjectMemberTypeName"] == "Baumbach, Monahan and Dibbert"


@pytest.mark.parametrize("content", [b"", b"   ", b"null", b"{}", b"[]"])
def test_putProjectEntity_missing_or_empty_body_400(client: httpx.Client, content: bytes) -> None:
    r = client.put(f"{ONSITE}/414", headers={**BASIC, "Content-Type": "application/json"}, content=content)
    assert_error(r, 400, "ArgumentException", "Entity to save is not in request body")


def test_putProjectEntity_no_content_type_no_body_400(client: httpx.Client) -> None:
    assert_error(
        client.put(f"{ONSITE}/414", headers=BASIC), 400, "ArgumentException", "Entity to save is not in request body"
    )


def test_putProjectEntity_unknown_id_404(client: httpx.Client) -> None:
    r = client.put(f"{ONSITE}/99999", headers=BASIC, json={"Name": "x"})
    assert_error(r, 404, "SoNotFoundException", "Project id 99999 not found")


def test_putProjectEntity_replaces_whole_entity(client: httpx.Client) -> None:
    r = client.put(f"{ONSITE}/421", headers=BASIC, json={"name": "Only a name"})
    body = r.json()
    assert body["Name"] == "Only a name"
    assert body["ProjectNumber"] == "1320091"  # empty number: the existing one is kept
    assert body["Description"] == "" and body["ProjectMembers"] == [] and body["Urls"] == []
    assert body["ProjectStatus"] == {
        "TableRight": None,
        "FieldProperties": body["ProjectStatus"]["FieldProperties"],
        "Id": 0,
        "Value": "",
        "Tooltip": "",
    }
    assert body["EndDate"] == "0001-01-01T00:00:00" and body["Completed"] is False


def test_putProjectEntity_server_owned_values_ignored(client: httpx.Client) -> None:
    freeze(client)
    body = client.put(
        f"{ONSITE}/414",
        headers=BASIC,
        json={
            "ProjectId": 7,
            "CreatedDate": "1999-01-01T00:00:00",
            "UpdatedDate": "1999-01-01T00:00:00",
            "CreatedBy": {"AssociateId": 646},
            "UpdatedBy": {"AssociateId": 568},
            "Name": "n",
        },
    ).json()
    assert body["ProjectId"] == 414
    assert body["CreatedDate"] == "2003-12-04T13:34:02.1900489" and body["UpdatedDate"] == "2026-01-15T10:00:00"
    assert body["CreatedBy"] is None  # as stored for the seed 001 project
    assert body["UpdatedBy"]["AssociateId"] == 5


def test_putProjectEntity_if_unmodified_since_older_412(client: httpx.Client) -> None:
    r = client.put(
        f"{ONSITE}/414", headers={**BASIC, "If-Unmodified-Since": "Mon, 01 Feb 2021 00:00:00 GMT"}, json={"Name": "x"}
    )
    assert_error(
        r,
        412,
        "PreconditionFailedException",
        "Update stopped because ProjectEntity has changed since the requested If-Unmodified-Since timestamp.",
    )
    assert client.get(f"{ONSITE}/414", headers=BASIC).json()["Name"] == "Website Redesign"


def test_putProjectEntity_if_unmodified_since_flow_with_clock(client: httpx.Client) -> None:
    freeze(client, "2026-01-15T10:00:00Z")
    stamp = client.put(f"{ONSITE}/414", headers=BASIC, json={"Name": "a"}).headers["last-modified"]
    advance(client, 30)
    ok = client.put(f"{ONSITE}/414", headers={**BASIC, "If-Unmodified-Since": stamp}, json={"Name": "b"})
    assert ok.status_code == 200
    stale = client.put(f"{ONSITE}/414", headers={**BASIC, "If-Unmodified-Since": stamp}, json={"Name": "c"})
    assert_error(stale, 412, "PreconditionFailedException")


def test_putProjectEntity_keeps_existing_member_ids(client: httpx.Client) -> None:
    body = client.put(
        f"{ONSITE}/414",
        headers=BASIC,
        json={
            "Name": "m",
            "ProjectMembers": [
                {"ProjectmemberId": 430, "PersonId": 849, "Comment": "changed"},
                {"PersonId": 1, "ProjectMemberTypeId": 1},
            ],
        },
    ).json()
    ids = [m["ProjectmemberId"] for m in body["ProjectMembers"]]
    assert ids == [430, 2000]
    assert body["ProjectMembers"][0]["Registered"] == "2005-09-03T12:34:02.1900489"
    assert body["ProjectMembers"][1]["FullName"] == "Marie De Greeve"
    assert body["ProjectMembers"][1]["ProjectMemberTypeName"] == "Project Manager"


def test_putProjectEntity_wrong_type_400(client: httpx.Client) -> None:
    r = client.put(f"{ONSITE}/414", headers=BASIC, json={"completed": "perhaps"})
    assert_error(r, 400, "JsonSerializationException", "System.Boolean")
    assert client.get(f"{ONSITE}/414", headers=BASIC).json()["Completed"] is True

"""Project sub-resources answered from the stored world (Swagger; vendor reference pages, E6; E9)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import BASIC, BEARER, ONLINE, ONSITE, assert_error


def get(client: httpx.Client, path: str, **params: Any) -> httpx.Response:
    return client.get(f"{ONSITE}{path}", params=params, headers=BASIC)


def test_simple_is_the_flat_project(client: httpx.Client) -> None:
    r = get(client, "/421/Simple")
    assert r.status_code == 200
    body = r.json()
    assert body["ProjectId"] == 421 and body["Name"] == "Botsford-Crona" and body["ProjectNumber"] == "1320091"
    assert (body["Type"], body["TypeId"], body["Status"], body["StatusId"]) == ("ullam", 982, "voluptatem", 898)
    assert body["AssociateId"] == 950 and body["AssociateFullName"] == "Romaine Kihn"
    assert body["URL"] == "et" and body["URLName"] == "Assimilated actuating Graphic Interface"
    assert body["Updated"] == "2000-04-19T16:25:50.8208852" and body["EventId"] == 0
    assert not any(isinstance(v, dict | list) for k, v in body.items() if k not in ("TableRight", "FieldProperties"))


def test_simple_unknown_project_404(client: httpx.Client) -> None:
    assert_error(get(client, "/999/Simple"), 404, "SoNotFoundException", "Project id 999 not found")


def test_members_come_from_the_project_members(client: httpx.Client) -> None:
    body = get(client, "/421/Members", **{"$select": "personId,fullName,projectMemberType,contactName"}).json()
    assert body["value"] == [
        {
            "PrimaryKey": 764,
            "EntityName": "person",
            "personId": 764,
            "fullName": "Quincy Fadel",
            "projectMemberType": "Legros, Rosenbaum and Kohler",
            "contactName": "Gusikowski-Torphy",
        }
    ]


def test_members_follow_a_put(client: httpx.Client) -> None:
    r = client.patch(
        f"{ONSITE}/421",
        headers=BASIC,
        json=[{"op": "add", "path": "/ProjectMembers/-", "value": {"PersonId": 1, "ProjectMemberTypeId": 3}}],
    )
    assert r.status_code == 200, r.text
    body = get(client, "/421/Members", **{"$filter": "personId eq 1", "$select": "fullName,projectMemberType"}).json()
    assert body["value"] == [
        {"PrimaryKey": 1, "EntityName": "person", "fullName": "Marie De Greeve", "projectMemberType": "Project Member"}
    ]


def test_contacts_from_members_and_contact_links(client: httpx.Client) -> None:
    r = client.patch(f"{ONSITE}/414", headers=BASIC, json=[{"op": "add", "path": "/Links/-", "value": {"Id": 10}}])
    assert r.status_code == 200, r.text
    body = get(client, "/414/Contacts").json()
    assert [(v["PrimaryKey"], v["EntityName"], v["name"]) for v in body["value"]] == [
        (50, "contact", "Schumm, Ryan and Quitzon"),
        (10, "contact", "SuperOffice Software Limited"),
    ]


def test_links_rows_name_the_linked_entity(client: httpx.Client) -> None:
    body = get(client, "/421/Links").json()
    assert body["value"] == [
        {
            "PrimaryKey": 140,
            "EntityName": "Lowe-Windler",
            "linkId": 140,
            "entityName": "Lowe-Windler",
            "id": 896,
            "description": "Automated high-level flexibility",
        }
    ]


def test_activities_and_guide_from_the_appointments(client: httpx.Client) -> None:
    acts = get(client, "/414/Activities", **{"$orderBy": "date desc"}).json()["value"]
    assert [a["appointmentId"] for a in acts] == [7001, 7002]
    assert acts[1]["completed"] is True and acts[1]["type"] == "Phone"
    guide = get(client, "/414/Guide").json()["value"]
    assert [g["appointmentId"] for g in guide] == [7001]
    assert get(client, "/421/Activities").json()["value"] == []


@pytest.mark.parametrize(
    "sub",
    [
        "Members",
        "Contacts",
        "Links",
        "Activities",
        "Guide",
        "Simple",
        "ForeignKey",
        "NextMilestone",
        "Imageinfo",
        "Image",
    ],
)
def test_subresource_unknown_project_404(client: httpx.Client, sub: str) -> None:
    assert_error(get(client, f"/4242/{sub}"), 404, "SoNotFoundException", "Project id 4242 not found")


def test_subresource_archive_bad_filter_400(client: httpx.Client) -> None:
    assert_error(get(client, "/414/Members", **{"$filter": "fullName eq"}), 400, "ArchiveException", "ends too early")


def test_hasGuide_true_false(client: httpx.Client) -> None:
    assert get(client, "/414/HasGuide").json() is True
    assert get(client, "/421/HasGuide").json() is False
    assert get(client, "/4242/HasGuide").json() is False


def test_getNextMilestone_open_milestone_or_null(client: httpx.Client) -> None:
    body = get(client, "/414/NextMilestone").json()
    assert body["AppointmentId"] == 7001 and body["ProjectName"] == "Website Redesign"
    assert body["Completed"] == "NotStarted" and body["StartDate"] == "2026-02-02T09:00:00"
    r = get(client, "/421/NextMilestone")
    assert r.status_code == 200 and r.json() is None


def test_getAllForeignKeysOnEntity(client: httpx.Client) -> None:
    assert get(client, "/414/ForeignKey").json() == {"erp.sync.projectno": "P-794026"}
    assert get(client, "/421/ForeignKey").json() == {}


def test_getDuplicates_by_active_rules(client: httpx.Client) -> None:
    r = get(client, "/Duplicates/ website redesign ")
    assert r.json() == [
        {
            "RuleName": "SameName",
            "SoPrimaryKey": 414,
            "EntryName": "Website Redesign",
            "EntryIdentifier": "414",
            "RuleDisplayName": "Same project name",
            "TableRight": None,
            "FieldProperties": {},
        }
    ]
    assert get(client, "/Duplicates/Website").json() == []
    r = client.put(f"{ONSITE}/DuplicateRules", headers=BASIC, json=[{"Name": "SimilarName", "IsActive": True}])
    assert r.status_code == 204
    rules = {x["Name"]: x["IsActive"] for x in get(client, "/DuplicateRules").json()}
    assert rules == {"SameName": True, "SimilarName": True}
    assert [d["SoPrimaryKey"] for d in get(client, "/Duplicates/Website").json()] == [414]


def test_setDuplicateRulesStatus_not_an_array_400(client: httpx.Client) -> None:
    r = client.put(f"{ONSITE}/DuplicateRules", headers=BASIC, json={"Name": "SameName"})
    assert r.status_code == 400


def test_merge_moves_members_links_activities_and_deletes_source(client: httpx.Client) -> None:
    r = client.post(f"{ONSITE}/421/MergeTo/414", headers=BASIC)
    assert r.status_code == 204 and r.content == b""
    assert_error(get(client, "/421"), 404, "SoNotFoundException")
    dst = get(client, "/414").json()
    assert [m["PersonId"] for m in dst["ProjectMembers"]] == [849, 764]
    assert [link["Id"] for link in dst["Links"]] == [871, 896]
    acts = get(client, "/414/Activities", **{"$select": "appointmentId,projectId"}).json()["value"]
    assert {a["projectId"] for a in acts} == {414}


def test_merge_replace_empty_fields_on_destination(client: httpx.Client) -> None:
    r = client.post(ONSITE, headers=BASIC, json={"Name": "Empty one"})
    new_id = r.json()["ProjectId"]
    assert (
        client.post(f"{ONSITE}/421/MergeTo/{new_id}?replaceEmptyFieldsOnDestination=true", headers=BASIC).status_code
        == 204
    )
    merged = get(client, f"/{new_id}").json()
    assert merged["Name"] == "Empty one" and merged["Description"] == "Customer-focused intangible standardization"


def test_merge_unknown_or_same_project(client: httpx.Client) -> None:
    assert_error(
        client.post(f"{ONSITE}/4242/MergeTo/414", headers=BASIC),
        404,
        "SoNotFoundException",
        "Project id 4242 not found",
    )
    assert_error(
        client.post(f"{ONSITE}/414/MergeTo/414", headers=BASIC),
        400,
        "ArgumentException",
        "A project cannot be merged into itself.",
    )


def test_isNumberValid(client: httpx.Client) -> None:
    assert get(client, "/414/IsNumberValid/794026").json() is True  # its own number
    assert get(client, "/421/IsNumberValid/794026").json() is False  # taken by 414
    assert get(client, "/421/IsNumberValid/NEW-1").json() is True


def test_validateProjectEntity_reports_put_checks_without_saving(client: httpx.Client) -> None:
    before = client.get("/__emulator/state").json()
    r = client.post(
        f"{ONSITE}/Validate",
        headers=BASIC,
        json={
            "Name": "ok",
            "ProjectId": "abc",
            "Completed": "maybe",
            "EndDate": "soon",
            "ProjectMembers": [{"PersonId": "x"}],
        },
    )
    assert r.status_code == 200
    assert r.json() == {
        "ProjectId": "Error converting value \"abc\" to type 'System.Int32'. Path 'ProjectId'.",
        "Completed": "Error converting value \"maybe\" to type 'System.Boolean'. Path 'Completed'.",
        "EndDate": "Error converting value \"soon\" to type 'System.DateTime'. Path 'EndDate'.",
        "ProjectMembers[0].PersonId": (
            "Error converting value \"x\" to type 'System.Int32'. Path 'ProjectMembers[0].PersonId'."
        ),
    }
    assert client.get("/__emulator/state").json() == before


def test_validateProjectEntity_valid_entity_is_empty_object(client: httpx.Client) -> None:
    r = client.post(f"{ONSITE}/Validate", headers=BASIC, json={"Name": "Fine", "EndDate": "2026-01-01"})
    assert r.status_code == 200 and r.json() == {}


def test_validateProjectEntity_same_check_as_put(client: httpx.Client) -> None:
    put = client.put(f"{ONSITE}/414", headers=BASIC, json={"Name": "x", "Completed": "maybe"})
    message = assert_error(put, 400, "JsonSerializationException")["ErrorMessage"]
    val = client.post(f"{ONSITE}/Validate", headers=BASIC, json={"Name": "x", "Completed": "maybe"})
    assert val.json() == {"Completed": message}


def test_validateProjectEntity_no_entity_400(client: httpx.Client) -> None:
    r = client.post(f"{ONSITE}/Validate", headers={**BASIC, "Content-Type": "application/json"}, content=b"{}")
    assert_error(r, 400, "ArgumentException", "Entity to save is not in request body")


def test_online_prefix_serves_subresources(client: httpx.Client) -> None:
    r = client.get(f"{ONLINE}/1/Members", headers=BEARER)
    assert r.status_code == 200 and r.json()["value"][0]["fullName"] == "Marie De Greeve"
    assert r.json()["odata.metadata"].startswith("https://www.example.com/Cust12345/")


def test_setDuplicateRulesStatus_xml_array_body(client: httpx.Client) -> None:
    xml = (
        b"<ArrayOfDuplicateRule><DuplicateRule><Name>SameName</Name><IsActive>false</IsActive></DuplicateRule>"
        b"</ArrayOfDuplicateRule>"
    )
    r = client.put(f"{ONSITE}/DuplicateRules", headers={**BASIC, "Content-Type": "application/xml"}, content=xml)
    assert r.status_code == 204, r.text
    rules = {x["Name"]: x["IsActive"] for x in get(client, "/DuplicateRules").json()}
    assert rules["SameName"] is False

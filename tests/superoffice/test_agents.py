"""The Project agent, POST /api/v1/Agents/Project/<Method> (ProjectAgent.ts of `@superoffice/webapi`; vendor-facts F9):
each method answers as the REST operation it mirrors, without `_Links`."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from .conftest import APP_TOKEN, BASIC, BEARER, ONSITE, TICKET, assert_error, freeze

AGENT = "/api/v1/Agents/Project/"
ONLINE_AGENT = "/Cust12345/api/v1/Agents/Project/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def call(
    client: httpx.Client,
    method: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    base: str = AGENT,
    **params: Any,
) -> httpx.Response:
    return client.post(base + method, params=params, json=body, headers={**BASIC, **(headers or {})})


def ok(r: httpx.Response) -> Any:
    assert r.status_code == 200, r.text
    return r.json()


def make(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    return ok(call(client, "SaveProjectEntity", {"projectId": 0, **fields}))


def test_agentGetProjectEntity_is_the_rest_entity_without_links(client: httpx.Client) -> None:
    rest = client.get(f"{ONSITE}/421", headers=BASIC).json()
    agent = ok(call(client, "GetProjectEntity", projectEntityId=421))
    assert "_Links" not in agent
    rest.pop("_Links")
    assert agent == rest


def test_agentGetProjectEntity_unknown_id_404(client: httpx.Client) -> None:
    r = call(client, "GetProjectEntity", projectEntityId=9999)
    assert_error(r, 404, "SoNotFoundException", "Project id 9999 not found")


def test_agentGetProjectEntity_without_the_id_400(client: httpx.Client) -> None:
    r = call(client, "GetProjectEntity")
    assert_error(r, 400, "ArgumentException", "The query parameter 'projectEntityId' is required.")


def test_agentGetProjectEntity_if_modified_since_304(client: httpx.Client) -> None:
    first = call(client, "GetProjectEntity", projectEntityId=421)
    since = first.headers["Last-Modified"]
    r = call(client, "GetProjectEntity", headers={"If-Modified-Since": since}, projectEntityId=421)
    assert r.status_code == 304 and r.content == b""


def test_agentGetProjectEntity_select_nulls_the_rest(client: httpx.Client) -> None:
    r = client.post(AGENT + "GetProjectEntity", params={"projectEntityId": 421, "$select": "name"}, headers=BASIC)
    body = ok(r)
    assert body["Name"] == "Botsford-Crona" and body["ProjectNumber"] is None


def test_agentGetProjectEntity_xml(client: httpx.Client) -> None:
    r = call(client, "GetProjectEntity", headers={"Accept": "application/xml"}, projectEntityId=421)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    assert "<ProjectEntity" in r.text and "<Name>Botsford-Crona</Name>" in r.text and "_Links" not in r.text


def test_agentCreateDefaultProjectEntity_is_the_rest_default(client: httpx.Client) -> None:
    freeze(client)
    body = ok(call(client, "CreateDefaultProjectEntity"))
    assert body == client.get(f"{ONSITE}/default", headers=BASIC).json() | {"ProjectNumber": body["ProjectNumber"]}
    assert body["ProjectId"] == 0 and body["TableRight"] == {"Mask": "URI", "Reason": ""}


def test_agentSaveProjectEntity_creates_then_replaces(client: httpx.Client) -> None:
    made = make(client, name="Agent made", projectType={"id": 1})
    assert made["ProjectId"] > 0 and made["Name"] == "Agent made" and "_Links" not in made
    saved = ok(call(client, "SaveProjectEntity", {**made, "Name": "Agent renamed"}))
    assert saved["ProjectId"] == made["ProjectId"] and saved["Name"] == "Agent renamed"
    assert client.get(f"{ONSITE}/{made['ProjectId']}", headers=BASIC).json()["Name"] == "Agent renamed"


def test_agentSaveProjectEntity_unknown_id_404_and_no_entity_400(client: httpx.Client) -> None:
    assert_error(call(client, "SaveProjectEntity", {"ProjectId": 9999, "Name": "x"}), 404, "SoNotFoundException")
    assert_error(call(client, "SaveProjectEntity"), 400, "ArgumentException", "Entity to save is not in request body")


def test_agentSaveProjectEntity_if_unmodified_since_412(client: httpx.Client) -> None:
    freeze(client)
    made = make(client, name="Guarded")
    stale = "Mon, 01 Jan 2001 00:00:00 GMT"
    r = call(client, "SaveProjectEntity", made, headers={"If-Unmodified-Since": stale})
    assert_error(r, 412, "PreconditionFailedException")


def test_agentDeleteProjectEntity_204_then_404(client: httpx.Client) -> None:
    pid = make(client, name="Doomed")["ProjectId"]
    r = call(client, "DeleteProjectEntity", ProjectEntityId=pid)
    assert r.status_code == 204 and r.content == b""
    assert_error(call(client, "DeleteProjectEntity", ProjectEntityId=pid), 404, "SoNotFoundException")


def test_agentGetProject_and_list_are_the_simple_carrier(client: httpx.Client) -> None:
    simple = client.get(f"{ONSITE}/421/Simple", headers=BASIC).json()
    assert ok(call(client, "GetProject", projectId=421)) == simple
    listed = ok(call(client, "GetProjectList", [421, 414, 999999]))
    assert [p["ProjectId"] for p in listed] == [414, 421] and listed[1] == simple


def test_agentGetMyProjects_owner_and_member_projects(client: httpx.Client) -> None:
    mine = make(client, name="Mine")["ProjectId"]  # the caller (associate 5) owns it
    member_of = ok(call(client, "GetMyProjects", {"includeMemberProjects": False}))
    assert mine in [p["ProjectId"] for p in member_of]
    other = make(client, name="Theirs", associate={"associateId": 56})["ProjectId"]
    assert other not in [p["ProjectId"] for p in ok(call(client, "GetMyProjects", {"IncludeMemberProjects": True}))]
    # associate 5 is person 5; with a membership the project counts as the caller's
    assert ok(call(client, "GetMyMemberProjects")) == []


def test_agentGetProjectsFromPerson_and_contact(client: httpx.Client) -> None:
    assert [p["ProjectId"] for p in ok(call(client, "GetProjectsFromPerson", {"personId": 849}))] == [414]
    assert [p["ProjectId"] for p in ok(call(client, "GetProjectsFromContact", {"contactId": 23}))] == [421]


def test_agent_sub_resources_answer_as_rest(client: httpx.Client) -> None:
    assert ok(call(client, "HasGuide", {"projectId": 414})) is True
    assert ok(call(client, "GetNextMilestone", {"projectId": 414}))["AppointmentId"] == 7001
    assert ok(call(client, "IsNumberValid", {"contactId": 421, "number": "794026"})) is False
    assert ok(call(client, "GetDuplicates", {"name": "Website Redesign"}))[0]["SoPrimaryKey"] == 414
    assert [r["Name"] for r in ok(call(client, "GetDuplicateRules"))] == ["SameName", "SimilarName"]
    assert ok(call(client, "ValidateProjectEntity", {"projectEntity": {"name": "x", "completed": "maybe"}})) != {}


def test_agentSetCompleted_204_and_stored(client: httpx.Client) -> None:
    pid = make(client, name="Finish me")["ProjectId"]
    r = call(client, "SetCompleted", {"projectId": pid, "isCompleted": True})
    assert r.status_code == 204
    assert client.get(f"{ONSITE}/{pid}", headers=BASIC).json()["Completed"] is True


def test_agentGetNextProjectStatus_follows_the_status_list(client: httpx.Client) -> None:
    pid = make(client, name="Status", projectStatus={"id": 1})["ProjectId"]
    assert ok(call(client, "GetNextProjectStatus", {"projectId": pid})) == 2


def test_agentSetProjectImage_then_GetProjectImage(client: httpx.Client) -> None:
    encoded = base64.b64encode(PNG).decode()
    r = call(client, "SetProjectImage", {"projectId": 421, "image": encoded})
    assert r.status_code == 204
    raw = call(client, "GetProjectImage", {"projectId": 421}, headers={"Accept": "application/octet-stream"})
    assert raw.status_code == 200 and raw.content == PNG
    assert ok(call(client, "GetProjectImage", {"projectId": 421})) == encoded
    assert client.get(f"{ONSITE}/421/Image", headers=BASIC).content == PNG


def test_agent_members_add_get_update_delete_kept_in_the_entity(client: httpx.Client) -> None:
    pid = make(client, name="Team")["ProjectId"]
    r = call(
        client, "AddProjectMembers", {"projectEntityId": pid, "projectMembers": [{"personId": 1}, {"personId": 2}]}
    )
    assert r.status_code == 204
    listed = ok(call(client, "GetProjectMembers", {"projectId": pid}))
    assert [m["PersonId"] for m in listed] == [1, 2] and {m["ProjectId"] for m in listed} == {pid}
    first = listed[0]["ProjectmemberId"]
    assert ok(call(client, "GetProjectMember", projectMemberId=first))["FullName"] == "Marie De Greeve"
    updated = ok(call(client, "UpdateProjectMember", {"projectMember": {"projectmemberId": first, "comment": "lead"}}))
    assert updated["Comment"] == "lead"
    r = call(
        client, "SaveProjectMembersFunctionAndComment", {"projectMemberIds": [first], "roleId": 1, "comment": "pm"}
    )
    assert r.status_code == 204
    entity = client.get(f"{ONSITE}/{pid}", headers=BASIC).json()
    assert [(m["PersonId"], m["Comment"], m["ProjectMemberTypeName"]) for m in entity["ProjectMembers"]] == [
        (1, "pm", "Project Manager"),
        (2, "", ""),
    ]
    assert call(client, "DeleteProjectMemberByIds", {"projectMemberIds": [first]}).status_code == 204
    assert [m["PersonId"] for m in client.get(f"{ONSITE}/{pid}", headers=BASIC).json()["ProjectMembers"]] == [2]
    assert_error(call(client, "GetProjectMember", projectMemberId=first), 404, "SoNotFoundException")


def test_agent_member_save_default_and_delete(client: httpx.Client) -> None:
    default = ok(call(client, "CreateDefaultProjectMember"))
    assert default["ProjectmemberId"] == 0 and "_Links" not in default
    saved = ok(call(client, "SaveProjectMember", {**default, "ProjectId": 421, "PersonId": 240}))
    assert saved["ContactName"] == "Schoen-Koss" and saved["ProjectName"] == "Botsford-Crona"
    mid = saved["ProjectmemberId"]
    assert call(client, "DeleteProjectMember", ProjectMemberId=mid).status_code == 204
    assert_error(call(client, "DeleteProjectMember", ProjectMemberId=mid), 404, "SoNotFoundException")


def test_agentGetProjectMembersById_in_the_order_asked(client: httpx.Client) -> None:
    got = ok(call(client, "GetProjectMembersById", {"projectMemberIds": [943, 12345, 430]}))
    assert [(m["ProjectmemberId"], m["ProjectId"]) for m in got] == [(943, 421), (430, 414)]


def test_agent_unknown_method_404_in_the_route_wording(client: httpx.Client) -> None:
    r = call(client, "NoSuchMethod")
    assert_error(r, 404, "HttpResponseException", "No HTTP resource was found that matches the request URI")


def test_agent_get_verb_405(client: httpx.Client) -> None:
    r = client.get(AGENT + "GetProjectEntity", params={"projectEntityId": 421}, headers=BASIC)
    assert_error(r, 405, "HttpResponseException", "does not support http method 'GET'")


def test_agent_without_credentials_401(client: httpx.Client) -> None:
    r = client.post(AGENT + "GetProjectEntity", params={"projectEntityId": 421})
    assert_error(r, 401, "UnauthorizedAccessException")


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": f"SOTicket {TICKET}", "SO-AppToken": APP_TOKEN}, BEARER],
    ids=["ticket", "bearer"],
)
def test_agent_online_tenant_with_ticket_and_bearer(client: httpx.Client, headers: dict[str, str]) -> None:
    r = client.post(ONLINE_AGENT + "GetProjectEntity", params={"projectEntityId": 1}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["Name"] == "Example: Internal project"

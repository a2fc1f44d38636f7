"""createProject, getProject and getType (vendor facts C2) with their documented codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from .conftest import CREATE, GET, GET_TYPE, assert_result, login

EditState = Callable[[Callable[[dict[str, Any]], None]], None]
BAD = "Entry parameter missing or parameter bindigs failed"
NEW = {
    "Code": "CODE 2001",
    "Name": "New project",
    "Type": "Internal",
    "SuperiorProjectCode": "CODE 1001",
    "PersonIDInCharge": "X0004",
    "PlannedFrom": "/Date(1546326000000)/",
    "Code2": "ALT-2001",
}


def _create(client: httpx.Client, token: str, body: dict[str, Any]) -> httpx.Response:
    return client.post(CREATE, params={"Token": token}, json=body)


# createProject ------------------------------------------------------------------------------------
def test_createProject_creates_and_getProject_finds_it(client: httpx.Client, token: str) -> None:
    r = _create(client, token, NEW)
    assert_result(r, 200, 0, "Processed with result: ExecOK")
    assert r.json()["Request"]["Code"] == "CODE 2001"
    got = client.get(GET, params={"Code": "code 2001", "Token": token})
    item = got.json()["Request"][0]
    assert item["Name"] == "New project"
    assert item["PlannedFrom"] == "/Date(1546326000000)/"
    assert item["SuperiorProjectCode"] == "CODE 1001"


def test_createProject_name_and_type_required_400_1002(client: httpx.Client, token: str) -> None:
    r = _create(client, token, {"Code": "CODE 2002"})
    res = assert_result(r, 400, 1002, BAD)
    assert sorted(res["ModelStateErr"]) == ["The Name field is required.", "The Type field is required."]


def test_createProject_missing_code_and_long_name_400_1002(client: httpx.Client, token: str) -> None:
    r = _create(client, token, {"Name": "n" * 101, "Type": "Internal"})
    res = assert_result(r, 400, 1002, BAD)
    assert sorted(res["ModelStateErr"]) == [
        "The Code field is required.",
        "The field Name must be a string with a maximum length of 100.",
    ]


def test_createProject_existing_code_duplicity_403_3(client: httpx.Client, token: str) -> None:
    r = _create(client, token, {**NEW, "Code": "code 1001", "Code2": None})
    assert_result(r, 403, 3, "Db operation failed, Record duplicity")


def test_createProject_taken_code2_duplicity_403_3(client: httpx.Client, token: str) -> None:
    r = _create(client, token, {**NEW, "Code2": "ALT-1002"})
    assert_result(r, 403, 3, "Db operation failed, Record duplicity")


def test_createProject_unknown_type_404_1261(client: httpx.Client, token: str) -> None:
    r = _create(client, token, {**NEW, "Type": "Nope"})
    assert_result(r, 404, 1261, "Project type [Nope] not found")


def test_createProject_unknown_superior_404_1281(client: httpx.Client, token: str) -> None:
    r = _create(client, token, {**NEW, "SuperiorProjectCode": "NOPE"})
    assert_result(r, 404, 1281, "Project [NOPE] not found")


def test_createProject_unknown_person_404_1100(client: httpx.Client, token: str) -> None:
    r = _create(client, token, {**NEW, "PersonIDResolver": "X0404"})
    assert_result(r, 404, 1100, "PersonId [X0404] not found")


def test_createProject_without_new_privilege_403_1(client: httpx.Client) -> None:
    tok = login(client, "Eva.Viewer")
    assert_result(_create(client, tok, NEW), 403, 1, "Db operation failed, agenda missing priviliges")


def test_createProject_licence_violation_403_8(client: httpx.Client, edit_state: EditState) -> None:
    edit_state(lambda s: s["tenants"]["default"]["licence"].update(agendas=[]))
    tok = login(client)
    assert_result(_create(client, tok, NEW), 403, 8, "Db operation failed, licence violation")


def test_createProject_xml_body(client: httpx.Client, token: str) -> None:
    xml = (
        "<Request><Code>CODE 2003</Code><Name>XML project</Name><Type>Internal</Type>"
        "<PlannedFrom>2019-07-01T10:00:00</PlannedFrom></Request>"
    )
    r = client.post(CREATE, params={"Token": token}, content=xml, headers={"Content-Type": "application/xml"})
    assert r.status_code == 200, r.text
    assert "<PlannedFrom>2019-07-01T10:00:00</PlannedFrom>" in r.text
    got = client.get(GET, params={"Code": "CODE 2003", "Token": token}).json()
    assert got["Request"][0]["PlannedFrom"] == "/Date(1561968000000)/"  # 10:00 CEST = 08:00 UTC


def test_createProject_expired_token_401_1001(client: httpx.Client, token: str) -> None:
    client.post("/__emulator/clock", json={"advance_seconds": 21})
    assert_result(_create(client, token, NEW), 401, 1001, f"Token {token} already expired")


# getProject ----------------------------------------------------------------------------------------
def test_getProject_returns_the_project(client: httpx.Client, token: str) -> None:
    r = client.get(GET, params={"Code": "CODE 1002", "Token": token})
    assert_result(r, 200, 0, "Successfully done")
    item = r.json()["Request"][0]
    assert item["Code2"] == "ALT-1002"
    assert item["SuperiorProjectCode"] == "CODE 1001"
    assert '"PlannedFrom":"\\/Date(1546326000000)\\/"' in r.text


def test_getProject_paging(client: httpx.Client, token: str) -> None:
    one = client.get(GET, params={"Code": "CODE 1002", "Token": token, "PageNumber": 1, "PageSize": 10})
    assert len(one.json()["Request"]) == 1
    two = client.get(GET, params={"Code": "CODE 1002", "Token": token, "PageNumber": 2, "PageSize": 10})
    assert_result(two, 200, 0, "Successfully done")
    assert two.json()["Request"] == []


def test_getProject_xml(client: httpx.Client, token: str) -> None:
    r = client.get(GET, params={"Code": "CODE 1002", "Token": token}, headers={"Accept": "application/xml"})
    assert r.headers["content-type"].startswith("application/xml")
    assert "<PersonIDResolver" not in r.text  # null: omitted
    assert "<ProjectGetResp><Code>CODE 1002</Code>" in r.text
    assert "<PlannedFrom>2019-01-01T08:00:00</PlannedFrom>" in r.text


def test_getProject_not_found_404_1281(client: httpx.Client, token: str) -> None:
    r = client.get(GET, params={"Code": "CODE 9", "Token": token})
    assert_result(r, 404, 1281, "Project code [CODE 9] not found")
    assert r.json()["Request"] is None


def test_getProject_deleted_project_404_1281(client: httpx.Client, token: str) -> None:
    r = client.get(GET, params={"Code": "CODE 1005", "Token": token})
    assert_result(r, 404, 1281, "Project code [CODE 1005] not found")


def test_getProject_record_permission_view_403_1297(client: httpx.Client) -> None:
    tok = login(client, "Eva.Viewer")
    assert client.get(GET, params={"Code": "CODE 1001", "Token": tok}).status_code == 200
    r = client.get(GET, params={"Code": "CODE 1003", "Token": tok})
    assert_result(r, 403, 1297, "Record permission View of agenda Projects violated for [CODE 1003]")


def test_getProject_no_view_privilege_403_1280(client: httpx.Client, edit_state: EditState) -> None:
    edit_state(lambda s: s["global"]["users"]["John.Doo"]["privileges"].update(Projects=[]))
    tok = login(client)
    r = client.get(GET, params={"Code": "CODE 1001", "Token": tok})
    assert_result(r, 403, 1280, "Privilege View of agenda Projects violated for [John.Doo]")


def test_getProject_missing_code_400_1002(client: httpx.Client, token: str) -> None:
    r = client.get(GET, params={"Token": token})
    assert assert_result(r, 400, 1002, BAD)["ModelStateErr"] == ["The Code field is required."]


def test_getProject_bad_page_number_400_1002(client: httpx.Client, token: str) -> None:
    r = client.get(GET, params={"Code": "CODE 1001", "Token": token, "PageNumber": "abc", "pagesize": "-1"})
    res = assert_result(r, 400, 1002, BAD)
    assert sorted(res["ModelStateErr"]) == [
        "The value '-1' is not valid for PageSize.",
        "The value 'abc' is not valid for PageNumber.",
    ]


def test_getProject_unknown_token_401_1000(client: httpx.Client) -> None:
    r = client.get(GET, params={"Code": "CODE 1001", "Token": "nonsense"})
    assert_result(r, 401, 1000, "Token nonsense not found")


def test_getProject_ignores_body_content_type(client: httpx.Client, token: str) -> None:
    r = client.request(
        "GET", GET, params={"Code": "CODE 1001", "Token": token}, content=b"x", headers={"Content-Type": "text/plain"}
    )
    assert r.status_code == 200


# getType --------------------------------------------------------------------------------------------
def test_getType_returns_the_type(client: httpx.Client, token: str) -> None:
    r = client.get(GET_TYPE, params={"Name": "name of the project type 1001", "Token": token})
    assert_result(r, 200, 0, "Successfully done")
    assert r.json()["Request"] == {
        "Name": "Name of the project Type 1001",
        "Description": "Project type used by the help page's samples",
        "TimeLastChange": "/Date(1546300800000)/",
    }


def test_getType_not_found_404_1261(client: httpx.Client, token: str) -> None:
    r = client.get(GET_TYPE, params={"Name": "Nope", "Token": token})
    assert_result(r, 404, 1261, "ProjectType [Nope] not found")


def test_getType_no_view_privilege_403_1260(client: httpx.Client, edit_state: EditState) -> None:
    edit_state(lambda s: s["global"]["users"]["John.Doo"]["privileges"].pop("Projects.Project types"))
    tok = login(client)
    r = client.get(GET_TYPE, params={"Name": "Internal", "Token": tok})
    assert_result(r, 403, 1260, "Privilege View of agenda Projects.Project types violated")


def test_getType_record_permission_403_1269(client: httpx.Client, edit_state: EditState) -> None:
    edit_state(
        lambda s: s["global"]["users"]["John.Doo"].update(
            record_permissions={"Projects.Project types": {"View": ["Internal"]}}
        )
    )
    tok = login(client)
    assert client.get(GET_TYPE, params={"Name": "Internal", "Token": tok}).status_code == 200
    r = client.get(GET_TYPE, params={"Name": "Name of the project Type 1001", "Token": tok})
    msg = "Record permission View of agenda Projects.Project types violated for [Name of the project Type 1001]"
    assert_result(r, 403, 1269, msg)


def test_getType_missing_name_400_1002(client: httpx.Client, token: str) -> None:
    r = client.get(GET_TYPE, params={"Token": token})
    assert assert_result(r, 400, 1002, BAD)["ModelStateErr"] == ["The Name field is required."]


def test_getType_injected_500(client: httpx.Client, token: str) -> None:
    client.post("/__emulator/faults", json={"operation": "getType", "status": 500})
    r = client.get(GET_TYPE, params={"Name": "Internal", "Token": token})
    assert r.status_code == 500
    assert r.json()["Result"]["Code"] == 500


def test_getProject_query_names_are_case_insensitive(client: httpx.Client, token: str) -> None:
    r = client.get("/AktionNEXT/API/PROJECT/getproject", params={"code": "CODE 1001", "TOKEN": token, "pagenumber": 1})
    assert_result(r, 200, 0, "Successfully done")
    assert r.json()["Request"][0]["Code"] == "CODE 1001"


def test_getType_lowercase_name_param(client: httpx.Client, token: str) -> None:
    r = client.get(GET_TYPE, params={"name": "Internal", "token": token})
    assert_result(r, 200, 0, "Successfully done")


def test_getProject_page_number_echoed_as_sent_400_1002(client: httpx.Client, token: str) -> None:
    """Whatever text PageNumber carried comes back quoted, dict-like or not (the client wrote it)."""
    r = client.get(GET, params={"Code": "CODE 1001", "Token": token, "PageNumber": "{'': 'null'}"})
    res = assert_result(r, 400, 1002, BAD)
    assert res["ModelStateErr"] == ["The value '{'': 'null'}' is not valid for PageNumber."]

"""updateProject: every row of the seed's result table, each with a real trigger."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from .conftest import UPDATE, assert_result, client_from, login, update

EditState = Callable[[Callable[[dict[str, Any]], None]], None]
BAD = "Entry parameter missing or parameter bindigs failed"
XML_H = {"Content-Type": "application/xml"}


def _user(state: dict[str, Any], name: str) -> dict[str, Any]:
    users: dict[str, Any] = state["global"]["users"]
    return users[name]


def _projects(state: dict[str, Any]) -> dict[str, Any]:
    return state["tenants"]["default"]["projects"]


# 400 / 1002 ---------------------------------------------------------------------------------------
def test_updateProject_missing_code_400_1002(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Name": "x"})
    res = assert_result(r, 400, 1002, BAD)
    assert res["ModelStateErr"] == ["The Code field is required."]
    assert r.json()["Request"]["Name"] == "x"  # the bound request is echoed


def test_updateProject_empty_code_400_1002(client: httpx.Client, token: str) -> None:
    for code in ("", "   ", None):
        r = update(client, token, {"Code": code})
        assert assert_result(r, 400, 1002, BAD)["ModelStateErr"] == ["The Code field is required."]


def test_updateProject_string_too_long_400_1002(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "Shortcut": "X" * 11, "PostalCode": "9" * 31})
    res = assert_result(r, 400, 1002, BAD)
    assert sorted(res["ModelStateErr"]) == [
        "The field PostalCode must be a string with a maximum length of 30.",
        "The field Shortcut must be a string with a maximum length of 10.",
    ]


def test_updateProject_length_limits_are_inclusive(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "Shortcut": "X" * 10, "Description": "d" * 4000})
    assert r.status_code == 200, r.text


def test_updateProject_malformed_date_400_1002(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "PlannedFrom": "01.01.2019"})
    res = assert_result(r, 400, 1002, BAD)
    assert res["ModelStateErr"] == ["Could not convert string to DateTime: 01.01.2019. Path 'PlannedFrom'."]


def test_updateProject_impossible_calendar_date_400_1002(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "Closed": "2019-02-30T08:00:00"})
    res = assert_result(r, 400, 1002, BAD)
    assert res["ModelStateErr"] == ["Could not convert string to DateTime: 2019-02-30T08:00:00. Path 'Closed'."]


def test_updateProject_malformed_xml_date_400_1002(client: httpx.Client, token: str) -> None:
    xml = "<Request><Code>CODE 1001</Code><Started>tomorrow</Started></Request>"
    r = client.post(UPDATE, params={"Token": token}, content=xml, headers=XML_H)
    assert r.headers["content-type"].startswith("application/xml")
    assert r.status_code == 400
    assert "<Code>1002</Code>" in r.text
    msg = "The string 'tomorrow' is not a valid AllXsd value."
    assert f"<ModelStateErr><string>{msg}</string></ModelStateErr>" in r.text


def test_updateProject_lists_every_problem(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Name": "n" * 101, "PlannedTo": "later", "Started": 5, "City": {"a": 1}})
    res = assert_result(r, 400, 1002, BAD)
    assert sorted(res["ModelStateErr"]) == sorted(
        [
            "The Code field is required.",
            "The field Name must be a string with a maximum length of 100.",
            "Could not convert string to DateTime: later. Path 'PlannedTo'.",
            "Error reading date. Unexpected token: Integer. Path 'Started'.",
            "Error reading string. Unexpected token: StartObject. Path 'City'.",
        ]
    )


def test_updateProject_malformed_json_400_1002(client: httpx.Client, token: str) -> None:
    r = client.post(
        UPDATE, params={"Token": token}, content=b'{"Code": "CODE 1001",', headers={"Content-Type": "application/json"}
    )
    res = assert_result(r, 400, 1002, BAD)
    assert res["ModelStateErr"] == ["Unexpected end when reading JSON. Path '', line 1, position 21."]


def test_updateProject_json_array_body_400_1002(client: httpx.Client, token: str) -> None:
    r = client.post(UPDATE, params={"Token": token}, json=[{"Code": "CODE 1001"}])
    res = assert_result(r, 400, 1002, BAD)
    assert res["ModelStateErr"][0].startswith("Cannot deserialize the current JSON array")


def test_updateProject_empty_body_400_1002(client: httpx.Client, token: str) -> None:
    r = client.post(UPDATE, params={"Token": token}, content=b"", headers={"Content-Type": "application/json"})
    assert assert_result(r, 400, 1002, BAD)["ModelStateErr"] == ["A non-empty request body is required."]


def test_updateProject_xml_wrong_root_400_1002(client: httpx.Client, token: str) -> None:
    xml = "<ProjectUpdateReq><Code>CODE 1001</Code></ProjectUpdateReq>"
    r = client.post(UPDATE, params={"Token": token}, content=xml, headers={**XML_H, "Accept": "application/json"})
    res = assert_result(r, 400, 1002, BAD)
    assert res["ModelStateErr"] == ["<ProjectUpdateReq xmlns=''> was not expected."]


def test_updateProject_broken_xml_400_1002(client: httpx.Client, token: str) -> None:
    r = client.post(UPDATE, params={"Token": token}, content="<Request><Code>", headers=XML_H)
    assert r.status_code == 400
    assert "There is an error in XML document" in r.text


# 401 -----------------------------------------------------------------------------------------------
def test_updateProject_unknown_token_401_1000(client: httpx.Client) -> None:
    tok = "0f8fad5b-d9cb-469f-a165-70867728950e"
    r = update(client, tok, {"Code": "CODE 1001"})
    assert_result(r, 401, 1000, f"Token {tok} not found")
    assert r.json()["Request"] is None


def test_updateProject_missing_token_401_1000(client: httpx.Client) -> None:
    r = client.post(UPDATE, json={"Code": "CODE 1001"})
    assert_result(r, 401, 1000, "Token  not found")


def test_updateProject_expired_token_401_1001(client: httpx.Client, token: str) -> None:
    client.post("/__emulator/clock", json={"advance_seconds": 21})
    r = update(client, token, {"Code": "CODE 1001"})
    assert_result(r, 401, 1001, f"Token {token} already expired")


def test_updateProject_token_still_valid_at_19_seconds(client: httpx.Client) -> None:
    client.post("/__emulator/clock", json={"freeze": True})
    tok = login(client)
    client.post("/__emulator/clock", json={"advance_seconds": 19})
    assert update(client, tok, {"Code": "CODE 1001", "City": "Tabor"}).status_code == 200
    client.post("/__emulator/clock", json={"advance_seconds": 1})
    assert_result(update(client, tok, {"Code": "CODE 1001"}), 401, 1001, f"Token {tok} already expired")


def test_updateProject_ip_filter_violated_401_1006(client: httpx.Client) -> None:
    tok = login(client, "Office.Only")  # login itself is not IP-filtered
    r = update(client, tok, {"Code": "CODE 1001"})
    assert_result(r, 401, 1006, "Ip filter violated for ip client address [127.0.0.1]")


def test_updateProject_ip_filter_allows_listed_addresses(app: Any) -> None:
    for ip in ("10.20.3.4", "192.168.1.15"):
        with client_from(app, ip) as office:
            tok = login(office, "Office.Only")
            r = update(office, tok, {"Code": "CODE 1001", "City": f"City {ip}"})
            assert r.status_code == 200, r.text
    with client_from(app, "192.168.1.21") as outside:
        tok = login(outside, "Office.Only")
        r = update(outside, tok, {"Code": "CODE 1001"})
        assert_result(r, 401, 1006, "Ip filter violated for ip client address [192.168.1.21]")


def test_updateProject_ip_filter_unparsable_401_1007(client: httpx.Client, edit_state: EditState) -> None:
    edit_state(lambda s: _user(s, "John.Doo").update(ip_filter="127.0.0.300; office"))
    tok = login(client)
    r = update(client, tok, {"Code": "CODE 1001"})
    assert_result(r, 401, 1007, "Ip filter [127.0.0.300; office] parsing failed")


def test_updateProject_rate_policy_violated_401_1008(client: httpx.Client, edit_state: EditState) -> None:
    client.post("/__emulator/clock", json={"freeze": True})
    edit_state(lambda s: _user(s, "John.Doo").update(rate_policy={"requests": 2, "per_seconds": 10}))
    tok = login(client)
    assert update(client, tok, {"Code": "CODE 1001"}).status_code == 202
    assert update(client, tok, {"Code": "CODE 1001"}).status_code == 202
    r = update(client, tok, {"Code": "CODE 1001"})
    assert_result(r, 401, 1008, "Request rate policy violated for [John.Doo]")
    client.post("/__emulator/clock", json={"advance_seconds": 11})
    assert update(client, tok, {"Code": "CODE 1001"}).status_code == 202


# 403 -----------------------------------------------------------------------------------------------
def test_updateProject_no_edit_privilege_on_project_types_403_1289(client: httpx.Client) -> None:
    tok = login(client, "Eva.Viewer")
    r = update(client, tok, {"Code": "CODE 1001", "City": "x"})
    assert_result(r, 403, 1289, "Privilege Edit of agenda Projects.Project types violated for [Eva.Viewer]")


def test_updateProject_record_permission_edit_403_1296(client: httpx.Client, edit_state: EditState) -> None:
    edit_state(lambda s: _user(s, "John.Doo").update(record_permissions={"Projects": {"Edit": ["CODE 1002"]}}))
    tok = login(client)
    r = update(client, tok, {"Code": "CODE 1001", "City": "x"})
    assert_result(r, 403, 1296, "Record permission Edit of agenda Projects violated for [CODE 1001]")
    assert update(client, tok, {"Code": "CODE 1002", "City": "x"}).status_code == 200


def test_updateProject_agenda_privilege_403_1(client: httpx.Client, edit_state: EditState) -> None:
    edit_state(lambda s: _user(s, "John.Doo")["privileges"].update(Projects=["View"]))
    tok = login(client)
    assert_result(
        update(client, tok, {"Code": "CODE 1001", "City": "x"}),
        403,
        1,
        "Db operation failed, agenda missing priviliges",
    )


def test_updateProject_record_privilege_in_database_403_2(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1003", "City": "x"})
    assert_result(r, 403, 2, "Db operation failed, record missing priviliges")


def test_updateProject_code2_duplicity_403_3(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "Code2": "alt-1002"})
    assert_result(r, 403, 3, "Db operation failed, Record duplicity")


def test_updateProject_changed_by_another_user_403_4(client: httpx.Client) -> None:
    client.post("/__emulator/clock", json={"freeze": True})
    johns = login(client)
    client.post("/__emulator/clock", json={"advance_seconds": 1})
    janes = login(client, "Jane.Doe")
    assert update(client, janes, {"Code": "CODE 1001", "City": "Jane's city"}).status_code == 200
    r = update(client, johns, {"Code": "CODE 1001", "City": "John's city"})
    assert_result(r, 403, 4, "Db operation failed, already changed by another user")
    fresh = login(client)  # a token issued after Jane's change sees her version
    assert update(client, fresh, {"Code": "CODE 1001", "City": "John's city"}).status_code == 200


def test_updateProject_token_issued_in_the_instant_of_a_change_403_4_not_raised(client: httpx.Client) -> None:
    """A token issued in the same instant as another user's change (frozen clock) sees that change, also
    when the instant's fraction rounds up to the next millisecond (datetime keeps microseconds)."""
    client.post("/__emulator/clock", json={"set": "2026-01-01T00:00:00Z", "freeze": True})
    client.post("/__emulator/clock", json={"advance_seconds": 0.9999996})  # .9999995..: rounds up to .000000
    janes = login(client, "Jane.Doe")
    assert update(client, janes, {"Code": "CODE 1001", "City": "Jane's city"}).status_code == 200
    fresh = login(client)
    assert update(client, fresh, {"Code": "CODE 1001", "City": "John's city"}).status_code == 200


def test_updateProject_own_changes_do_not_conflict(client: httpx.Client, token: str) -> None:
    assert update(client, token, {"Code": "CODE 1001", "City": "a"}).status_code == 200
    assert update(client, token, {"Code": "CODE 1001", "City": "b"}).status_code == 200


def test_updateProject_deleted_by_another_user_403_5(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1005", "City": "x"})
    assert_result(r, 403, 5, "Db operation failed, already deleted by another user")


def test_updateProject_superior_project_cycle_403_6(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "SuperiorProjectCode": "CODE 1002"})
    assert_result(r, 403, 6, "Db operation failed, database data consistence violation")
    r = update(client, token, {"Code": "CODE 1001", "SuperiorProjectCode": "CODE 1001"})
    assert_result(r, 403, 6, "Db operation failed, database data consistence violation")


def test_updateProject_other_db_problem_injected_403_7(client: httpx.Client, token: str) -> None:
    client.post("/__emulator/faults", json={"operation": "updateProject", "status": 403, "times": 1})
    r = update(client, token, {"Code": "CODE 1001", "City": "x"})
    assert_result(r, 403, 7, "Db operation failed, operation can not be executed because another problems occured")


def test_updateProject_licence_without_projects_403_8(client: httpx.Client, edit_state: EditState) -> None:
    edit_state(lambda s: s["tenants"]["default"]["licence"].update(agendas=["Attendance"]))
    tok = login(client)
    assert_result(
        update(client, tok, {"Code": "CODE 1001", "City": "x"}), 403, 8, "Db operation failed, licence violation"
    )


# 404 -----------------------------------------------------------------------------------------------
def test_updateProject_person_in_charge_not_found_404_1100(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "PersonIDInCharge": "X9999"})
    assert_result(r, 404, 1100, "PersonId [X9999] not found")


def test_updateProject_resolver_not_found_404_1100(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "PersonIDResolver": "Z1"})
    assert_result(r, 404, 1100, "PersonId [Z1] not found")


def test_updateProject_project_not_found_404_1281(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 9999"})
    assert_result(r, 404, 1281, "Project [CODE 9999] not found")


def test_updateProject_superior_project_not_found_404_1281(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "SuperiorProjectCode": "NOPE"})
    assert_result(r, 404, 1281, "Project [NOPE] not found")


def test_updateProject_project_type_not_found_404_1261(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "Type": "Unknown type"})
    assert_result(r, 404, 1261, "Project type [Unknown type] not found")


# 415 / 500 -------------------------------------------------------------------------------------------
def test_updateProject_unsupported_media_type_415(client: httpx.Client, token: str) -> None:
    for ct in ("text/plain", "application/x-www-form-urlencoded", "text/xml"):
        r = client.post(UPDATE, params={"Token": token}, content=b"Code=CODE+1001", headers={"Content-Type": ct})
        assert r.status_code == 415, ct
        assert r.json()["Result"]["Message"].endswith("Only application/json and application/xml are supported")


def test_updateProject_injected_500(client: httpx.Client, token: str) -> None:
    client.post("/__emulator/faults", json={"operation": "updateProject", "status": 500})
    r = update(client, token, {"Code": "CODE 1001"})
    assert r.status_code == 500
    assert r.json()["Result"]["Code"] == 500


def test_updateProject_injected_after_fault_keeps_the_write(client: httpx.Client, token: str) -> None:
    client.post("/__emulator/faults", json={"operation": "updateProject", "status": 500, "when": "after"})
    assert update(client, token, {"Code": "CODE 1001", "City": "Written"}).status_code == 500
    client.delete("/__emulator/faults", headers={"Content-Type": "application/json"})
    item = client.get("/api/project/getProject", params={"Code": "CODE 1001", "Token": token}).json()
    assert item["Request"][0]["City"] == "Written"

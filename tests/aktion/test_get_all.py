"""GET project/getAllProjects and project/getAllItems (vendor facts E5 and the getAllItems page beside it),
and actions "disabled by configuration" (the help pages' Availability line, C2.1 / E5)."""

from __future__ import annotations

import copy
from typing import Any
from xml.etree.ElementTree import fromstring

import httpx
import yaml

from emulators import build_app
from emulators.core.paths import fixtures_path
from emulators.testing.transport import client_for

from .conftest import KEYS, assert_result, login

ALL_PROJECTS = "/api/project/getAllProjects"
ALL_ITEMS = "/api/project/getAllItems"
ITEM_KEYS = ["Code", "Description", "Name", "Name2", "Shortcut", "Identifier", "Unit"]


def codes(r: httpx.Response, member: str = "Project") -> list[str]:
    assert r.status_code == 200, r.text
    return [p["Code"] for p in r.json()[member]]


def get_all(client: httpx.Client, token: str, path: str = ALL_PROJECTS, **params: Any) -> httpx.Response:
    return client.get(path, params={"Token": token, **params})


# getAllProjects ------------------------------------------------------------------------------------
def test_getAllProjects_E5_all_projects_without_paging(client: httpx.Client, token: str) -> None:
    """E5: omitted PageNumber = all records; the body is ProjectGetAllResp {Project: Collection}; deleted
    projects (CODE 1005) are not listed."""
    r = get_all(client, token)
    assert list(r.json()) == ["Project"]
    assert codes(r) == ["CODE 1001", "CODE 1002", "CODE 1003"]
    first = r.json()["Project"][0]
    assert first["Name"] == "Name of the project 1001" and first["TimeLastChange"] == "/Date(1546300800000)/"
    assert '"TimeLastChange":"\\/Date(1546300800000)\\/"' in r.text


def test_getAllProjects_E5_items_match_getProject(client: httpx.Client, token: str) -> None:
    one = client.get("/api/project/getProject", params={"Token": token, "Code": "CODE 1002"}).json()["Request"][0]
    listed = {p["Code"]: p for p in get_all(client, token).json()["Project"]}
    assert listed["CODE 1002"] == one


def test_getAllProjects_E5_pages(client: httpx.Client, token: str) -> None:
    """E5: PageNumber/PageSize page the list (1-based; 0 = the first page)."""
    assert codes(get_all(client, token, PageNumber=1, PageSize=2)) == ["CODE 1001", "CODE 1002"]
    assert codes(get_all(client, token, PageNumber=2, PageSize=2)) == ["CODE 1003"]
    assert codes(get_all(client, token, PageNumber=0, PageSize=2)) == ["CODE 1001", "CODE 1002"]
    assert codes(get_all(client, token, PageNumber=1)) == ["CODE 1001", "CODE 1002", "CODE 1003"]
    assert codes(get_all(client, token, PageSize=1)) == ["CODE 1001", "CODE 1002", "CODE 1003"]


def test_getAllProjects_E5_page_past_the_end_404_1281(client: httpx.Client, token: str) -> None:
    """E5: 404/1281 with the message "Project [{0}] not found" (the page's resource-string leak removed)."""
    r = get_all(client, token, PageNumber=3, PageSize=2)
    assert_result(r, 404, 1281, "Project [3] not found")
    assert r.json()["Request"] is None


def test_getAllProjects_E5_page_pattern_violated_400_1002(client: httpx.Client, token: str) -> None:
    """E5: PageNumber / PageSize match ([0-9]+); anything else is 400/1002."""
    for params in ({"PageNumber": "abc"}, {"PageSize": "-1"}, {"PageNumber": "1.5"}):
        r = get_all(client, token, **params)
        res = assert_result(r, 400, 1002, "Entry parameter missing or parameter bindigs failed")
        name, value = next(iter(params.items()))
        assert res["ModelStateErr"] == [f"The value '{value}' is not valid for {name}."]


def test_getAllProjects_E5_no_view_privilege_403_1280(client: httpx.Client) -> None:
    """E5: 403/1280 "Privilege View of agenda Projects violated for [{0}]", driven by the user's privileges."""
    r = get_all(client, login(client, "Petr.Items"))
    assert_result(r, 403, 1280, "Privilege View of agenda Projects violated for [Petr.Items]")


def test_getAllProjects_E5_record_permission_filters(client: httpx.Client) -> None:
    """E5: "Data may also be restricted by record permission View of agenda Projects": Eva sees her two."""
    assert codes(get_all(client, login(client, "Eva.Viewer"))) == ["CODE 1001", "CODE 1002"]


def test_getAllProjects_E5_unknown_token_401_1000(client: httpx.Client) -> None:
    r = get_all(client, "0f8fad5b-d9cb-469f-a165-70867728950e")
    assert_result(r, 401, 1000, "Token 0f8fad5b-d9cb-469f-a165-70867728950e not found")


def test_getAllProjects_E5_expired_token_401_1001(client: httpx.Client, token: str) -> None:
    client.post("/__emulator/clock", json={"advance_seconds": 21})
    assert_result(get_all(client, token), 401, 1001, f"Token {token} already expired")


def test_getAllProjects_E5_lists_a_created_project(client: httpx.Client, token: str) -> None:
    r = client.post(
        "/api/project/createProject",
        params={"Token": token},
        json={"Code": "CODE 0999", "Name": "New", "Type": "Internal"},
    )
    assert r.status_code == 200, r.text
    assert codes(get_all(client, token))[0] == "CODE 0999"


def test_getAllProjects_E5_xml(client: httpx.Client, token: str) -> None:
    r = client.get(
        ALL_PROJECTS, params={"Token": token, "PageNumber": 1, "PageSize": 1}, headers={"Accept": "application/xml"}
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    root = fromstring(r.text)
    assert root.tag == "Response"
    assert [el.tag for el in root] == ["Project"]
    assert [el.tag for el in root[0]] == ["ProjectGetResp"]
    assert root.findtext("Project/ProjectGetResp/Code") == "CODE 1001"


def test_getAllProjects_E5_self_hosted_prefix(client: httpx.Client, token: str) -> None:
    r = client.get("/AktionNEXT/API/project/GETALLPROJECTS", params={"token": token})
    assert codes(r) == ["CODE 1001", "CODE 1002", "CODE 1003"]


# getAllItems ---------------------------------------------------------------------------------------
def test_getAllItems_lists_fixture_items(client: httpx.Client, token: str) -> None:
    """getAllItems page (beside E5): every project item of the fixtures, as ProjectItemGetResp."""
    r = get_all(client, token, ALL_ITEMS)
    assert list(r.json()) == ["ProjectItem"]
    assert codes(r, "ProjectItem") == ["ITEM-01", "ITEM-02", "ITEM-03"]
    first = r.json()["ProjectItem"][0]
    assert list(first) == ITEM_KEYS
    assert first == {
        "Code": "ITEM-01",
        "Description": "Design work booked on projects",
        "Name": "Design",
        "Name2": "Návrh",
        "Shortcut": "DES",
        "Identifier": "P-DES",
        "Unit": 0,
    }


def test_getAllItems_pages_and_404_1241(client: httpx.Client, token: str) -> None:
    assert codes(get_all(client, token, ALL_ITEMS, PageNumber=2, PageSize=2), "ProjectItem") == ["ITEM-03"]
    r = get_all(client, token, ALL_ITEMS, PageNumber=5, PageSize=2)
    assert_result(r, 404, 1241, "ProjectItem [5] not found")


def test_getAllItems_no_view_privilege_403_1240(client: httpx.Client) -> None:
    """The page's 403/1240 "Privilege View of agenda Projects.Items violated for [{0}]"."""
    r = get_all(client, login(client, "Eva.Viewer"), ALL_ITEMS)
    assert_result(r, 403, 1240, "Privilege View of agenda Projects.Items violated for [Eva.Viewer]")


def test_getAllItems_record_permission_filters(client: httpx.Client) -> None:
    assert codes(get_all(client, login(client, "Jane.Doe"), ALL_ITEMS), "ProjectItem") == ["ITEM-01", "ITEM-03"]


def test_getAllItems_user_without_projects_view_still_sees_items(client: httpx.Client) -> None:
    token = login(client, "Petr.Items")
    assert codes(get_all(client, token, ALL_ITEMS), "ProjectItem") == ["ITEM-01", "ITEM-02", "ITEM-03"]


def test_getAllItems_unlicensed_agenda_403_1240(client: httpx.Client, token: str, edit_state: Any) -> None:
    def drop(state: dict[str, Any]) -> None:
        state["tenants"]["default"]["licence"]["agendas"].remove("Projects.Items")

    edit_state(drop)
    assert_result(
        get_all(client, token, ALL_ITEMS), 403, 1240, "Privilege View of agenda Projects.Items violated for [John.Doo]"
    )


def test_getAllItems_unknown_token_401_1000(client: httpx.Client) -> None:
    assert_result(
        get_all(client, "SCHEMATHESIS-INVALID-VALUE", ALL_ITEMS),
        401,
        1000,
        "Token SCHEMATHESIS-INVALID-VALUE not found",
    )


# disabled by configuration -------------------------------------------------------------------------
def _fixtures_with_disabled(*names: str) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(yaml.safe_load(fixtures_path("aktion").read_text(encoding="utf-8")))
    data["settings"]["disabled_actions"] = list(names)
    return data


def test_getAllItems_disabled_by_configuration_403() -> None:
    """C2.1 / E5 Availability "Method disabled by configuration": the fixture switch `settings.disabled_actions`
    makes the action answer 403 with that text (assumption: the vendor's answer was not read)."""
    with client_for(build_app("aktion", fixtures=_fixtures_with_disabled("getAllItems", "project/createProject"))) as c:
        token = login(c)
        for r in (
            get_all(c, token, ALL_ITEMS),
            c.post(
                "/api/project/createProject",
                params={"Token": token},
                json={"Code": "X", "Name": "X", "Type": "Internal"},
            ),
            c.get(ALL_ITEMS),
        ):  # no token: the configuration is checked first
            assert_result(r, 403, 403, "Method disabled by configuration")
            assert r.json()["Request"] is None
        assert get_all(c, token).status_code == 200  # other actions stay available


def test_getAllProjects_default_fixtures_enable_everything(client: httpx.Client, token: str) -> None:
    assert get_all(client, token).status_code == 200
    assert get_all(client, token, ALL_ITEMS).status_code == 200
    assert KEYS["Petr.Items"]


def test_fidelity_report_lists_issue13_aktion_routes() -> None:
    """`emulators fidelity` counts getAllProjects / getAllItems (E5) and the disabled-actions feature."""
    from emulators.fidelity import build_report

    rep = build_report("aktion")
    ops = {op.operation_id: op for op in rep.operations}
    for name in ("getAllProjects", "getAllItems"):
        assert ops[name].method == "GET" and ops[name].reason
        assert {it.name for it in ops[name].items if it.kind == "status"} == {"200", "400", "401", "403", "404", "500"}
    assert any("disabled by configuration" in f.name for f in rep.features)
    assert any(f.name.startswith("POST login → exactly") for f in rep.features)

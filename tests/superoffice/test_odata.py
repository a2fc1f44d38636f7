"""GET /api/v1/Project: the OData list over the stored projects (vendor-facts E7, FindProject columns)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from .conftest import APP_TOKEN, BASIC, ONLINE, ONSITE, TICKET, assert_error


def rows(client: httpx.Client, url: str = ONSITE, **params: Any) -> list[dict[str, Any]]:
    r = client.get(url, params=params, headers=BASIC)
    assert r.status_code == 200, r.text
    value: list[dict[str, Any]] = r.json()["value"]
    return value


def make(client: httpx.Client, **fields: Any) -> int:
    r = client.post(ONSITE, json=fields, headers=BASIC)
    assert r.status_code == 200, r.text
    return int(r.json()["ProjectId"])


@pytest.fixture
def three(client: httpx.Client) -> list[int]:
    return [
        make(
            client,
            Name="Alpha launch",
            ProjectNumber="A-1",
            EndDate="2026-03-01",
            ProjectType={"Id": 1},
            ProjectStatus={"Id": 2},
            Completed=True,
        ),
        make(
            client,
            Name="Beta rollout",
            ProjectNumber="B-2",
            EndDate="2026-05-15",
            ProjectType={"Id": 2},
            ProjectStatus={"Id": 1},
        ),
        make(
            client,
            Name="Gamma review",
            ProjectNumber="C-3",
            EndDate="2025-12-31",
            ProjectType={"Id": 1},
            ProjectStatus={"Id": 3},
            UserDefinedFields={"SuperOffice:1": "blue"},
        ),
    ]


def test_getAll_rows_carry_primary_key_entity_name_and_default_columns(client: httpx.Client) -> None:
    r = client.get(ONSITE, headers=BASIC)
    assert r.status_code == 200
    body = r.json()
    assert body["odata.metadata"] == "https://www.example.com/api/v1/archive$metadata"
    assert "odata.nextLink" not in body
    first = body["value"][0]
    assert list(first) == [
        "PrimaryKey",
        "EntityName",
        "projectId",
        "name",
        "number",
        "type",
        "status",
        "associateId",
        "endDate",
        "completed",
    ]
    assert first["PrimaryKey"] == first["projectId"] == 414 and first["EntityName"] == "project"
    assert first["name"] == "Website Redesign" and first["completed"] is True


def test_getAll_select_paths_and_json_safe(client: httpx.Client) -> None:
    got = rows(
        client, **{"$select": "name,projectAssociate/fullName,projectUdef/SuperOffice:1", "$filter": "projectId eq 421"}
    )
    assert got == [
        {
            "PrimaryKey": 421,
            "EntityName": "project",
            "name": "Botsford-Crona",
            "projectAssociate/fullName": "Romaine Kihn",
            "projectUdef/SuperOffice:1": "1821477592",
        }
    ]
    safe = rows(client, **{"$select": "projectUdef/SuperOffice:1", "$filter": "projectId eq 421", "$jsonSafe": "true"})
    assert safe[0]["projectUdef_SuperOffice_1"] == "1821477592"


def test_getAll_select_unknown_column_left_out(client: httpx.Client) -> None:
    got = rows(client, **{"$select": "name,noSuchColumn,Count(category):Footer", "$top": "1"})
    assert list(got[0]) == ["PrimaryKey", "EntityName", "name"]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ("number eq 'B-2'", ["Beta rollout"]),
        ("number ne 'B-2' and name contains 'a'", ["Alpha launch", "Gamma review"]),
        ("name begins 'gam'", ["Gamma review"]),
        ("name notBegins 'A' and name contains 'o'", ["Beta rollout"]),
        ("name is 'ALPHA LAUNCH'", ["Alpha launch"]),
        ("startswith(name, 'Be')", ["Beta rollout"]),
        ("endswith(name,'review')", ["Gamma review"]),
        ("substringof('launch', name)", ["Alpha launch"]),
        ("startswith(name,'Be') eq false and name contains 'a'", ["Alpha launch", "Gamma review"]),
        ("type oneOf (2)", ["Beta rollout"]),
        ("type eq 1 and status oneOf (2,3)", ["Alpha launch", "Gamma review"]),
        ("type contains 'intern'", ["Beta rollout"]),
        ("completed eq true", ["Alpha launch"]),
        ("endDate before '2026-1-1'", ["Gamma review"]),
        ("endDate after '2026-04-01'", ["Beta rollout"]),
        ("endDate dateBetween ('2026-03-01', '2026-05-15')", ["Alpha launch", "Beta rollout"]),
        ("endDate date '2026-03-01'", ["Alpha launch"]),
        ("name eq 'Beta rollout' or name eq 'Gamma review'", ["Beta rollout", "Gamma review"]),
        ("(name begins 'A' or name begins 'B') and completed eq false", ["Beta rollout"]),
        ("projectUdef/SuperOffice:1 eq 'blue'", ["Gamma review"]),
    ],
)
def test_getAll_filter_operators(client: httpx.Client, three: list[int], flt: str, expected: list[str]) -> None:
    got = rows(client, **{"$select": "name", "$filter": f"({flt}) and projectId ge {three[0]}"})
    assert [r["name"] for r in got] == expected


def test_getAll_filter_int_operators(client: httpx.Client, three: list[int]) -> None:
    a, b, c = three

    def ids(flt: str) -> list[int]:
        return [r["projectId"] for r in rows(client, **{"$select": "projectId", "$filter": flt})]

    assert ids(f"projectId between ({a}, {b})") == [a, b]
    assert ids(f"projectId gt {b}") == [c]
    assert ids("projectId le 414") == [414]
    assert ids(f"projectId lt {a} and projectId ne 414") == [421]


def test_getAll_filter_relative_dates_follow_the_clock(client: httpx.Client, three: list[int]) -> None:
    assert client.post("/__emulator/clock", json={"set": "2026-03-01T12:00:00Z", "freeze": True}).status_code == 200
    got = rows(client, **{"$select": "name", "$filter": f"endDate today and projectId ge {three[0]}"})
    assert [r["name"] for r in got] == ["Alpha launch"]
    got = rows(client, **{"$select": "name", "$filter": f"endDate thisYear and projectId ge {three[0]}"})
    assert [r["name"] for r in got] == ["Alpha launch", "Beta rollout"]
    got = rows(client, **{"$select": "name", "$filter": f"endDate beforeToday and projectId ge {three[0]}"})
    assert [r["name"] for r in got] == ["Gamma review"]


def test_getAll_filter_current_associate(client: httpx.Client, three: list[int]) -> None:
    got = rows(client, **{"$select": "projectId", "$filter": "associateId currentAssociate"})
    assert [r["projectId"] for r in got] == three  # created by tje0 (associate 5)


def test_getAll_order_by_top_skip_next_link(client: httpx.Client, three: list[int]) -> None:
    got = rows(client, **{"$select": "name", "$orderBy": "name desc", "$filter": f"projectId ge {three[0]}"})
    assert [r["name"] for r in got] == ["Gamma review", "Beta rollout", "Alpha launch"]
    r = client.get(ONSITE, params={"$select": "name", "$orderBy": "name", "$top": "2"}, headers=BASIC)
    body = r.json()
    assert [x["name"] for x in body["value"]] == ["Alpha launch", "Beta rollout"]
    nxt = body["odata.nextLink"]
    assert nxt.startswith("https://www.example.com/api/v1/Project?") and "$skip=2" in nxt and "$top=2" in nxt
    page2 = client.get(nxt, headers=BASIC).json()
    assert [x["name"] for x in page2["value"]] == ["Botsford-Crona", "Gamma review"]
    last = client.get(page2["odata.nextLink"], headers=BASIC).json()
    assert [x["name"] for x in last["value"]] == ["Website Redesign"] and "odata.nextLink" not in last


def test_getAll_mode_full_gives_display_and_raw_values(client: httpx.Client) -> None:
    got = rows(client, **{"$select": "type,name", "$filter": "projectId eq 421", "$mode": "Full"})
    assert got == [
        {
            "PrimaryKey": 421,
            "EntityName": "project",
            "StyleHint": "",
            "LinkHint": "nav=project&project_id=421",
            "TableRight": {"Mask": 1, "Reason": ""},
            "Column": {
                "type": {"RawValue": 982, "DisplayValue": "ullam", "LinkHint": "", "TooltipHint": "{project_id=421}"},
                "name": {
                    "RawValue": "Botsford-Crona",
                    "DisplayValue": "Botsford-Crona",
                    "LinkHint": "",
                    "TooltipHint": "{project_id=421}",
                },
            },
        }
    ]


def test_getAll_format_xml_overrides_accept(client: httpx.Client) -> None:
    r = client.get(
        ONSITE,
        params={"$select": "name,projectAssociate/fullName", "$format": "XML"},
        headers={**BASIC, "Accept": "application/json"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    assert r.text.startswith("<?xml") and "<name>Website Redesign</name>" in r.text


def test_getAll_online_tenant_has_its_own_projects(client: httpx.Client) -> None:
    r = client.get(
        ONLINE, params={"$select": "name"}, headers={"Authorization": f"SOTicket {TICKET}", "SO-AppToken": APP_TOKEN}
    )
    assert r.status_code == 200, r.text
    assert r.json()["value"] == [{"PrimaryKey": 1, "EntityName": "project", "name": "Example: Internal project"}]
    assert r.json()["odata.metadata"] == "https://www.example.com/Cust12345/api/v1/archive$metadata"


def test_getAll_superoffice_python_sdk_query_request(client: httpx.Client) -> None:
    """superoffice-python-sdk 0.2.8 `SuperOffice.query(entity, fields, filter, skip, top, format='json')` sends
    GET <base>/<cust>/api/v1/<entity> with params $select, $format=json, $filter, $skip, $top, encoded by
    requests (urlencode/quote_plus), and headers Authorization: SOTicket, SO-AppToken,
    Content-Type: application/json."""
    params: dict[str, Any] = {
        "$select": "projectId,name,number",
        "$format": "json",
        "$filter": "name begins 'Example'",
        "$top": 10,
    }
    url = f"{ONLINE}?{urlencode(params, doseq=True)}"
    assert "%24select=projectId%2Cname%2Cnumber" in url and "name+begins+%27Example%27" in url
    headers = {"Authorization": f"SOTicket {TICKET}", "SO-AppToken": APP_TOKEN, "Content-Type": "application/json"}
    r = client.get(url, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert r.json()["value"] == [
        {
            "PrimaryKey": 1,
            "EntityName": "project",
            "projectId": 1,
            "name": "Example: Internal project",
            "number": "10011",
        }
    ]


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        ("name eq", "Syntax error in $filter 'name eq': the expression ends too early."),
        ("name eq 'x' and", "the expression ends too early"),
        ("name frob 'x'", "Syntax error in $filter 'name frob 'x'' at position 6: unexpected 'frob'."),
        ("name eq 'unterminated", "Syntax error in $filter"),
        ("(name eq 'x'", "ends too early"),
        ("name eq bare", "unexpected 'bare'"),
        ("noSuchColumn eq 1", "Unknown column 'noSuchColumn' in $filter."),
        ("projectId eq 'abc'", "The value 'abc' given for column 'projectId' is not a valid integer."),
        ("endDate before 'soon'", "The value 'soon' given for column 'endDate' is not a valid date."),
        ("name before '2020-01-01'", "The operator 'before' cannot be used on the string column 'name'."),
        ("projectId between (1)", "The operator 'between' on column 'projectId' needs two values."),
        ("name today", "The operator 'today' cannot be used on the string column 'name'."),
        ("(" * 40 + "name eq 'x'" + ")" * 40, "The $filter expression is nested deeper than 32 brackets."),
        ("startswith(name, number)", "The function 'startswith' needs one column and one value."),
        ("name eq 'x' )", "at position 13: unexpected ')'."),
        ("this(endDate, week)", "Syntax error in $filter"),
    ],
)
def test_getAll_bad_filter_400(client: httpx.Client, flt: str, message: str) -> None:
    r = client.get(ONSITE, params={"$filter": flt}, headers=BASIC)
    assert_error(r, 400, "ArchiveException", message)


def test_getAll_bad_order_by_and_mode_400(client: httpx.Client) -> None:
    assert_error(
        client.get(ONSITE, params={"$orderBy": "nope desc"}, headers=BASIC),
        400,
        "ArchiveException",
        "Unknown column 'nope' in $orderBy.",
    )
    assert_error(
        client.get(ONSITE, params={"$orderBy": "name sideways"}, headers=BASIC),
        400,
        "ArchiveException",
        "The $orderBy term 'name sideways' is not valid.",
    )
    assert_error(
        client.get(ONSITE, params={"$mode": "Huge"}, headers=BASIC),
        400,
        "ArchiveException",
        "The value 'Huge' is not valid for $mode",
    )


def test_getAll_bad_top_400_in_model_binding_wording(client: httpx.Client) -> None:
    r = client.get(ONSITE, params={"$top": "many"}, headers=BASIC)
    body = assert_error(r, 400, "ArgumentException", "The value 'many' is not valid for $top.")
    assert "'integer'" not in body["ErrorMessage"]


def test_getAll_without_credentials_401(client: httpx.Client) -> None:
    assert_error(client.get(ONSITE), 401, "UnauthorizedAccessException")


def test_getAll_parameter_names_any_case_next_link_once(client: httpx.Client) -> None:
    r = client.get(f"{ONSITE}?$SELECT=name&$orderby=name desc&$TOP=1", headers=BASIC)
    assert r.status_code == 200
    body = r.json()
    assert body["value"] == [{"PrimaryKey": 414, "EntityName": "project", "name": "Website Redesign"}]
    nxt = body["odata.nextLink"]
    assert nxt.lower().count("select=") == 1 and nxt.lower().count("top=") == 1 and "$skip=1" in nxt
    assert client.get(nxt, headers=BASIC).json()["value"][0]["name"] == "Botsford-Crona"

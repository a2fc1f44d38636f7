"""GET /Projects (list), GET /Projects/{id}, GET /Projects/FieldInfo, POST /Projects."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from emulators.bouwsoft.fields import PROJECT_FIELDS

from .conftest import AUTH, error_of, project, set_clock


def listing(client: httpx.Client, **params: Any) -> httpx.Response:
    return client.get("/api/v1/Projects", params=params, headers=AUTH)


def ids(r: httpx.Response) -> list[int]:
    return [p["id"] for p in r.json()["Records"]]


def test_listProjects_all_fields_and_range(client: httpx.Client) -> None:
    r = listing(client)
    assert r.status_code == 200
    body = r.json()
    assert body["Content-Range"] == "0-2/3" and ids(r) == [3319, 3320, 3321]
    assert list(body["Records"][0]) == ["id", *(f.name for f in PROJECT_FIELDS)]


def test_listProjects_limit_and_nextid_pages(client: httpx.Client) -> None:
    first = listing(client, limit=2, sort="id")
    assert first.json()["Content-Range"] == "0-1/3" and ids(first) == [3319, 3320]
    second = listing(client, limit=2, sort="id", nextid=3320)
    assert second.json()["Content-Range"] == "2-2/3" and ids(second) == [3321]
    third = listing(client, limit=2, sort="id", nextid=3321)
    assert third.json() == {"Content-Range": "*/3", "Records": []}


def test_listProjects_empty_nextid_is_first_page(client: httpx.Client) -> None:
    assert ids(listing(client, nextid="", columns="")) == [3319, 3320, 3321]


def test_listProjects_sort_desc(client: httpx.Client) -> None:
    assert ids(listing(client, sort="unr desc")) == [3321, 3319, 3320]
    assert ids(listing(client, sort="-id")) == [3321, 3320, 3319]


def test_listProjects_filter_eq(client: httpx.Client) -> None:
    assert ids(listing(client, filter="unr eq 1350")) == [3321]
    assert ids(listing(client, filter="list eq 'ALGEMEEN' and approved eq true")) == [3319, 3321]
    assert ids(listing(client, filter="id gt 3319")) == [3320, 3321]


def test_listProjects_filter_free_text(client: httpx.Client) -> None:
    assert ids(listing(client, filter="'peeters'")) == [3320]


def test_listProjects_columns_selects_fields(client: httpx.Client) -> None:
    r = listing(client, columns="name,unr", limit=1)
    assert r.json()["Records"] == [{"id": 3319, "unr": 1349, "name": "Nieuwbouw kantoor Oostkamp"}]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"filter": "nofield eq 1"}, "Unknown field nofield"),
        ({"filter": "unr eq 'x'"}, "Invalid filter value for field unr (tpLong)"),
        ({"filter": "unr is 1"}, "Invalid filter 'unr is 1': expected 'field eq value'"),
        ({"filter": "unr eq 1 or unr eq 2"}, "Invalid filter value '1 or unr eq 2'"),
        ({"filter": "name eq 'a' or x"}, "Invalid filter: unexpected 'or x'"),
        ({"sort": "nofield"}, "Unknown field nofield"),
        ({"columns": "name,nofield"}, "Unknown field nofield"),
    ],
)
def test_listProjects_bad_query_400(client: httpx.Client, params: dict[str, str], message: str) -> None:
    r = listing(client, **params)
    assert r.status_code == 400
    assert error_of(r) == message


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "Invalid query parameter limit: 0 is less than the minimum of 1"),
        ({"limit": "x"}, "Invalid query parameter limit: 'x' is not of type 'integer'"),
        ({"nextid": "x"}, "Invalid query parameter nextid: 'x' is not of type 'integer', 'null'"),
    ],
)
def test_listProjects_bad_parameter_type_400(client: httpx.Client, params: dict[str, str], message: str) -> None:
    r = listing(client, **params)
    assert r.status_code == 400
    assert error_of(r) == message


def test_getProject_one_record(client: httpx.Client) -> None:
    r = client.get("/api/v1/Projects/3320", headers=AUTH, params={"columns": "name"})
    assert r.json() == {"Content-Range": "0-0/1", "Records": [{"id": 3320, "name": "Renovatie woning Peeters"}]}


def test_getProject_unknown_404(client: httpx.Client) -> None:
    r = client.get("/api/v1/Projects/1", headers=AUTH)
    assert r.status_code == 404
    assert error_of(r) == "There is no record that has the requested id"


def test_getProjectFieldInfo_whole_table(client: httpx.Client) -> None:
    r = client.get("/api/v1/Projects/FieldInfo/", headers=AUTH)
    assert r.status_code == 200
    rows = r.json()["Records"]
    assert len(rows) == 50 and r.json()["Content-Range"] == "0-49/50"
    assert rows[15] == {
        "fieldname": "client_addressid",
        "typeid": 1,
        "typename": "tpLong",
        "length": 0,
        "required": True,
        "writeable": True,
        "forcewrite": False,
        "link": "Addresses",
    }


def test_getProjectFieldInfo_requires_token_401(client: httpx.Client) -> None:
    r = client.get("/api/v1/Projects/FieldInfo")
    assert r.status_code == 401
    assert error_of(r) == "Missing or invalid Clientnr or AccessToken header"


def test_getProject_path_case_insensitive(client: httpx.Client) -> None:
    assert client.get("/api/v1/projects/3320", headers=AUTH).status_code == 200


# POST ---------------------------------------------------------------------------------------------
def test_createProject_201_record_changes(client: httpx.Client) -> None:
    set_clock(client, "2026-06-01T08:00:00Z")
    r = client.post(
        "/api/v1/Projects", headers=AUTH, params={"columns": "name='Nieuw project',client_addressid=3759,company_id=1"}
    )
    assert r.status_code == 201
    change = r.json()["RecordChanges"][0]
    assert change["id"] == 3322 and change["name"] == "Nieuw project" and change["client_name"] == "Jan Peeters"
    assert change["date_created"] == "2026-06-01" and change["ts_lastupdate"] == "2026-06-01 08:00:00"
    assert project(client, 3322)["company_name"] == "Bouwbedrijf Demo NV"


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ("name='x',company_id=1", "Field client_addressid is required"),
        ("name='x',client_addressid=3759", "Field company_id is required"),
        ("client_addressid=3759,company_id=77", "Field company_id: no record 77 in CompanyDetails"),
        ("client_addressid=3759,company_id=1,active=false", "Field active is not writeable"),
    ],
)
def test_createProject_rules_400_nothing_stored(client: httpx.Client, columns: str, message: str) -> None:
    r = client.post("/api/v1/Projects", headers=AUTH, params={"columns": columns})
    assert r.status_code == 400
    assert error_of(r) == message
    assert ids(listing(client)) == [3319, 3320, 3321]


def test_listProjects_filter_echoed_as_sent_400(client: httpx.Client) -> None:
    """The vendor quotes the filter back; `b` then reads `'b'` and is the client's text, not a bytes repr."""
    r = listing(client, filter="b")
    assert r.status_code == 400
    assert error_of(r) == "Invalid filter 'b': expected 'field eq value'"

"""Every example query of the vendor's OData pages (SuperOfficeDocs/superoffice-docs `docs/en/api/search/odata/`),
one table row each: the page, the documented expression, the same operator on a FindProject column, the rows.

The pages query the contact and appointment archives; the emulator serves project archives, so each row keeps the
documented operator and operand shape and names the Project column of the same type."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import BASIC, ONSITE, assert_error


def _make(client: httpx.Client, **fields: Any) -> int:
    r = client.post(ONSITE, json=fields, headers=BASIC)
    assert r.status_code == 200, r.text
    return int(r.json()["ProjectId"])


@pytest.fixture
def made(client: httpx.Client) -> int:
    assert client.post("/__emulator/clock", json={"set": "2020-05-20T12:00:00Z", "freeze": True}).status_code == 200
    first = _make(client, Name="Owl", EndDate="2020-05-28T15:00:00", Completed=True, ProjectType={"Id": 1})
    _make(client, Name="SuperOffice Software Limited", EndDate="2020-05-11", ProjectType={"Id": 2})
    _make(client, Name="Testing null Orgnr", EndDate="2020-06-02", ProjectType={"Id": 1})
    return first


# (page, documented expression, expression on the Project archive, expected names)
DOCUMENTED = [
    ("strings.md", "name begins 'S'", "name begins 'S'", ["SuperOffice Software Limited"]),
    ("strings.md", "name between ('A','S')", "name between ('A','S')", ["Owl"]),
    ("strings.md", "name contains 'Orgnr'", "name contains 'Orgnr'", ["Testing null Orgnr"]),
    ("strings.md", "name is 'Testing null Orgnr'", "name is 'Testing null Orgnr'", ["Testing null Orgnr"]),
    (
        "strings.md",
        "name isNot 'SuperOffice Software Limited'",
        "name isNot 'SuperOffice Software Limited'",
        ["Owl", "Testing null Orgnr"],
    ),
    ("strings.md", "name notBegins 'S'", "name notBegins 'S'", ["Owl", "Testing null Orgnr"]),
    (
        "strings.md",
        "name notContains 'Owl'",
        "name notContains 'Owl'",
        ["SuperOffice Software Limited", "Testing null Orgnr"],
    ),
    (
        "strings.md",
        "name in ('SuperOffice Software Limited', 'Owl')",
        "name in ('SuperOffice Software Limited', 'Owl')",
        ["Owl", "SuperOffice Software Limited"],
    ),
    ("numbers.md", "contactId = 5", "projectId = {first}", ["Owl"]),
    ("numbers.md", "contactId eq 2", "projectId eq {first}", ["Owl"]),
    ("numbers.md", "contactId equals 5", "projectId equals {first}", ["Owl"]),
    ("numbers.md", "contactId set 5", "projectId set {first}", ["Owl"]),
    ("numbers.md", "contactId ne 2", "projectId ne {first}", ["SuperOffice Software Limited", "Testing null Orgnr"]),
    ("numbers.md", "contactId lt 5", "projectId lt {second}", ["Owl"]),
    ("numbers.md", "contactId less 5", "projectId less {second}", ["Owl"]),
    ("numbers.md", "contactId gt 5", "projectId gt {second}", ["Testing null Orgnr"]),
    ("numbers.md", "contactId greater 5", "projectId greater {second}", ["Testing null Orgnr"]),
    ("numbers.md", "contactId unequals 5", "projectId unequals {second}", ["Owl", "Testing null Orgnr"]),
    ("date.md", "date before '2020-05-28'", "endDate before '2020-05-28'", ["SuperOffice Software Limited"]),
    ("date.md", "date after '2020-05-28'", "endDate after '2020-05-28'", ["Owl", "Testing null Orgnr"]),
    ("date.md", "date date '2020-05-28'", "endDate date '2020-05-28'", ["Owl"]),
    (
        "date.md",
        "date between ('2020-05-11','2020-05-31')",
        "endDate between ('2020-05-11','2020-05-31')",
        ["Owl", "SuperOffice Software Limited"],
    ),
    (
        "date.md",
        "date beforeOrEqual '2020-05-28'",
        "endDate beforeOrEqual '2020-05-28'",
        ["Owl", "SuperOffice Software Limited"],
    ),
    ("boolean.md", "hasInterests set true", "completed set true", ["Owl"]),
    ("boolean.md", "(set false)", "completed set false", ["SuperOffice Software Limited", "Testing null Orgnr"]),
    ("using-filters.md", "category oneOf (3)", "type oneOf (2)", ["SuperOffice Software Limited"]),
    ("using-filters.md", "beforeToday", "endDate beforeToday", ["SuperOffice Software Limited"]),
    ("using-filters.md", "afterOrEqual (dates)", "endDate afterOrEqual '2020-05-28'", ["Owl", "Testing null Orgnr"]),
    ("using-filters.md", "thisMonth", "endDate thisMonth", ["Owl", "SuperOffice Software Limited"]),
    ("using-filters.md", "completed eq true", "completed eq true", ["Owl"]),
]


@pytest.mark.parametrize(("page", "documented", "expression", "expected"), DOCUMENTED)
def test_getAll_documented_filter_example(
    client: httpx.Client, made: int, page: str, documented: str, expression: str, expected: list[str]
) -> None:
    flt = expression.format(first=made, second=made + 1)
    r = client.get(
        ONSITE,
        params={"$select": "name", "$filter": f"({flt}) and projectId ge {made}", "$orderBy": "name"},
        headers=BASIC,
    )
    assert r.status_code == 200, (page, documented, r.text)
    assert [row["name"] for row in r.json()["value"]] == expected, (page, documented)


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        ("completed contains 'x'", "The operator 'contains' cannot be used on the bool column 'completed'."),
        ("projectId begins '1'", "The operator 'begins' cannot be used on the int column 'projectId'."),
        ("name beforeOrEqual '2020-01-01'", "The operator 'beforeOrEqual' cannot be used on the string column 'name'."),
        ("completed between (1, 2)", "The operator 'between' cannot be used on the bool column 'completed'."),
        ("projectId set 'x'", "The value 'x' given for column 'projectId' is not a valid integer."),
    ],
)
def test_getAll_operator_refused_for_the_column_type_400(client: httpx.Client, flt: str, message: str) -> None:
    r = client.get(ONSITE, params={"$filter": flt}, headers=BASIC)
    assert_error(r, 400, "ArchiveException", message)

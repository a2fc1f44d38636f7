"""Dates at the ends of the .NET DateTime range (0001-01-01 .. 9999-12-31): `between` up to 9999-12-31, the named
periods and GET /Project/default with the clock at either end answer 200, never an overflow (500)."""

from __future__ import annotations

import httpx
import pytest

from .conftest import BASIC, ONSITE

PERIODS = [
    "today",
    "beforeToday",
    "afterToday",
    "lastWeek",
    "thisWeek",
    "nextWeek",
    "lastMonth",
    "thisMonth",
    "nextMonth",
    "lastQuarter",
    "thisQuarter",
    "nextQuarter",
    "thisHalf",
    "thisYear",
]


def _set_clock(client: httpx.Client, iso: str) -> None:
    assert client.post("/__emulator/clock", json={"set": iso, "freeze": True}).status_code == 200


def _make(client: httpx.Client, name: str, end: str) -> None:
    r = client.post(ONSITE, json={"Name": name, "EndDate": end}, headers=BASIC)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("op", ["between", "dateBetween"])
def test_getAll_filter_between_up_to_the_last_day_of_the_calendar(client: httpx.Client, op: str) -> None:
    _make(client, "Far end", "9999-12-31T10:00:00")
    _make(client, "Before range", "2019-06-01")
    r = client.get(
        ONSITE,
        params={"$select": "name", "$filter": f"endDate {op} ('2020-01-01','9999-12-31')"},
        headers=BASIC,
    )
    assert r.status_code == 200, r.text
    names = [row["name"] for row in r.json()["value"]]
    assert "Far end" in names and "Before range" not in names


@pytest.mark.parametrize(("archive", "expected"), [("Activities", [7002, 7001]), ("Guide", [7001])])
def test_activities_filter_between_up_to_the_last_day_of_the_calendar(
    client: httpx.Client, archive: str, expected: list[int]
) -> None:
    r = client.get(
        f"{ONSITE}/414/{archive}", params={"$filter": "date between ('2020-01-01','9999-12-31')"}, headers=BASIC
    )
    assert r.status_code == 200, r.text
    assert [row["PrimaryKey"] for row in r.json()["value"]] == expected


@pytest.mark.parametrize("clock", ["9999-12-29T10:00:00Z", "0001-01-02T10:00:00Z"])
@pytest.mark.parametrize("period", PERIODS)
def test_getAll_filter_named_period_at_the_ends_of_the_calendar(client: httpx.Client, clock: str, period: str) -> None:
    _set_clock(client, clock)
    r = client.get(ONSITE, params={"$filter": f"endDate {period}"}, headers=BASIC)
    assert r.status_code == 200, r.text
    assert r.json()["value"] == [] or all("PrimaryKey" in row for row in r.json()["value"])


def test_getAll_filter_this_year_at_the_last_day_finds_the_last_year(client: httpx.Client) -> None:
    _make(client, "Last year", "9999-12-31T23:59:59")
    _set_clock(client, "9999-12-29T10:00:00Z")
    for period in ("thisYear", "thisMonth", "thisQuarter", "thisHalf", "thisWeek", "afterToday"):
        r = client.get(ONSITE, params={"$select": "name", "$filter": f"endDate {period}"}, headers=BASIC)
        assert r.status_code == 200, r.text
        assert [row["name"] for row in r.json()["value"]] == ["Last year"], period


@pytest.mark.parametrize(
    ("clock", "end"), [("9999-12-29T10:00:00Z", "9999-12-31T23:59:59"), ("0001-01-02T10:00:00Z", "0001-02-01T10:00:00")]
)
def test_defaultProjectEntity_at_the_ends_of_the_calendar(client: httpx.Client, clock: str, end: str) -> None:
    _set_clock(client, clock)
    r = client.get(f"{ONSITE}/default", headers=BASIC)
    assert r.status_code == 200, r.text
    assert r.json()["EndDate"] == end

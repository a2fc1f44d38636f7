"""PUT /Projects/{id}: the columns rules from the field table, RecordChanges and derived fields."""

from __future__ import annotations

import httpx
import pytest

from .conftest import AUTH, error_of, project, put, set_clock


def test_updateProject_unknown_project_404(client: httpx.Client) -> None:
    r = put(client, "/999999", columns="name='x'")
    assert r.status_code == 404
    assert error_of(r) == "There is no record that has the requested id"


def test_updateProject_missing_columns_400(client: httpx.Client) -> None:
    r = put(client, "/3320")
    assert r.status_code == 400
    assert error_of(r) == "Invalid query parameter columns: 'columns' is a required property"


def test_updateProject_non_numeric_id_400(client: httpx.Client) -> None:
    r = put(client, "/abc", columns="name='x'")
    assert r.status_code == 400
    assert error_of(r) == "Invalid path parameter id: 'abc' is not of type 'integer'"


def test_updateProject_string_and_number_and_bool_stored(client: httpx.Client) -> None:
    set_clock(client, "2026-06-01T12:00:00Z")
    r = put(
        client,
        "/3320",
        columns="name='Nieuw, met komma',executiontime=30,iscostplusproject=True,completed=false,distance=12.5",
    )
    assert r.status_code == 200
    assert r.json() == {
        "RecordChanges": [
            {
                "id": 3320,
                "name": "Nieuw, met komma",
                "iscostplusproject": True,
                "executiontime": 30,
                "distance": 12.5,
                "ts_lastupdate": "2026-06-01 12:00:00",
            }
        ]
    }
    rec = project(client, 3320)
    assert rec["name"] == "Nieuw, met komma" and rec["executiontime"] == 30 and rec["iscostplusproject"] is True
    assert rec["ts_lastupdate"] == "2026-06-01 12:00:00"


def test_updateProject_doubled_quote_is_one_quote(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="name='''s-Gravenwezel: l''atelier'")
    assert r.status_code == 200
    assert project(client, 3320)["name"] == "'s-Gravenwezel: l'atelier"


def test_updateProject_percent_encoded_url(client: httpx.Client) -> None:
    url = "/api/v1/Projects/3320?columns=name%3D%27Caf%C3%A9%20%3D%20bar%2C%20ok%27%2Cunr%3D7"
    r = client.put(url, headers=AUTH)
    assert r.status_code == 200, r.text
    rec = project(client, 3320)
    assert rec["name"] == "Café = bar, ok" and rec["unr"] == 7


def test_updateProject_unchanged_value_not_reported(client: httpx.Client) -> None:
    before = project(client, 3320)
    r = put(client, "/3320", columns="name='Renovatie woning Peeters',countrycode='BE'")
    assert r.status_code == 200
    assert r.json() == {"RecordChanges": [{"id": 3320}]}
    assert project(client, 3320)["ts_lastupdate"] == before["ts_lastupdate"]


def test_updateProject_string_length_at_limit_200(client: httpx.Client) -> None:
    r = put(client, "/3320", columns=f"countrycode='NL',name='{'n' * 100}'")
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ("foo='x'", "Unknown field foo"),
        ("list='ALGEMEEN'", "Field list is not writeable"),
        ("approved=true", "Field approved is not writeable"),
        ("parent_id=3321", "Field parent_id is not writeable"),
        ("unr='12'", "Invalid value for field unr (tpLong): a whole number expected"),
        ("unr=1.5", "Invalid value for field unr (tpLong): a whole number expected"),
        ("unr=true", "Invalid value for field unr (tpLong): a whole number expected"),
        ("unr=2147483648", "Invalid value for field unr (tpLong): out of range"),
        ("zipcode=8200", "Invalid value for field zipcode (tpString): a quoted string expected"),
        ("completed='yes'", "Invalid value for field completed (tpBool): True or False expected"),
        ("completed=1", "Invalid value for field completed (tpBool): True or False expected"),
        ("distance='20'", "Invalid value for field distance (tpDouble): a number expected"),
        ("countrycode='BEL'", "Value for field countrycode is too long (maximum length is 2)"),
        (f"name='{'n' * 101}'", "Value for field name is too long (maximum length is 100)"),
        ("client_addressid=999", "Field client_addressid: no record 999 in Addresses"),
        ("company_id=0", "Field company_id: no record 0 in CompanyDetails"),
        ("name='a',name='b'", "Field name is given more than once"),
        ("name='unterminated", "Invalid columns parameter: unterminated string at position 6"),
        (
            "name=bare",
            "Invalid columns parameter: unquoted value 'bare' is neither a number nor a boolean at position 5",
        ),
        ("name='a',", "Invalid columns parameter: field name expected at position 9"),
        ("name", "Invalid columns parameter: '=' expected after name at position 4"),
        ("name='a' x", "Invalid columns parameter: ',' expected at position 9"),
        ("unr=", "Invalid columns parameter: missing value at position 4"),
        ("", "Invalid query parameter columns: '' should be non-empty"),
    ],
)
def test_updateProject_bad_columns_400_nothing_stored(client: httpx.Client, columns: str, message: str) -> None:
    before = project(client, 3320)
    r = put(client, "/3320", columns=columns)
    assert r.status_code == 400, r.text
    assert error_of(r) == message
    assert project(client, 3320) == before


def test_updateProject_one_bad_field_stores_nothing(client: httpx.Client) -> None:
    before = project(client, 3320)
    r = put(client, "/3320", columns="name='ok',unr='bad'")
    assert r.status_code == 400
    assert error_of(r) == "Invalid value for field unr (tpLong): a whole number expected"
    assert project(client, 3320) == before


def test_updateProject_field_names_case_insensitive(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="Name='Hoofdletters'")
    assert r.status_code == 200
    assert r.json()["RecordChanges"][0]["name"] == "Hoofdletters"


def test_updateProject_booleans_any_case(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="completed=True,rejected=TRUE,iscostplusproject=true")
    assert r.status_code == 200
    rec = project(client, 3320)
    assert rec["completed"] is rec["rejected"] is rec["iscostplusproject"] is True


# derived fields -------------------------------------------------------------------------------------
def test_updateProject_state_from_postal_table(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="zipcode='8490'")
    assert r.json()["RecordChanges"][0]["state"] == "West-vlaanderen"


def test_updateProject_state_from_province_range(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="zipcode='3600'")  # Genk: not in the table -> range 3500-3999
    assert r.json()["RecordChanges"][0]["state"] == "Limburg"


def test_updateProject_state_not_derived_outside_belgium(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="countrycode='NL',zipcode='8200'")
    assert "state" not in r.json()["RecordChanges"][0]
    assert project(client, 3320)["state"] == "Oost-Vlaanderen"


def test_updateProject_written_state_wins(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="zipcode='8200',state='Eigen'")
    assert r.json()["RecordChanges"][0]["state"] == "Eigen"


def test_updateProject_distance_postal_centroid_fallback(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="address='Onbekende straat 1',zipcode='8000'", calculateDistance="true")
    body = r.json()["RecordChanges"][0]
    assert isinstance(body["distance"], float) and round(body["distance"], 3) == body["distance"]
    assert 0 < body["distance"] < 20


def test_updateProject_distance_unchanged_without_calculate(client: httpx.Client) -> None:
    r = put(client, "/3321", columns="address='Gistelse steenweg 80',zipcode='8200',city='Brugge'")
    assert "distance" not in r.json()["RecordChanges"][0]
    assert project(client, 3321)["distance"] == 12.4


def test_updateProject_calculate_distance_invalid_value_400(client: httpx.Client) -> None:
    r = put(client, "/3321", columns="unr=1", calculateDistance="maybe")
    assert r.status_code == 400
    assert error_of(r) == "Invalid query parameter calculateDistance: 'maybe' is not of type 'boolean'"


def test_updateProject_client_addressid_derives_client_fields(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="client_addressid=3760")
    change = r.json()["RecordChanges"][0]
    assert change["client_addressid"] == 3760 and change["client_name"] == "Marie Claes"
    assert change["client_email"] == "marie.claes@example.be"


def test_updateProject_company_id_derives_company_name(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="company_id=2")
    assert r.json()["RecordChanges"][0]["company_name"] == "Demo Renovatie BV"


@pytest.mark.parametrize("value", ["1" * 400, "1" * 400 + ".5"])
def test_updateProject_huge_number_400(client: httpx.Client, value: str) -> None:
    r = put(client, "/3320", columns=f"distance={value}")
    assert r.status_code == 400
    assert error_of(r) == "Invalid value for field distance (tpDouble): a number expected"


def test_updateProject_absurdly_long_number_400(client: httpx.Client) -> None:
    r = put(client, "/3320", columns="distance=" + "9" * 5000)
    assert r.status_code == 400
    assert error_of(r) == "Invalid columns parameter: number too long at position 9"


def test_updateProject_parameter_names_case_insensitive(client: httpx.Client) -> None:
    r = client.put(
        "/api/v1/projects/3320",
        params={"Columns": "unr=9", "CALCULATEDISTANCE": "true"},
        headers={"CLIENTNR": "115", "accesstoken": AUTH["AccessToken"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["RecordChanges"][0]["unr"] == 9

"""The contract is valid OpenAPI 3.1 and its examples fit it; date/JSON/XML helpers; routing odds and ends."""

from __future__ import annotations

from typing import Any

import httpx
import yaml
from openapi_spec_validator import validate

from emulators.aktion import EMULATOR
from emulators.aktion.formats import parse_date, xml_date
from emulators.core.contract import Contract
from emulators.core.validation import compile_schema

from .conftest import seed_json_request, seed_json_response


def _contract() -> Contract:
    return Contract.load(EMULATOR.contract)


def test_contract_is_valid_openapi() -> None:
    with open(EMULATOR.contract, encoding="utf-8") as fh:
        validate(yaml.safe_load(fh))


def test_contract_operations_equal_handlers() -> None:
    assert set(_contract().operations) == set(EMULATOR.handlers)


def _examples(media: dict[str, Any]) -> list[Any]:
    out = [media["example"]] if "example" in media else []
    out += [e["value"] for e in (media.get("examples") or {}).values()]
    return out


def test_contract_examples_fit_their_schemas() -> None:
    checked = 0
    for op in _contract().operations.values():
        contents = [((op.raw.get("requestBody") or {}).get("content") or {})]
        contents += [(resp or {}).get("content") or {} for resp in op.raw["responses"].values()]
        for content in contents:
            for media in content.values():
                for example in _examples(media):
                    errors = compile_schema(media["schema"]).issues(example, "example")
                    assert not errors, (op.operation_id, errors[:3])
                    checked += 1
    assert checked >= 6


def test_contract_seed_samples_are_the_documented_examples() -> None:
    import json

    op = _contract().operations["updateProject"]
    req = op.raw["requestBody"]["content"]["application/json"]["examples"]["seed"]["value"]
    resp = op.raw["responses"]["200"]["content"]["application/json"]["examples"]["seed"]["value"]
    assert req == json.loads(seed_json_request())
    assert resp == json.loads(seed_json_response())


def test_fixtures_records_fit_the_project_schema() -> None:
    from emulators.aktion.binding import project_view

    with open(EMULATOR.fixtures, encoding="utf-8") as fh:
        fixtures = yaml.safe_load(fh)
    schema = _contract().operations["getProject"].responses["200"]["application/json"]
    assert schema is not None
    items = [project_view(p) for p in fixtures["tenants"]["default"]["projects"].values()]
    body = {"Result": {"Message": "Successfully done", "Code": 0, "ModelStateErr": None}, "Request": items}
    assert not compile_schema(schema).issues(body, "fixture")


# dates ------------------------------------------------------------------------------------------------
def test_dates_prague_winter_and_summer_time() -> None:
    assert parse_date("2019-01-01T08:00:00") == 1546326000000  # CET, UTC+1
    assert parse_date("2019-07-01T10:00:00") == 1561968000000  # CEST, UTC+2
    assert xml_date(1546326000000) == "2019-01-01T08:00:00"
    assert xml_date(1561968000000) == "2019-07-01T10:00:00"
    assert xml_date(1561968000000, utc=True) == "2019-07-01T08:00:00"


def test_dates_dst_switch_instants() -> None:
    # 2019-03-31 01:00 UTC: 02:00 CET becomes 03:00 CEST; 2019-10-27 01:00 UTC: back to CET
    assert xml_date(parse_date("2019-03-31T00:59:59Z") or 0) == "2019-03-31T01:59:59"
    assert xml_date(parse_date("2019-03-31T01:00:00Z") or 0) == "2019-03-31T03:00:00"
    assert xml_date(parse_date("2019-10-27T00:59:59Z") or 0) == "2019-10-27T02:59:59"
    assert xml_date(parse_date("2019-10-27T01:00:00Z") or 0) == "2019-10-27T02:00:00"


def test_dates_wire_forms() -> None:
    assert parse_date("/Date(1546326000000)/") == 1546326000000
    assert parse_date("/Date(1546326000000+0100)/") == 1546326000000
    assert parse_date("/Date(-1000)/") == -1000
    assert parse_date("2019-01-01T07:00:00+00:00") == 1546326000000
    assert parse_date("2019-01-01") == parse_date("2019-01-01T00:00:00")
    assert xml_date(-62135596800000, utc=True) == "0001-01-01T00:00:00"
    assert xml_date(253402300799999) == "9999-12-31T23:59:59"
    assert parse_date("0001-01-01T00:00:00") is None  # before DateTime.MinValue once in UTC
    for bad in ("/Date(abc)/", "2019-13-01T00:00:00", "/Date(999999999999999)/", "tomorrow"):
        assert parse_date(bad) is None


# routing ----------------------------------------------------------------------------------------------
def test_unknown_route_404_envelope(client: httpx.Client) -> None:
    r = client.get("/api/project/deleteProject")
    assert r.status_code == 404
    assert r.json()["Result"]["Code"] == 404


def test_wrong_method_405_envelope(client: httpx.Client) -> None:
    r = client.get("/api/login")
    assert r.status_code == 405
    assert r.json()["Result"]["Code"] == 405


def test_namespaces_are_isolated(client: httpx.Client, token: str) -> None:
    r = client.post("/__ns/other/api/project/updateProject", params={"Token": token}, json={"Code": "CODE 1001"})
    assert r.status_code == 401  # tokens belong to their namespace
    assert r.json()["Result"]["Code"] == 1000


def test_journal_records_operation_and_redacts_token(client: httpx.Client, token: str) -> None:
    client.post("/api/project/updateProject", params={"Token": token}, json={"Code": "CODE 1001"})
    entries = client.get("/__emulator/requests", params={"operation": "updateProject"}).json()["requests"]
    assert entries[-1]["status"] == 202
    assert token not in str(entries[-1]["query"])


def test_reset_restores_fixtures(client: httpx.Client, token: str) -> None:
    client.post("/api/project/updateProject", params={"Token": token}, json={"Code": "CODE 1001", "City": "X"})
    client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
    from .conftest import login

    tok = login(client)
    item = client.get("/api/project/getProject", params={"Code": "CODE 1001", "Token": tok}).json()["Request"][0]
    assert item["City"] == "City 1"


def test_state_load_rejects_malformed_users(client: httpx.Client) -> None:
    state = client.get("/__emulator/state").json()
    state["global"]["users"]["John.Doo"]["rate_policy"] = "fast"
    r = client.put("/__emulator/state", json=state)
    assert r.status_code == 400
    assert "rate_policy" in r.text


def test_state_load_rejects_a_date_as_text(client: httpx.Client) -> None:
    """One validation path (the fixture models): a stored date is integer milliseconds, never coerced."""
    state = client.get("/__emulator/state").json()
    state["tenants"]["default"]["projects"]["CODE 1001"]["PlannedFrom"] = "1700000000000"
    r = client.put("/__emulator/state", json=state)
    assert r.status_code == 400
    assert r.json()["issues"] == [
        {
            "location": "body",
            "name": "tenants.default.projects.CODE 1001.PlannedFrom",
            "message": "Input should be a valid integer (got '1700000000000')",
        }
    ]
    assert client.get("/__emulator/state").json()["tenants"]["default"]["projects"]["CODE 1001"]["PlannedFrom"] != (
        "1700000000000"
    )


def test_state_round_trip_keeps_working(client: httpx.Client, token: str) -> None:
    state = client.get("/__emulator/state").json()
    assert client.put("/__emulator/state", json=state).status_code == 200
    r = client.post("/api/project/updateProject", params={"Token": token}, json={"Code": "CODE 1001", "City": "Y"})
    assert r.status_code == 200

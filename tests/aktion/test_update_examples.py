"""The seed's updateProject samples replayed (JSON and XML), formats and content negotiation."""

from __future__ import annotations

import json
import re
from xml.etree.ElementTree import fromstring, tostring

import httpx

from .conftest import (
    GET,
    UPDATE,
    assert_result,
    seed_json_request,
    seed_json_response,
    seed_xml_request,
    seed_xml_response,
    update,
)

JSON_H = {"Content-Type": "application/json"}
XML_H = {"Content-Type": "application/xml"}


def _canon(xml: str) -> bytes:
    """XML without insignificant whitespace, for comparison."""
    root = fromstring(xml)
    for el in root.iter():
        if el.text is not None and not el.text.strip() and len(el):
            el.text = None
        el.tail = None
    return tostring(root)


def test_updateProject_seed_json_sample_replays_exactly(client: httpx.Client, token: str) -> None:
    r = client.post(UPDATE, params={"Token": token}, content=seed_json_request(), headers=JSON_H)
    assert r.status_code == 200
    assert r.text == seed_json_response()  # byte for byte, "\/Date(ms)\/" included
    assert r.headers["content-type"].startswith("application/json")


def test_updateProject_seed_xml_sample_replays(client: httpx.Client, token: str) -> None:
    r = client.post(UPDATE, params={"Token": token}, content=seed_xml_request(), headers=XML_H)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/xml")
    assert _canon(r.text) == _canon(seed_xml_response())


def test_updateProject_xml_request_equals_json_request(client: httpx.Client, token: str) -> None:
    """The seed's XML dates (Prague local time) are the same instants as its JSON milliseconds."""
    r = client.post(
        UPDATE, params={"Token": token}, content=seed_xml_request(), headers={**XML_H, "Accept": "application/json"}
    )
    assert r.status_code == 200
    assert r.json() == json.loads(seed_json_response())


def test_updateProject_json_request_with_accept_xml_answers_xml(client: httpx.Client, token: str) -> None:
    r = client.post(
        UPDATE, params={"Token": token}, content=seed_json_request(), headers={**JSON_H, "Accept": "application/xml"}
    )
    assert r.status_code == 200
    assert _canon(r.text) == _canon(seed_xml_response())


def test_updateProject_unknown_accept_follows_request_format(client: httpx.Client, token: str) -> None:
    r = client.post(
        UPDATE, params={"Token": token}, content=seed_xml_request(), headers={**XML_H, "Accept": "text/html, */*"}
    )
    assert r.headers["content-type"].startswith("application/xml")


def test_updateProject_second_identical_update_is_202_unchanged(client: httpx.Client, token: str) -> None:
    body = json.loads(seed_json_request())
    assert update(client, token, body).status_code == 200
    r = update(client, token, body)
    assert_result(r, 202, 0, "Processed with results: All identifier states remain unchanged")
    assert r.json()["Request"]["Code"] == "CODE 1001"


def test_updateProject_only_code_changes_nothing_202(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001"})
    assert_result(r, 202, 0, "Processed with results: All identifier states remain unchanged")


def test_updateProject_persists_and_null_leaves_fields_unchanged(client: httpx.Client, token: str) -> None:
    assert update(client, token, {"Code": "CODE 1001", "City": "Brno", "Street": ""}).status_code == 200
    item = client.get(GET, params={"Code": "CODE 1001", "Token": token}).json()["Request"][0]
    assert item["City"] == "Brno"
    assert item["Street"] == ""
    assert item["Name"] == "Name of the project 1001"  # not sent: unchanged
    assert item["HouseNr"] == "HouseNr 1"


def test_updateProject_time_last_change_uses_emulator_clock(client: httpx.Client) -> None:
    client.post("/__emulator/clock", json={"set": "2024-07-01T10:00:00Z", "freeze": True})
    from .conftest import login

    tok = login(client)
    update(client, tok, {"Code": "CODE 1001", "City": "Ostrava"})
    item = client.get(GET, params={"Code": "CODE 1001", "Token": tok}).json()["Request"][0]
    assert item["TimeLastChange"] == "/Date(1719828000000)/"
    xml = client.get(GET, params={"Code": "CODE 1001", "Token": tok}, headers={"Accept": "application/xml"}).text
    assert "<TimeLastChange>2024-07-01T12:00:00</TimeLastChange>" in xml  # CEST, UTC+2


def test_updateProject_date_with_offset_suffix_accepted(client: httpx.Client, token: str) -> None:
    raw = '{"Code":"CODE 1001","PlannedFrom":"\\/Date(1546326000000+0100)\\/"}'
    r = client.post(UPDATE, params={"Token": token}, content=raw, headers=JSON_H)
    assert r.status_code == 200, r.text
    assert '"PlannedFrom":"\\/Date(1546326000000)\\/"' in r.text


def test_updateProject_iso_date_in_json_accepted_as_local_time(client: httpx.Client, token: str) -> None:
    r = update(
        client, token, {"Code": "CODE 1001", "PlannedFrom": "2019-01-01T08:00:00", "PlannedTo": "2019-07-01T08:00:00Z"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["Request"]["PlannedFrom"] == "/Date(1546326000000)/"
    assert r.json()["Request"]["PlannedTo"] == "/Date(1561968000000)/"


def test_updateProject_property_names_bind_case_insensitively(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"code": "CODE 1001", "CITY": "Plzen"})
    assert r.status_code == 200, r.text
    assert r.json()["Request"]["City"] == "Plzen"


def test_updateProject_numbers_bind_to_strings(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "PostalCode": 11000})
    assert r.status_code == 200, r.text
    assert r.json()["Request"]["PostalCode"] == "11000"


def test_updateProject_lowercase_token_param_and_self_hosted_path(client: httpx.Client, token: str) -> None:
    r = client.post(
        "/aktionnext/api/Project/UpdateProject", params={"token": token}, json={"Code": "CODE 1001", "City": "Zlin"}
    )
    assert_result(r, 200, 0, "Processed with result: ExecOK")


def test_updateProject_token_guid_spelling_is_free(client: httpx.Client, token: str) -> None:
    r = client.post(UPDATE, params={"Token": "{" + token.upper() + "}"}, json={"Code": "CODE 1001", "City": "Kladno"})
    assert r.status_code == 200, r.text


def test_updateProject_xml_omits_null_members(client: httpx.Client, token: str) -> None:
    xml = "<Request><Code>CODE 1001</Code><City>Jihlava</City></Request>"
    r = client.post(UPDATE, params={"Token": token}, content=xml, headers=XML_H)
    assert r.status_code == 200
    assert "<Name2" not in r.text and "<ModelStateErr" not in r.text
    assert re.search(r"<City>Jihlava</City>", r.text)

"""POST login (vendor facts C1, E4): GUID tokens valid 20 s, answered exactly as {Token, ExpireInSec, ExpireDate};
400/1002, 401/1003, 401/1004, 415."""

from __future__ import annotations

import re
import uuid
from xml.etree.ElementTree import fromstring

import httpx

from .conftest import KEYS, assert_result

SAMPLE = {"Result": None, "UserLogin": "John.Doo", "ApiKey": "hDn/LFXIPESM036W+s7VKg=="}


def assert_login_ok(r: httpx.Response) -> None:
    """E4: the LoginResp JSON sample is exactly {Token, ExpireInSec, ExpireDate} -- no Result member."""
    assert r.status_code == 200, r.text
    assert list(r.json()) == ["Token", "ExpireInSec", "ExpireDate"], r.text


def test_login_seed_sample_returns_guid_token(client: httpx.Client) -> None:
    client.post("/__emulator/clock", json={"set": "2019-01-01T07:00:00Z", "freeze": True})
    r = client.post("/api/login", json=SAMPLE)
    assert_login_ok(r)
    body = r.json()
    assert str(uuid.UUID(body["Token"])) == body["Token"]
    assert body["ExpireInSec"] == 20
    assert body["ExpireDate"] == "/Date(1546326020000)/"
    assert '"ExpireDate":"\\/Date(1546326020000)\\/"' in r.text
    assert r.headers["content-type"].startswith("application/json")


def test_login_xml_sample_answers_xml(client: httpx.Client) -> None:
    client.post("/__emulator/clock", json={"set": "2019-01-01T07:00:00Z", "freeze": True})
    xml = "<Request><UserLogin>John.Doo</UserLogin><ApiKey>hDn/LFXIPESM036W+s7VKg==</ApiKey></Request>"
    r = client.post("/api/login", content=xml, headers={"Content-Type": "application/xml"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/xml")
    root = fromstring(r.text)
    assert root.tag == "Response"
    assert [el.tag for el in root] == ["Token", "ExpireInSec", "ExpireDate"]  # E4: no Result
    assert root.findtext("ExpireInSec") == "20"
    assert root.findtext("ExpireDate") == "2019-01-01T07:00:20"  # UTC ("date, UTC")
    uuid.UUID(root.findtext("Token") or "")


def test_login_each_call_issues_a_new_token(client: httpx.Client) -> None:
    first = client.post("/api/login", json=SAMPLE).json()["Token"]
    second = client.post("/api/login", json=SAMPLE).json()["Token"]
    assert first != second


def test_login_user_login_is_case_insensitive(client: httpx.Client) -> None:
    r = client.post("/api/login", json={**SAMPLE, "UserLogin": "john.doo"})
    assert_login_ok(r)


def test_login_self_hosted_prefix_and_any_case_path(client: httpx.Client) -> None:
    r = client.post("/AktionNEXT/API/LOGIN", json=SAMPLE)
    assert_login_ok(r)


def test_login_unknown_user_401_1003(client: httpx.Client) -> None:
    r = client.post("/api/login", json={**SAMPLE, "UserLogin": "Nobody"})
    assert_result(r, 401, 1003, "UserLogin or ApiKey are unknown")
    assert set(r.json()) == {"Result", "Request"} and r.json()["Request"] is None  # the common error envelope


def test_login_wrong_api_key_401_1003(client: httpx.Client) -> None:
    r = client.post("/api/login", json={**SAMPLE, "ApiKey": KEYS["Jane.Doe"]})
    assert_result(r, 401, 1003, "UserLogin or ApiKey are unknown")


def test_login_malformed_api_key_401_1004(client: httpx.Client) -> None:
    for key in ("not base64!", "aGVsbG8=", "hDn/LFXIPESM036W+s7VKg"):
        r = client.post("/api/login", json={**SAMPLE, "ApiKey": key})
        assert_result(r, 401, 1004, "ApiKey is invalid")


def test_login_missing_fields_400_1002(client: httpx.Client) -> None:
    r = client.post("/api/login", json={"Result": None})
    res = assert_result(r, 400, 1002, "Entry parameter missing or parameter bindigs failed")
    assert sorted(res["ModelStateErr"]) == ["The ApiKey field is required.", "The UserLogin field is required."]


def test_login_empty_body_400_1002(client: httpx.Client) -> None:
    r = client.post("/api/login", content=b"", headers={"Content-Type": "application/json"})
    res = assert_result(r, 400, 1002, "Entry parameter missing or parameter bindigs failed")
    assert res["ModelStateErr"] == ["A non-empty request body is required."]


def test_login_text_plain_415(client: httpx.Client) -> None:
    r = client.post("/api/login", content=b"John.Doo", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert r.json()["Result"]["Message"] == (
        "The request entity has a media type which the server or resource does not support. "
        "Only application/json and application/xml are supported"
    )


def test_login_injected_500(client: httpx.Client) -> None:
    client.post("/__emulator/faults", json={"operation": "login", "status": 500, "message": "Boom"})
    r = client.post("/api/login", json=SAMPLE)
    assert_result(r, 500, 500, "Boom")


def test_credentials_are_the_sample_user(client: httpx.Client) -> None:
    creds = client.get("/__emulator/credentials").json()
    assert creds == {"UserLogin": "John.Doo", "ApiKey": "hDn/LFXIPESM036W+s7VKg=="}
    r = client.post("/api/login", json=creds)
    assert re.fullmatch(r"[0-9a-f-]{36}", r.json()["Token"])


def test_login_journal_redacts_api_key(client: httpx.Client) -> None:
    client.post("/api/login", json=SAMPLE)
    entry = client.get("/__emulator/requests").json()["requests"][-1]
    assert "hDn/LFXIPESM036W+s7VKg==" not in str(entry["request"])

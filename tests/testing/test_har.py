"""GET /__emulator/requests?format=har is HAR 1.2 (checked against tests/testing/har.schema.json)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from emulators.testing.harness import Emulator

HAR_SCHEMA = json.loads((Path(__file__).parent / "har.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(HAR_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
KEY = {"X-Api-Key": "fixed-token"}


def har_of(emu: Emulator, **params: Any) -> dict[str, Any]:
    r = emu.client.get("/__emulator/requests", params={"format": "har", **params})
    assert r.status_code == 200
    har: dict[str, Any] = r.json()
    errors = sorted(VALIDATOR.iter_errors(har), key=lambda e: list(map(str, e.absolute_path)))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return har


@pytest.fixture
def echo(make_emulator: Any) -> Emulator:
    emu: Emulator = make_emulator("tests.echo")
    return emu


def _traffic(emu: Emulator) -> None:
    c = emu.client
    assert c.post("/login", params={"user": "alice"}).status_code == 200
    assert c.get("/items", headers=KEY, params={"limit": 1}).status_code == 200
    assert (
        c.put(
            "/items/fig",
            headers={**KEY, "Content-Type": "application/xml", "Accept": "application/xml"},
            content=b"<Item><name>fig</name></Item>",
        ).status_code
        == 200
    )
    assert c.put("/items/lime", headers=KEY, data={"name": "lime", "qty": "2"}).status_code == 200
    assert (
        c.post(
            "/upload", headers=KEY, files={"f": ("b.bin", bytes(range(256)), "application/octet-stream")}
        ).status_code
        == 201
    )
    assert c.get("/items/nope", headers=KEY).status_code == 404
    assert c.get("/items").status_code == 401
    assert c.get("/no/such/route").status_code == 404


def test_getRequests_har_matches_the_har_1_2_schema(echo: Emulator) -> None:
    _traffic(echo)
    har = har_of(echo)
    log = har["log"]
    assert log["version"] == "1.2"
    assert log["creator"]["name"] == "emulators/echo"
    assert [e["response"]["status"] for e in log["entries"]] == [200, 200, 200, 200, 201, 404, 401, 404]
    assert [e["comment"] for e in log["entries"]][:2] == ["login", "listItems"]


def test_getRequests_har_entries_carry_urls_queries_and_bodies(echo: Emulator) -> None:
    _traffic(echo)
    entries = har_of(echo)["log"]["entries"]
    listing = entries[1]
    assert listing["request"]["url"] == "http://echo/items?limit=1"
    assert listing["request"]["queryString"] == [{"name": "limit", "value": "1"}]
    assert json.loads(listing["response"]["content"]["text"]) == [{"name": "apple", "qty": 3}]
    assert listing["response"]["content"]["mimeType"] == "application/json"
    xml = entries[2]
    assert xml["request"]["postData"] == {"mimeType": "application/xml", "text": "<Item><name>fig</name></Item>"}
    assert xml["response"]["content"]["mimeType"] == "application/xml"
    form = entries[3]["request"]["postData"]
    assert form["mimeType"] == "application/x-www-form-urlencoded"
    assert "name=lime" in form["text"]


def test_getRequests_har_binary_bodies_are_base64(echo: Emulator) -> None:
    body = bytes(range(256))
    r = echo.client.put("/items/x", headers={**KEY, "Content-Type": "application/octet-stream"}, content=body)
    assert r.status_code == 415
    entry = har_of(echo)["log"]["entries"][0]
    assert entry["request"]["bodySize"] == 256
    assert base64.b64decode(json.loads(entry["request"]["postData"]["text"])["base64"]) == body


def test_getRequests_har_redacts_credentials(echo: Emulator) -> None:
    _traffic(echo)
    entries = har_of(echo)["log"]["entries"]
    login_query = entries[0]["request"]["queryString"]
    assert login_query == [{"name": "user", "value": "***"}]
    headers = {h["name"]: h["value"] for h in entries[1]["request"]["headers"]}
    assert headers["x-api-key"] == "***"


def test_getRequests_har_honours_filters_and_limit(echo: Emulator) -> None:
    _traffic(echo)
    assert len(har_of(echo, limit=2)["log"]["entries"]) == 2
    only = har_of(echo, operation="putItem")["log"]["entries"]
    assert [e["request"]["method"] for e in only] == ["PUT", "PUT"]


def test_getRequests_har_of_an_empty_journal_is_valid(echo: Emulator) -> None:
    assert har_of(echo)["log"]["entries"] == []


def test_getRequests_har_of_a_namespace_uses_its_base_url(make_live_emulator: Any) -> None:
    emu: Emulator = make_live_emulator("tests.echo")
    assert emu.client.get("/items", headers=KEY).status_code == 200
    entries = har_of(emu)["log"]["entries"]
    assert len(entries) == 1
    assert entries[0]["request"]["url"] == emu.base_url + "/items"
    assert emu.journal.har()["log"]["entries"][0]["request"]["url"] == emu.base_url + "/items"


def test_har_schema_rejects_a_broken_archive() -> None:
    bad = {
        "log": {
            "version": "1.2",
            "creator": {"name": "x", "version": "1"},
            "entries": [
                {
                    "startedDateTime": "yesterday",
                    "time": 1,
                    "request": {},
                    "response": {},
                    "cache": {},
                    "timings": {"send": 0, "wait": 0, "receive": 0},
                }
            ],
        }
    }
    assert not VALIDATOR.is_valid(bad)


def test_getRequests_har_url_redacts_query_credentials(echo: Emulator) -> None:
    echo.client.post("/login", params={"user": "alice"})
    assert "alice" not in har_of(echo)["log"]["entries"][0]["request"]["url"]


def test_getRequests_har_repeated_query_parameters_are_separate_pairs(echo: Emulator) -> None:
    echo.client.get("/items", params={"limit": ["1", "2"]}, headers=KEY)
    pairs = har_of(echo)["log"]["entries"][0]["request"]["queryString"]
    assert pairs == [{"name": "limit", "value": "1"}, {"name": "limit", "value": "2"}]

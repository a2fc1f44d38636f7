"""Journal verification: GET /__emulator/requests/count and POST /__emulator/requests/find (JSONPath
body matchers), over HTTP and from the pytest handle (`emu.requests.count/find`)."""

from __future__ import annotations

from typing import Any

import pytest

from emulators.testing.harness import Emulator

KEY = {"X-Api-Key": "fixed-token"}


@pytest.fixture
def echo(make_emulator: Any) -> Emulator:
    emu: Emulator = make_emulator("tests.echo")
    c = emu.client
    c.put("/items/banana", headers=KEY, json={"name": "banana", "qty": 2})
    c.put("/items/fig", headers=KEY, json={"name": "fig", "qty": 7})
    c.get("/items/banana", headers=KEY)
    c.get("/items/nope", headers=KEY)
    return emu


def test_count_requests_filters_over_http(echo: Emulator) -> None:
    def count(**params: Any) -> Any:
        r = echo.client.get("/__emulator/requests/count", params=params)
        assert r.status_code == 200
        return r.json()

    assert count() == {"count": 4}
    assert count(operation="putItem") == {"count": 2}
    assert count(method="get", status=404) == {"count": 1}
    assert count(path="/items/b*") == {"count": 2}
    assert count(operation="getItem", path="/items/banana", status=200) == {"count": 1}


def test_count_requests_bad_status_is_a_400(echo: Emulator) -> None:
    r = echo.client.get("/__emulator/requests/count", params={"status": "abc"})
    assert r.status_code == 400 and r.json()["status"] == 400


def test_find_requests_by_jsonpath_over_http(echo: Emulator) -> None:
    def find(**body: Any) -> Any:
        r = echo.client.post("/__emulator/requests/find", json=body)
        assert r.status_code == 200, r.text
        return r.json()

    got = find(body='$.name == "fig"')
    assert got["count"] == 1 and got["requests"][0]["path"] == "/items/fig"
    assert find(body="$.qty >= 2")["count"] == 2
    assert find(body="$.qty > 5", operation="putItem")["count"] == 1
    assert find(body='$.name =~ "^ban"')["count"] == 1
    assert find(body="$[?(@.qty == 7)]")["count"] == 1
    assert find(body="$.name")["count"] == 2  # present
    assert find(body="$.missing")["count"] == 0
    assert find(response_body='$.code == "NotFound"')["count"] == 1
    assert find(method="GET", limit=1)["requests"][0]["path"] == "/items/nope"


@pytest.mark.parametrize(
    "expr, message",
    [
        ("name == 1", "a JSONPath starts with $"),
        ("$.name == fig", "not a JSON literal: fig"),
        ("$[?(", "not a JSONPath"),
    ],
)
def test_find_requests_bad_matcher_is_a_400(echo: Emulator, expr: str, message: str) -> None:
    r = echo.client.post("/__emulator/requests/find", json={"body": expr})
    assert r.status_code == 400
    assert r.json()["error"].startswith(message)


def test_find_requests_unknown_field_is_a_400(echo: Emulator) -> None:
    r = echo.client.post("/__emulator/requests/find", json={"bdy": "$.x"})
    assert r.status_code == 400 and r.json()["status"] == 400


def test_find_requests_matches_the_redacted_body(echo: Emulator) -> None:
    echo.client.put("/items/t", headers=KEY, json={"name": "t", "token": "s3cret"})
    assert echo.requests.find('$.token == "s3cret"') == []
    assert len(echo.requests.find('$.token == "***"')) == 1


def test_requests_handle_count_and_find(echo: Emulator) -> None:
    assert echo.requests.count() == 4
    assert echo.requests.count("putItem") == 2
    assert echo.requests.count(method="GET", path="/items/*") == 2
    found = echo.requests.find('$.name == "banana"', operation="putItem")
    assert [e["path"] for e in found] == ["/items/banana"]


def test_requests_handle_on_a_live_server(make_live_emulator: Any) -> None:
    emu = make_live_emulator("tests.echo")
    emu.client.put("/items/kiwi", headers=KEY, json={"name": "kiwi", "qty": 1})
    assert emu.requests.count(status=200) == 1
    assert emu.requests.find("$.qty == 1")[0]["request"]["headers"]["x-api-key"] == "***"


def test_capture_paths_accept_full_jsonpath() -> None:
    from emulators.scenarios.matching import MISSING, lookup

    doc = {"items": [{"name": "a", "id": 1}, {"name": "b", "id": 2}]}
    assert lookup(doc, "$.items[1].id") == 2  # what scenarios already accept
    assert lookup(doc, "items.0.name") == "a"
    assert lookup(doc, '$.items[?(@.name == "b")].id') == 2
    assert lookup(doc, "$..id") == 1 and lookup(doc, "$.items[*].name") == "a"
    assert lookup(doc, "$..nope") is MISSING and lookup(doc, "$[?(") is MISSING

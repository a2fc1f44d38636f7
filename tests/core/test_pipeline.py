"""Every pipeline step, through the echo API."""

from __future__ import annotations

import httpx
import pytest

from emulators import build_app
from emulators.testing.transport import client_for
from tests.echo import EMULATOR


def test_login_valid_user_returns_token(client: httpx.Client) -> None:
    r = client.post("/login", params={"user": "alice"})
    assert r.status_code == 200
    assert len(r.json()["token"]) == 16


def test_login_pattern_uses_unicode_letters(client: httpx.Client) -> None:
    r = client.post("/login", params={"user": "élodie"})
    # \p{L} accepts accented letters; the user is then unknown to the handler
    assert r.status_code == 400
    assert r.json() == {"error": "unknown user élodie", "code": "ValidationFailed"}
    r = client.post("/login", params={"user": "al1ce"})
    assert r.status_code == 400
    assert r.json()["issues"][0]["name"] == "user"


def test_login_missing_param_names_it(client: httpx.Client) -> None:
    r = client.post("/login")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "ValidationFailed"
    assert body["issues"] == [{"in": "query", "name": "user", "message": "'user' is a required property"}]


def test_route_unknown_path_is_vendor_404(client: httpx.Client) -> None:
    r = client.get("/nope")
    assert r.status_code == 404
    assert r.json() == {"error": "No such resource", "code": "RouteNotFound"}


def test_route_wrong_method_is_405_with_allow(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.post("/items/apple", headers=auth)
    assert r.status_code == 405
    assert r.json()["code"] == "MethodNotAllowed"
    assert r.headers["allow"] == "DELETE, GET, PUT"


def test_route_trailing_slash_tolerated(client: httpx.Client, auth: dict[str, str]) -> None:
    assert client.get("/items/", headers=auth).status_code == 200


def test_route_head_falls_back_to_get(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.head("/items/apple", headers=auth)
    assert r.status_code == 200
    assert r.content == b""


def test_auth_missing_token_401_before_validation(client: httpx.Client) -> None:
    r = client.get("/items", params={"limit": "not-a-number"})
    assert r.status_code == 401
    assert r.json()["code"] == "Unauthorized"


def test_auth_header_name_case_insensitive(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.get("/items", headers={"x-API-key": auth["X-Api-Key"]})
    assert r.status_code == 200


def test_auth_token_expires_with_clock(client: httpx.Client, auth: dict[str, str]) -> None:
    assert client.get("/items", headers=auth).status_code == 200
    client.post("/__emulator/clock", json={"advance_seconds": 61})
    r = client.get("/items", headers=auth)
    assert r.status_code == 401
    assert r.json() == {"error": "token expired", "code": "Expired"}


def test_listItems_tenant_isolation(client: httpx.Client, auth: dict[str, str]) -> None:
    names = [i["name"] for i in client.get("/items", headers=auth).json()]
    assert names == ["apple", "pear"]
    bob = client.post("/login", params={"user": "bob"}).json()["token"]
    assert [i["name"] for i in client.get("/items", headers={"X-Api-Key": bob}).json()] == ["plum"]


def test_listItems_query_coerced_and_validated(client: httpx.Client, auth: dict[str, str]) -> None:
    assert len(client.get("/items", params={"limit": "1"}, headers=auth).json()) == 1
    r = client.get("/items", params={"limit": "abc"}, headers=auth)
    assert r.status_code == 400
    assert r.json()["issues"][0] == {"in": "query", "name": "limit", "message": "'abc' is not of type 'integer'"}


def test_putItem_json_roundtrip(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.put("/items/kiwi", headers=auth, json={"name": "kiwi", "qty": 2})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert client.get("/items/kiwi", headers=auth).json() == {"name": "kiwi", "qty": 2}


def test_putItem_collects_all_errors_best_first(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.put("/items/kiwi", headers=auth, json={"name": "x" * 30, "qty": -1, "colour": "red"})
    assert r.status_code == 400
    issues = r.json()["issues"]
    assert {i["name"] for i in issues} == {"name", "qty", "colour"}
    assert all(i["in"] == "body" for i in issues)


def test_putItem_xml_in_and_out(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.put(
        "/items/kiwi",
        headers={**auth, "Content-Type": "application/xml", "Accept": "application/xml"},
        content=b"<Item><name>kiwi</name><qty>5</qty><tags><string>a</string><string>b</string></tags></Item>",
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/xml; charset=utf-8"
    assert b"<Item><name>kiwi</name><qty>5</qty><tags><string>a</string><string>b</string></tags></Item>" in r.content
    assert client.get("/items/kiwi", headers=auth).json() == {"name": "kiwi", "qty": 5, "tags": ["a", "b"]}


def test_putItem_form_body(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.put("/items/kiwi", headers=auth, data={"name": "kiwi", "qty": "7"})
    assert r.status_code == 200
    assert r.json() == {"name": "kiwi", "qty": 7}


def test_putItem_unsupported_content_type_415(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.put("/items/kiwi", headers={**auth, "Content-Type": "text/plain"}, content=b"kiwi")
    assert r.status_code == 415
    assert r.json() == {"error": "Content-Type text/plain is not supported", "code": "UnsupportedMediaType"}


def test_putItem_missing_body_400(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.put("/items/kiwi", headers=auth)
    assert r.status_code == 400
    assert r.json()["issues"][0]["message"] == "Request body is required"


def test_putItem_json_without_content_type_is_sniffed(client: httpx.Client, auth: dict[str, str]) -> None:
    req = client.build_request("PUT", "/items/kiwi", headers=auth, content=b'{"name": "kiwi"}')
    assert "content-type" not in req.headers
    assert client.send(req).status_code == 200


def test_getItem_accept_negotiation(client: httpx.Client, auth: dict[str, str]) -> None:
    for accept, expected in [
        ("application/xml", "application/xml"),
        ("text/html, application/xml;q=0.5", "application/xml"),
        ("*/*", "application/json"),
        ("garbage;;;q=x", "application/json"),
        ("application/jsonn", "application/json"),
        ("", "application/json"),
    ]:
        r = client.get("/items/apple", headers={**auth, "Accept": accept})
        assert r.status_code == 200
        assert r.headers["content-type"].startswith(expected), accept


def test_getItem_unknown_404(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.get("/items/durian", headers=auth)
    assert r.status_code == 404
    assert r.json() == {"error": "no item durian", "code": "NotFound"}


def test_deleteItem_204_empty(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.delete("/items/apple", headers=auth)
    assert r.status_code == 204
    assert r.content == b""
    assert client.get("/items/apple", headers=auth).status_code == 404


def test_upload_multipart_files_and_fields(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.post(
        "/upload",
        headers=auth,
        files={"file_contents": ("a.bin", b"\x00\x01\x02", "application/pdf")},
        data={"note": "hi"},
    )
    assert r.status_code == 201
    assert r.json() == {"file_contents": 3, "fields": {"note": "hi"}}


def test_crash_is_vendor_500_and_server_keeps_serving(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.get("/crash", headers=auth)
    assert r.status_code == 500
    assert r.json() == {"error": "Internal server error", "code": "HandlerCrashed"}
    entry = client.get("/__emulator/requests", params={"operation": "crash"}).json()["requests"][-1]
    assert "RuntimeError: boom" in entry["error"]
    assert client.get("/items", headers=auth).status_code == 200


def test_wrongShape_strict_mode_turns_contract_violation_into_500(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.get("/wrong", headers=auth)
    assert r.status_code == 500
    assert r.json()["code"] == "ResponseContractViolation"


def test_wrongShape_lenient_mode_passes_through() -> None:
    with client_for(build_app(EMULATOR, strict=False)) as c:
        token = c.post("/login", params={"user": "alice"}).json()["token"]
        assert c.get("/wrong", headers={"X-Api-Key": token}).json() == {"nome": 1}


@pytest.mark.parametrize("kind", ["status", "body"])
def test_wrongError_strict_mode_refuses_undocumented_error_replies(
    client: httpx.Client, auth: dict[str, str], kind: str
) -> None:
    """Issue 12: an error status the operation does not document (409), or a documented status whose
    body breaks its schema ({"bogus": 1}), is our bug: 500 ResponseContractViolation in strict mode."""
    r = client.get("/wrong-error", params={"kind": kind}, headers=auth)
    assert r.status_code == 500
    body = r.json()
    assert body["code"] == "ResponseContractViolation"
    assert ("409 is not documented" if kind == "status" else "wrongError 400") in body["error"]


def test_wrongError_lenient_mode_passes_errors_through() -> None:
    with client_for(build_app(EMULATOR, strict=False)) as c:
        token = c.post("/login", params={"user": "alice"}).json()["token"]
        r = c.get("/wrong-error", params={"kind": "body"}, headers={"X-Api-Key": token})
        assert (r.status_code, r.json()) == (400, {"bogus": 1})
        assert c.get("/wrong-error", params={"kind": "status"}, headers={"X-Api-Key": token}).status_code == 409


def test_wrongError_injected_fault_is_exempt_from_the_strict_check(client: httpx.Client, auth: dict[str, str]) -> None:
    client.post("/__emulator/faults", json={"operation": "wrongError", "status": 418})
    r = client.get("/wrong-error", params={"kind": "status"}, headers=auth)
    assert r.status_code == 418
    assert r.json()["code"] != "ResponseContractViolation"


def test_build_app_instances_are_independent() -> None:
    a, b = build_app(EMULATOR), build_app(EMULATOR)
    with client_for(a) as ca, client_for(b) as cb:
        token = ca.post("/login", params={"user": "alice"}).json()["token"]
        ca.delete("/items/apple", headers={"X-Api-Key": token})
        token_b = cb.post("/login", params={"user": "alice"}).json()["token"]
        assert cb.get("/items/apple", headers={"X-Api-Key": token_b}).status_code == 200

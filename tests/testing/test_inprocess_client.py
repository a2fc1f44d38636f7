"""The harness's in-process client: still an httpx.Client, with URL merging memoised and cookie extraction
skipped only for responses that set none."""

from __future__ import annotations

from typing import Any

import httpx

from emulators.testing.inprocess_client import InProcessClient
from emulators.testing.transport import SyncASGITransport, client_for


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Echoes the path and the Cookie header; /set sets a cookie."""
    await receive()
    headers = [(b"content-type", b"text/plain")]
    if scope["path"].endswith("/set"):
        headers.append((b"set-cookie", b"session=abc; Path=/"))
    cookie = dict(scope["headers"]).get(b"cookie", b"")
    body = scope["path"].encode() + b"|" + cookie
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _client(**kwargs: Any) -> InProcessClient:
    return InProcessClient(transport=SyncASGITransport(_app), base_url="http://testserver/api", **kwargs)


def test_client_for_is_an_httpx_client() -> None:
    assert isinstance(client_for(_app), httpx.Client)


def test_inprocess_client_cookie_set_by_response_sent_back() -> None:
    c = _client()
    assert c.get("/plain").text == "/api/plain|"
    assert not c.cookies
    c.get("/set")
    assert c.cookies.get("session") == "abc"
    assert c.get("/again").text == "/api/again|session=abc"


def test_inprocess_client_cookies_assigned_later_still_extracted() -> None:
    c = _client(cookies={"a": "1"})
    assert c.get("/x").text == "/api/x|a=1"
    c.cookies = {"b": "2"}
    c.get("/set")
    assert c.cookies.get("b") == "2" and c.cookies.get("session") == "abc"


def test_inprocess_client_memoised_url_follows_base_url_change() -> None:
    c = _client()
    assert c.get("/p").text == "/api/p|"
    assert c.get("/p").url == httpx.URL("http://testserver/api/p")
    c.base_url = "http://testserver/other"
    assert c.get("/p").text == "/other/p|"
    assert c.get("http://elsewhere/abs").url == httpx.URL("http://elsewhere/abs")


def test_inprocess_client_params_merged_as_httpx_merges_them() -> None:
    c, plain = _client(), httpx.Client(base_url="http://testserver/api")
    cases: list[tuple[str, Any]] = [
        ("/items", {"Token": "a b&c", "Code": "CODE 1001"}),
        ("/items", {"Token": "a b&c", "Code": "CODE 1001"}),  # the memoised URL
        ("/items?x=1", {"y": "2"}),
        ("/items", {"flag": True}),  # not all strings: httpx's own path ("true")
        ("/items", {"flag": 1}),
        ("/items", {"many": ["1", "2"]}),
        ("/items", {}),
    ]
    for url, params in cases:
        assert c.build_request("GET", url, params=params).url == plain.build_request("GET", url, params=params).url
    c.base_url = httpx.URL("http://other/v2")
    assert str(c.build_request("GET", "/items", params={"Token": "a b&c"}).url) == "http://other/v2/items?Token=a+b%26c"


def test_inprocess_client_params_with_client_params_not_memoised() -> None:
    c = _client(params={"k": "v"})
    assert str(c.build_request("GET", "/items", params={"a": "1"}).url) == "http://testserver/api/items?k=v&a=1"
    assert not c._with_params

"""HEAD on every emulator: the status and every header GET would send (Content-Length included), no body.

RFC 9110 §8.6: "The server SHOULD send the same header fields in response to a HEAD request as it would
have sent if the request method had been GET"; a Content-Length in a HEAD answer is the length GET's body
would have (issue 13, item 2: HEAD used to answer `Content-Length: 0`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from emulators import build_app
from emulators.testing.live import LiveServer
from emulators.testing.transport import client_for

from ..properties.recipes import RECIPES

# api -> paths to compare (relative to the API's root); each is sent with that API's credentials
PATHS: dict[str, list[str]] = {
    "bouwsoft": [
        "/api/v1/Projects/3320",
        "/api/v1/Projects?limit=2",
        "/api/v1/Projects/FieldInfo",
        "/api/v1/Projects/999999",
        "/api/v1/NoSuchThing",
    ],
    "superoffice": ["/api/v1/Project/default", "/api/v1/Project/999999", "/api/v1/NoSuchThing"],
    "aktion": [
        "/api/project/getProject?Code=CODE%201001",
        "/api/project/getType?Name=Internal",
        "/api/project/getProject?Code=NOPE",
        "/api/no/such",
    ],
    "twelvebuild": ["/project/list", "/project/999999", "/no/such/thing"],
}


def _auth(api: str, client: httpx.Client) -> tuple[dict[str, str], dict[str, str]]:
    headers: dict[str, str] = {}
    query: dict[str, str] = {}
    for where, name, value in RECIPES[api].creds(client).values():
        if where == "header" and name in ("Clientnr", "AccessToken", "Authorization", "X-Auth-Token"):
            headers[name] = value
        elif where == "query":
            query[name] = value
    return headers, query


def _with_query(path: str, query: dict[str, str]) -> str:
    if not query:
        return path
    extra = "&".join(f"{k}={v}" for k, v in query.items())
    return path + ("&" if "?" in path else "?") + extra


def _compare(client: httpx.Client, api: str, path: str, status: int | None = None) -> None:
    headers, query = _auth(api, client)
    url = _with_query(path, query)
    get = client.get(url, headers=headers)
    head = client.head(url, headers=headers)
    if status is not None:
        assert get.status_code == status, (path, get.text)
    assert head.status_code == get.status_code, (path, get.text)
    assert head.content == b""
    assert int(head.headers["content-length"]) == len(get.content) > 0, path
    assert sorted(head.headers.keys()) == sorted(get.headers.keys()), path
    for name, value in get.headers.items():
        if name == "date":  # uvicorn stamps each answer with its own second
            continue
        assert head.headers[name] == value, (path, name)


@pytest.fixture(params=sorted(PATHS))
def api_client(request: pytest.FixtureRequest) -> Iterator[tuple[str, httpx.Client]]:
    with client_for(build_app(request.param, strict=True)) as c:
        yield request.param, c


def test_head_equals_get_minus_body_every_api(api_client: tuple[str, httpx.Client]) -> None:
    """Issue 13 item 2 / RFC 9110 §8.6, in-process: header by header, for records, lists and errors."""
    api, client = api_client
    for i, path in enumerate(PATHS[api]):
        _compare(client, api, path, 200 if i == 0 else None)


def test_head_control_plane_health_has_get_length() -> None:
    with client_for(build_app("bouwsoft")) as c:
        get, head = c.get("/__emulator/health"), c.head("/__emulator/health")
        assert head.status_code == get.status_code == 200
        assert head.content == b"" and head.headers["content-length"] == str(len(get.content))


@pytest.mark.parametrize("api", sorted(PATHS))
def test_head_over_a_socket_keeps_connection_usable(api: str) -> None:
    """Through uvicorn: HEAD carries GET's Content-Length, sends no body, and the kept-alive connection
    serves the next request (a body after a HEAD answer would corrupt it)."""
    make: Callable[[], object] = lambda: build_app(api)  # noqa: E731
    with LiveServer(make()) as srv, httpx.Client(base_url=srv.url) as c:
        path = PATHS[api][0]
        headers, query = _auth(api, c)
        url = _with_query(path, query)
        get = c.get(url, headers=headers)
        head = c.head(url, headers=headers)
        assert head.status_code == get.status_code == 200
        assert head.content == b"" and head.headers["content-length"] == str(len(get.content))
        again = c.get(url, headers=headers)
        assert again.status_code == 200 and len(again.content) == len(get.content)

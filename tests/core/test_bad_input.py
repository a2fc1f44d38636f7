"""Bad input never crashes us: a clean 4xx in the vendor envelope, journaled, and we keep serving."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from emulators import build_app
from emulators.testing.transport import client_for
from tests.echo import EMULATOR

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Item><name>&lol3;</name></Item>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Item><name>&xxe;</name></Item>"""


def _put(client: httpx.Client, auth: dict[str, str], body: bytes, ctype: str) -> httpx.Response:
    return client.put("/items/kiwi", headers={**auth, "Content-Type": ctype}, content=body)


@pytest.mark.parametrize(
    ("body", "ctype", "fragment"),
    [
        (b'{"name": "kiwi"', "application/json", "Malformed JSON"),
        (b'{"name": "\xff\xfe"}', "application/json", "not valid UTF-8"),
        (b"<Item><name>kiwi</Item>", "application/xml", "Malformed XML"),
        (BILLION_LAUGHS, "application/xml", "DTDs or entities"),
        (EXTERNAL_ENTITY, "application/xml", "DTDs or entities"),
        (b"name=%ff%fe", "application/x-www-form-urlencoded", "Malformed form body"),
        (b"\x00\x01\x02", "application/json", "Malformed JSON"),
    ],
)
def test_putItem_malformed_body_clean_400(
    client: httpx.Client, auth: dict[str, str], body: bytes, ctype: str, fragment: str
) -> None:
    r = _put(client, auth, body, ctype)
    assert r.status_code == 400
    assert r.json()["code"] == "MalformedBody"
    assert fragment in r.json()["error"]
    entry = client.get("/__emulator/requests").json()["requests"][-1]
    assert entry["status"] == 400
    assert client.get("/items/apple", headers=auth).status_code == 200


def test_putItem_wrong_types_clean_400(client: httpx.Client, auth: dict[str, str]) -> None:
    for payload in (b"[]", b'"kiwi"', b"null", b'{"name": 5, "qty": "x"}', b"1e999999"):
        r = _put(client, auth, payload, "application/json")
        assert r.status_code == 400, payload
        assert r.json()["code"] == "ValidationFailed"


def test_putItem_body_over_limit_413() -> None:
    spec = EMULATOR.__class__(**{**EMULATOR.__dict__, "max_body_bytes": 1024})
    with client_for(build_app(spec)) as c:
        token = c.post("/login", params={"user": "alice"}).json()["token"]
        body = b'{"name":"' + b"k" * 2000 + b'"}'  # 2011 bytes, whatever JSON spacing the client library uses
        r = c.put("/items/kiwi", headers={"X-Api-Key": token, "Content-Type": "application/json"}, content=body)
        assert r.status_code == 413
        assert r.json() == {
            "error": "Request body of 2011 bytes exceeds the limit of 1024 bytes",
            "code": "PayloadTooLarge",
        }


def test_putItem_default_limit_is_10_mib(client: httpx.Client, auth: dict[str, str]) -> None:
    r = _put(client, auth, b"x" * (10 * 1024 * 1024 + 1), "application/json")
    assert r.status_code == 413
    assert r.json()["code"] == "PayloadTooLarge"


def test_putItem_chunked_body_over_limit_413() -> None:
    spec = EMULATOR.__class__(**{**EMULATOR.__dict__, "max_body_bytes": 100})
    with client_for(build_app(spec)) as c:
        token = c.post("/login", params={"user": "alice"}).json()["token"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is enforced while reading
            for _ in range(10):
                yield b"x" * 50

        req = c.build_request(
            "PUT",
            "/items/kiwi",
            headers={"X-Api-Key": token, "Content-Type": "application/json"},
            content=b"".join(chunks()),
        )
        del req.headers["content-length"]
        assert c.send(req).status_code == 413


def test_listItems_control_characters_in_query_400(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.get("/items?limit=1%00", headers=auth)
    assert r.status_code == 400
    assert r.json() == {"error": "Control character in the query string", "code": "BadCharacters"}


def test_listItems_control_characters_in_header_400(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.get("/items", headers={**auth, "X-Note": "a\x01b"})
    assert r.status_code == 400
    assert r.json() == {"error": "Control character in header x-note", "code": "BadCharacters"}


def test_listItems_invalid_utf8_query_400(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.get("/items?limit=%ff", headers=auth)
    assert r.status_code == 400
    assert r.json()["error"] == "Query string is not valid UTF-8"


def test_upload_multipart_without_boundary_400(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.post("/upload", headers={**auth, "Content-Type": "multipart/form-data"}, content=b"garbage")
    assert r.status_code == 400


def test_upload_garbled_multipart_400(client: httpx.Client, auth: dict[str, str]) -> None:
    r = client.post(
        "/upload",
        headers={**auth, "Content-Type": "multipart/form-data; boundary=xyz"},
        content=b"--xyz\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--xyz--\r\n",
    )
    assert r.status_code in (400, 201)
    assert client.get("/items", headers=auth).status_code == 200


def test_odd_accept_and_content_type_headers_do_not_crash(client: httpx.Client, auth: dict[str, str]) -> None:
    for accept in ("application/json;q=abc", ";;;", "*/*;q=0", "text/*", "application/xml;charset=utf-8"):
        assert client.get("/items", headers={**auth, "Accept": accept}).status_code == 200
    for ctype in ("application/json; charset=latin-1", "application/JSON", "application/json; charset=nope"):
        r = _put(client, auth, b'{"name": "kiwi"}', ctype)
        assert r.status_code in (200, 400), ctype

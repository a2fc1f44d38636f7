"""Issue 24 item 14: Host as RFC 9112 §3.2 reads it, over a real socket. HTTP/1.1 without Host, two Host
fields or a Host that is no host: 400 in the API's envelope. `[::1].evil.example` is not loopback. An
absolute-form target's authority replaces Host (so the control guard judges what was asked)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from emulators.core.guard import host_name, is_loopback

from .server import raw_exchange, serve, status_and_body


@pytest.fixture(scope="module")
def aktion() -> Iterator[tuple[str, int]]:
    with serve("aktion") as (host, port, _):
        yield host, port


def _ask(server: tuple[str, int], head: str) -> tuple[int, dict[str, str], bytes]:
    return status_and_body(raw_exchange(*server, (head + "Connection: close\r\n\r\n").encode("latin-1")))


def test_health_http11_without_host_400(aktion: tuple[str, int]) -> None:
    status, _, body = _ask(aktion, "GET /__emulator/health HTTP/1.1\r\n")
    assert status == 400
    assert b"needs a Host header field" in body


def test_health_http10_without_host_served(aktion: tuple[str, int]) -> None:
    status, _, _ = _ask(aktion, "GET /__emulator/health HTTP/1.0\r\n")
    assert status == 200


def test_getProjects_two_host_headers_400_vendor_envelope_aktion(aktion: tuple[str, int]) -> None:
    status, headers, body = _ask(aktion, "GET /api/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n")
    assert status == 400
    assert headers["content-type"].startswith("application/json")
    assert "only one Host header" in json.dumps(json.loads(body))


def test_control_two_host_headers_last_not_used(aktion: tuple[str, int]) -> None:
    status, _, _ = _ask(aktion, "GET /__emulator/state HTTP/1.1\r\nHost: evil.example\r\nHost: 127.0.0.1\r\n")
    assert status == 400


@pytest.mark.parametrize("host", ["[::1].evil.example", "127.0.0.1/evil", "a b", "user@127.0.0.1"])
def test_control_malformed_host_400(aktion: tuple[str, int], host: str) -> None:
    status, _, body = _ask(aktion, f"GET /__emulator/state HTTP/1.1\r\nHost: {host}\r\n")
    assert status == 400, body


def test_host_name_bracket_suffix_not_loopback() -> None:
    assert host_name("[::1].evil.example") == "[::1].evil.example"
    assert not is_loopback(host_name("[::1].evil.example"))
    assert host_name("[::1]:8702") == "::1"


def test_control_absolute_form_foreign_authority_403(aktion: tuple[str, int]) -> None:
    status, _, body = _ask(aktion, "GET http://evil.example/__emulator/state HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    assert status == 403
    assert b"evil.example" in body


def test_health_absolute_form_loopback_authority_served(aktion: tuple[str, int]) -> None:
    host, port = aktion
    status, _, body = _ask(aktion, f"GET http://{host}:{port}/__emulator/health HTTP/1.1\r\nHost: evil.example\r\n")
    assert status == 200 and b'"ok"' in body


def test_absolute_form_not_http_400(aktion: tuple[str, int]) -> None:
    status, _, _ = _ask(aktion, "GET ftp://127.0.0.1/__emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    assert status == 400

"""The protocol's timers without a timer per request: an idle connection closed past the header timeout,
the oldest waiting connection closed past the pending cap once it is stale, a body sent after its head (within the body
timeout) still served, and keep-alive requests unaffected by the sweep."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from .server import serve, status_and_body

ENV = {
    "EMULATORS_HEADER_TIMEOUT": "1",
    "EMULATORS_BODY_TIMEOUT": "2",
    "EMULATORS_MAX_PENDING": "4",
    "EMULATORS_PENDING_EVICT_SECONDS": "0.3",
}
GET = b"GET /__emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


@pytest.fixture(scope="module")
def twelvebuild() -> Iterator[tuple[str, int]]:
    with serve("twelvebuild", env=ENV) as (host, port, _):
        yield host, port


def _closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed `sock` (EOF or reset), None if still open after `seconds`."""
    sock.settimeout(0.05)
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        try:
            if sock.recv(65536) == b"":
                return time.monotonic() - t0
        except TimeoutError:
            continue
        except ConnectionResetError:
            return time.monotonic() - t0
    return None


def test_idle_connection_closed_after_header_timeout(twelvebuild: tuple[str, int]) -> None:
    with socket.create_connection(twelvebuild) as s:
        took = _closed_within(s, 4)
    assert took is not None and 0.8 <= took <= 2.5, took


def test_oldest_waiting_connection_closed_past_pending_cap(twelvebuild: tuple[str, int]) -> None:
    first = socket.create_connection(twelvebuild)
    time.sleep(0.4)  # older than pending_evict_seconds: a stale one, evictable
    others = [socket.create_connection(twelvebuild) for _ in range(4)]  # five waiting, the cap is four
    try:
        assert _closed_within(first, 0.5) is not None
        with socket.create_connection(twelvebuild) as s:  # the server still serves
            s.sendall(GET)
            status, _, body = status_and_body(s.recv(65536))
        assert status == 200 and b"ok" in body
    finally:
        for o in [first, *others]:
            o.close()


def _form_post(body: bytes, *extra: bytes) -> bytes:
    """The head of a 12Build POST /project with a form body of `body` (no token: a 401 once it is read)."""
    return (
        b"POST /project HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + b"".join(h + b"\r\n" for h in extra)
        + b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
    )


def test_body_after_head_within_body_timeout_served(twelvebuild: tuple[str, int]) -> None:
    """The body is read before authentication, so the answer (401, no token) proves it arrived and was read."""
    body = b"name=late&city=Hengelo"
    head = _form_post(body)
    with socket.create_connection(twelvebuild, timeout=5) as s:
        s.sendall(head)
        time.sleep(1.3)  # past the header timeout: the head was complete, so only the body timer runs
        s.sendall(body)
        status, _, _ = status_and_body(s.recv(65536))
    assert status == 401, status


def test_keep_alive_requests_across_sweeps_served(twelvebuild: tuple[str, int]) -> None:
    with socket.create_connection(twelvebuild, timeout=5) as s:
        for _ in range(3):
            s.sendall(GET)
            status, _, _ = status_and_body(s.recv(65536))
            assert status == 200
            time.sleep(0.6)  # under the header timeout each time; several sweeps pass


def test_expect_100_continue_answered_before_the_body(twelvebuild: tuple[str, int]) -> None:
    """curl and .NET send `Expect: 100-continue` for larger bodies and wait for the interim answer."""
    body = b"name=expect&city=Hengelo"
    head = _form_post(body, b"Expect: 100-continue")
    with socket.create_connection(twelvebuild, timeout=5) as s:
        s.sendall(head)
        assert s.recv(65536).startswith(b"HTTP/1.1 100 Continue\r\n")
        s.sendall(body)
        status, _, _ = status_and_body(s.recv(65536))
    assert status == 401  # the body was read (before authentication), no token


def test_chunked_body_over_the_socket_read(twelvebuild: tuple[str, int]) -> None:
    """No Content-Length but Transfer-Encoding: chunked: the body is read (a malformed form would be a 400;
    this one is read, then refused for the missing token)."""
    head = (
        b"POST /project HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    )
    body = b"9\r\nname=late\r\n0\r\n\r\n"
    with socket.create_connection(twelvebuild, timeout=5) as s:
        s.sendall(head + body)
        status, _, _ = status_and_body(s.recv(65536))
    assert status == 401


def test_get_without_length_answered_without_waiting_for_a_body(twelvebuild: tuple[str, int]) -> None:
    with socket.create_connection(twelvebuild, timeout=2) as s:
        t0 = time.monotonic()
        s.sendall(b"GET /__emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, _, _ = status_and_body(s.recv(65536))
    assert status == 200 and time.monotonic() - t0 < 1


def test_idle_keep_alive_connection_closed_after_keep_alive_timeout() -> None:
    """No timer per answer: the head sweep closes a connection left idle after an answer once the keep-alive
    timeout has passed, while a fresh connection that has sent nothing waits for the (longer) header timeout."""
    env = {"EMULATORS_HEADER_TIMEOUT": "4", "EMULATORS_KEEP_ALIVE_TIMEOUT": "1"}
    with (
        serve("twelvebuild", env=env) as (host, port, _),
        socket.create_connection((host, port), timeout=5) as fresh,
        socket.create_connection((host, port)) as s,
    ):
        s.sendall(GET)
        status, _, _ = status_and_body(s.recv(65536))
        assert status == 200
        took = _closed_within(s, 3)
        assert took is not None and 0.8 <= took <= 2.0, took
        assert _closed_within(fresh, 0.1) is None  # still open: past 1 s, under the header timeout

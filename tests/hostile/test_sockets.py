"""Issue 18, real sockets: header limits, read timeouts, lingering close, server-level refusals in the
vendor's envelope, websocket upgrades, and /health while the full journal is read."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import httpx
import pytest

from .server import raw_exchange, serve, status_and_body

FAST = {"EMULATORS_HEADER_TIMEOUT": "1", "EMULATORS_BODY_TIMEOUT": "1"}


@pytest.fixture(scope="module")
def bouwsoft() -> Iterator[tuple[str, int]]:
    with serve("bouwsoft", env=FAST) as (host, port, _):
        yield host, port


def _bouwsoft_error(body: bytes) -> str:
    doc = json.loads(body)
    assert set(doc) == {"RecordChanges"}, doc  # bouwsoft's error envelope (E1)
    return str(doc["RecordChanges"][0]["Description"])


def test_one_megabyte_header_431_in_vendor_envelope(bouwsoft: tuple[str, int]) -> None:
    host, port = bouwsoft
    raw = raw_exchange(
        host, port, b"GET /api/v1/Projects HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n"
    )
    status, headers, body = status_and_body(raw)
    assert status == 431
    assert headers["content-type"].startswith("application/json")
    assert "32768 bytes" in _bouwsoft_error(body)


def test_ten_thousand_headers_431(bouwsoft: tuple[str, int]) -> None:
    host, port = bouwsoft
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(10_000))
    status, _, body = status_and_body(raw_exchange(host, port, b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n"))
    assert status == 431
    assert "at most 100" in _bouwsoft_error(body)


def test_declared_body_never_sent_408(bouwsoft: tuple[str, int]) -> None:
    host, port = bouwsoft
    t0 = time.monotonic()
    raw = raw_exchange(
        host,
        port,
        b"PUT /api/v1/Projects/3320 HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nContent-Type: application/json\r\n\r\n",
        timeout=10,
    )
    status, _, body = status_and_body(raw)
    assert status == 408 and time.monotonic() - t0 < 5
    assert "body" in _bouwsoft_error(body)


def test_half_sent_headers_408(bouwsoft: tuple[str, int]) -> None:
    host, port = bouwsoft
    t0 = time.monotonic()
    status, _, body = status_and_body(
        raw_exchange(host, port, b"GET /api/v1/Projects HTTP/1.1\r\nHost: x\r\n", timeout=10)
    )
    assert status == 408 and time.monotonic() - t0 < 5
    assert "headers" in _bouwsoft_error(body)


def test_garbage_request_400_in_vendor_envelope(bouwsoft: tuple[str, int]) -> None:
    host, port = bouwsoft
    status, headers, body = status_and_body(raw_exchange(host, port, b"\x16\x03\x01garbage\r\n\r\n"))
    assert status == 400
    assert headers["content-type"].startswith("application/json")
    assert _bouwsoft_error(body) == "The request is not valid HTTP/1.1"


def test_websocket_upgrade_is_an_ordinary_request(bouwsoft: tuple[str, int]) -> None:
    host, port = bouwsoft
    r = httpx.get(
        f"http://{host}:{port}/api/v1/Projects",
        headers={
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
        },
    )
    assert r.status_code == 401
    assert "RecordChanges" in r.json()


def test_blocking_client_sending_11_mb_reads_413(bouwsoft: tuple[str, int]) -> None:
    host, port = bouwsoft
    req = urllib.request.Request(
        f"http://{host}:{port}/api/v1/Projects/3320/Upload",
        data=b"x" * (11 * 1024 * 1024),
        method="PUT",
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=20)
    assert info.value.code == 413
    assert "RecordChanges" in json.loads(info.value.read())


def test_control_plane_dns_rebinding_refused_over_socket(bouwsoft: tuple[str, int]) -> None:
    host, port = bouwsoft
    r = httpx.get(f"http://{host}:{port}/__emulator/state", headers={"Host": f"rebind.attacker.example:{port}"})
    assert r.status_code == 403
    assert httpx.get(f"http://{host}:{port}/__emulator/state").status_code == 200


def test_serve_non_loopback_prints_one_warning_line() -> None:
    with serve("bouwsoft", args=["--host", "0.0.0.0"]) as (_, _port, proc):
        pass
    assert proc.stderr is not None
    err = proc.stderr.read()
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "--control-token" in warnings[0]


def test_health_not_delayed_while_full_journal_streams() -> None:
    with serve("superoffice") as (host, port, _):
        base = f"http://{host}:{port}"
        auth = {"Authorization": "Basic dGplMDpUamUw", "Content-Type": "application/json"}
        with httpx.Client(base_url=base, timeout=30) as c:
            payload = json.dumps({"Name": "x", "Description": "d" * 60_000})
            for _ in range(300):  # about 18 MB of bodies: the journal's whole default budget
                c.post("/api/v1/Project", headers=auth, content=payload)
            baseline = [_timed(c, "/__emulator/health") for _ in range(20)]
            done = threading.Event()
            size = [0]

            def read_journal() -> None:  # another process: this one's GIL must not skew the probes
                code = (
                    "import sys, urllib.request as u; n = 0\n"
                    "for f in ('json', 'har'):\n"
                    f"    n += len(u.urlopen('{base}/__emulator/requests?format=' + f, timeout=60).read())\n"
                    "print(n)"
                )
                out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
                size[0] = int(out.stdout.strip() or 0)
                done.set()

            t = threading.Thread(target=read_journal)
            t.start()
            during = []
            while not done.is_set():
                during.append(_timed(c, "/__emulator/health"))
            t.join()
        assert size[0] > 10_000_000 and len(during) >= 5
        # the median probe over the baseline's: robust to the scheduler of a shared, loaded machine
        delay = statistics.median(during) - statistics.median(baseline)
        p95 = statistics.quantiles(during, n=20)[-1] - statistics.median(baseline)
        print(
            f"journal {size[0]} bytes; /health delay median {delay * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
            f"over {len(during)} probes"
        )
        assert delay < 0.050, (delay, p95, statistics.median(baseline))


def _timed(c: httpx.Client, path: str) -> float:
    t0 = time.perf_counter()
    assert c.get(path).status_code == 200
    return time.perf_counter() - t0

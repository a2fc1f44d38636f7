"""The recording proxy under hostile clients and upstreams, over real sockets: an odd request target or a
50,000-deep JSON body never breaks it for later exchanges, its journal stays within the byte budget, its
`--out` recording is appended per exchange, and no credential of any API (nor a generic one) reaches an
export."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulators import build_app
from emulators.core.journal import BODY_BUDGET, BODY_KEEP
from emulators.recording.proxy import RecordingProxy
from emulators.scenarios.scenario import load
from emulators.testing.live import LiveServer
from tests.testing.subprocess_proxy import start_cli_proxy

DEEP = "[" * 50_000 + "]" * 50_000
EXPORTS = ("/__emulator/requests?format=scenario", "/__emulator/ui/export/scenario", "/__emulator/requests?format=har")


class Upstream:
    """A vendor double: `/deep` answers 50,000-deep JSON; `/login` answers secrets in headers and body."""

    class spec:  # what LiveServer names its thread after
        name = "upstream"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        if scope["path"] == "/deep":
            body = DEEP.encode()
            headers = [(b"content-type", b"application/json")]
        else:
            body = json.dumps({"access_token": "AT-upstream-0001", "refresh_token": "RT-upstream-secret-0002"}).encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"set-cookie", b"session=SC-upstream-secret-0003; HttpOnly"),
                (b"x-api-key", b"XK-upstream-secret-0004"),
            ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@pytest.fixture(scope="module")
def vendor() -> Iterator[LiveServer]:
    with LiveServer(build_app("bouwsoft")) as srv:
        yield srv


@pytest.fixture(scope="module")
def upstream() -> Iterator[LiveServer]:
    with LiveServer(Upstream()) as srv:
        yield srv


def auth(vendor: LiveServer, ns: str) -> dict[str, str]:
    creds = httpx.get(f"{vendor.url}/__ns/{ns}/__emulator/credentials").json()
    return {"Clientnr": "115", "AccessToken": creds["access_token"]}


def raw(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request)
        return s.recv(65536)


def assert_exports_answer(url: str) -> None:
    for path in EXPORTS:
        r = httpx.get(url + path, timeout=30)
        assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:200]}"
    r = httpx.post(url + "/__emulator/requests/find", json={"path": "$.Name"}, timeout=30)
    assert r.status_code == 200, r.text[:200]


def test_proxy_options_asterisk_keeps_recording(vendor: LiveServer, tmp_path: Path) -> None:
    out = tmp_path / "rec.scenario.yaml"
    with LiveServer(RecordingProxy("bouwsoft", f"{vendor.url}/__ns/star", out=out)) as srv:
        own = raw(vendor.url, b"OPTIONS * HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        answer = raw(srv.url, b"OPTIONS * HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        assert answer.split(b"\r\n", 1)[0] == own.split(b"\r\n", 1)[0] == b"HTTP/1.1 404 Not Found"
        assert answer.split(b"\r\n\r\n", 1)[1] == own.split(b"\r\n\r\n", 1)[1]  # the emulator's own envelope
        r = httpx.get(srv.url + "/api/v1/Projects/3320", headers=auth(vendor, "star"))
        assert r.status_code == 200
        assert [s["request"]["path"] for s in load(out).steps] == ["/api/v1/Projects/3320"]
        assert_exports_answer(srv.url)
    assert_exports_answer(vendor.url)  # the emulator journaled `OPTIONS *` too


def test_proxy_deep_json_request_and_answer_keep_recording(
    vendor: LiveServer, upstream: LiveServer, tmp_path: Path
) -> None:
    out = tmp_path / "rec.scenario.yaml"
    with LiveServer(RecordingProxy("bouwsoft", f"{vendor.url}/__ns/deep", out=out)) as srv:
        headers = {**auth(vendor, "deep"), "content-type": "application/json"}
        r = httpx.post(srv.url + "/api/v1/Projects", content=DEEP, headers=headers)
        assert r.status_code == 400
        assert r.json()["RecordChanges"][0]["Code"] == 400
        r = httpx.get(srv.url + "/api/v1/Projects/3320", headers=headers)
        assert r.status_code == 200
        steps = load(out).steps
        assert [s["expect"]["status"] for s in steps] == [400, 200]
        assert isinstance(steps[0]["request"]["body"], str)  # kept as text, not walked
        assert_exports_answer(srv.url)
    with LiveServer(RecordingProxy("bouwsoft", upstream.url, out=out)) as srv:
        assert httpx.get(srv.url + "/deep").content == DEEP.encode()
        assert httpx.get(srv.url + "/api/v1/Projects/3320").status_code == 200
        assert [s["request"]["path"] for s in load(out).steps] == ["/deep", "/api/v1/Projects/3320"]
        assert_exports_answer(srv.url)
    r = httpx.post(vendor.url + "/__ns/deep2/api/v1/Projects", content=DEEP, headers=headers)
    assert r.status_code in (400, 401)
    assert_exports_answer(vendor.url + "/__ns/deep2")


def test_proxy_journal_sealed_within_budget(vendor: LiveServer) -> None:
    proxy = RecordingProxy("bouwsoft", f"{vendor.url}/__ns/big")
    upload = b"x" * (1024 * 1024)
    with LiveServer(proxy) as srv:
        headers = {**auth(vendor, "big"), "content-type": "application/octet-stream"}
        for _ in range(20):
            httpx.post(srv.url + "/api/v1/Projects", content=upload, headers=headers, timeout=30)
        entries = httpx.get(srv.url + "/__emulator/requests").json()["requests"]
    assert proxy.world.journal.bytes_kept <= BODY_BUDGET
    assert all(e.cost > 0 and len(e.req_body) <= BODY_KEEP for e in proxy.world.journal.entries())
    assert entries[-1]["request"]["body_size"] == len(upload) and entries[-1]["request"]["body_truncated"] is True


def test_proxy_out_appended_per_exchange(vendor: LiveServer, tmp_path: Path) -> None:
    out = tmp_path / "rec.scenario.yaml"
    took: list[float] = []
    with LiveServer(RecordingProxy("bouwsoft", f"{vendor.url}/__ns/many", out=out)) as srv:
        headers = auth(vendor, "many")
        with httpx.Client(base_url=srv.url, headers=headers) as client:
            for i in range(300):
                t0 = time.perf_counter()
                assert client.get("/api/v1/Projects/3320").status_code == 200
                took.append(time.perf_counter() - t0)
                if i == 0:
                    inode = os.stat(out).st_ino
    assert os.stat(out).st_ino == inode  # appended to, never replaced by a rebuilt file
    assert len(load(out).steps) == 300
    first, last = sorted(took[10:60])[25], sorted(took[-50:])[25]
    assert last < 3 * first + 0.02, f"median per exchange {first * 1000:.1f} ms -> {last * 1000:.1f} ms"


def test_proxy_sigterm_stops_and_keeps_recording(vendor: LiveServer, tmp_path: Path) -> None:
    out = tmp_path / "cli.scenario.yaml"
    proc, url = start_cli_proxy("bouwsoft", f"{vendor.url}/__ns/term", "--out", str(out))
    try:
        with httpx.Client(base_url=url, headers=auth(vendor, "term")) as client:
            for _ in range(100):
                client.get("/api/v1/Projects/3320")
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert "recorded 100 exchange(s)" in stderr
    assert len(load(out).steps) == 100


SECRETS = {
    "headers": {
        "X-Api-Key": "XK-client-secret-0101",
        "X-Auth-Token": "XA-client-secret-0102",
        "Proxy-Authorization": "Basic PA-client-secret-0103",
    },
    "query": {
        "Token": "QT-client-secret-0201",
        "apiKey": "QK-client-secret-0202",
        "password": "QP-client-secret-0203",
        "access_token": "QA-client-secret-0204",
    },
    "json": {"ApiKey": "JK-client-secret-0301", "password": "JP-client-secret-0302", "client_secret": "JC-secret-0303"},
    "form": {"ApiKey": "FK-client-secret-0401", "password": "FP-client-secret-0402", "client_secret": "FC-secret-0403"},
}
UPSTREAM_SECRETS = ("RT-upstream-secret-0002", "SC-upstream-secret-0003", "XK-upstream-secret-0004")


def test_proxy_exports_redact_every_credential(upstream: LiveServer, tmp_path: Path) -> None:
    out = tmp_path / "rec.scenario.yaml"
    proxy = RecordingProxy("superoffice", upstream.url, out=out, credentials={})
    with LiveServer(proxy) as srv:
        with httpx.Client(base_url=srv.url, headers=SECRETS["headers"]) as client:
            assert client.post("/login", params=SECRETS["query"], json=SECRETS["json"]).status_code == 200
            assert client.post("/login", data=SECRETS["form"]).status_code == 200
        texts = {path: httpx.get(srv.url + path).text for path in ("/__emulator/requests", *EXPORTS)}
        for seq in (1, 2):
            texts[f"ui {seq}"] = httpx.get(f"{srv.url}/__emulator/ui/data/requests/{seq}").text
        texts["ui list"] = httpx.get(f"{srv.url}/__emulator/ui/data/requests").text
    proxy.write()
    texts["--out"] = out.read_text(encoding="utf-8")
    secrets = [v.split()[-1] for group in SECRETS.values() for v in group.values()] + list(UPSTREAM_SECRETS)
    leaks = [(where, s) for where, text in texts.items() for s in secrets if s in text]
    assert leaks == []
    assert "RT-upstream" not in json.dumps(load(out).data)

"""`emulators proxy`: a recording reverse proxy in front of a "vendor" (a second emulator on a live port).

Done means: a proxy recording of a multi-step session per API (token flow, write, read back) replays
green in-process, against --target, and in another namespace, without hand edits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from emulators import build_app
from emulators.recording.proxy import RecordingProxy
from emulators.scenarios.runner import Runner
from emulators.scenarios.scenario import load
from emulators.testing.harness import EmulatorUnavailable, resolve_spec
from emulators.testing.live import LiveServer
from tests.testing.planted import Hanging
from tests.testing.sessions import SESSIONS
from tests.testing.subprocess_proxy import start_cli_proxy

HAR_SCHEMA = json.loads((Path(__file__).parent / "har.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vendors() -> Iterator[dict[str, LiveServer]]:
    started: dict[str, LiveServer] = {}
    yield started
    for srv in started.values():
        srv.stop()


def _vendor(vendors: dict[str, LiveServer], api: str) -> LiveServer:
    try:
        resolve_spec(api)
    except EmulatorUnavailable as exc:
        pytest.skip(str(exc))
    if api not in vendors:
        vendors[api] = LiveServer(build_app(api)).start()
    return vendors[api]


def record_session(vendor: LiveServer, api: str, out: Path, namespace: str = "recorded") -> tuple[RecordingProxy, str]:
    """Run the API's session through a proxy in front of `vendor` (in a namespace of its own)."""
    target = f"{vendor.url}/__ns/{namespace}"
    proxy = RecordingProxy(api, target, out=out)
    with LiveServer(proxy) as srv:
        creds = httpx.get(target + "/__emulator/credentials").json()
        with httpx.Client(base_url=srv.url) as client:
            SESSIONS[api](client, creds)
        journal = httpx.get(srv.url + "/__emulator/requests").json()["requests"]
    return proxy, json.dumps(journal)


def _replay(path: Path, target: str | None, namespace: bool = True) -> tuple[str, list[str]]:
    lines: list[str] = []
    result = Runner(target, namespace=namespace, out=lines.append).run(load(path))
    return result.outcome, lines


@pytest.mark.parametrize("api", sorted(SESSIONS))
def test_proxy_recording_replays_green_in_all_three_modes(
    api: str, vendors: dict[str, LiveServer], tmp_path: Path
) -> None:
    vendor = _vendor(vendors, api)
    out = tmp_path / f"{api}.scenario.yaml"
    record_session(vendor, api, out)
    scenario = load(out)
    assert len([s for s in scenario.steps if "request" in s]) >= 3
    assert "vars" not in scenario.data  # every credential was named: nothing to fill in by hand
    for target, namespace in ((None, True), (vendor.url, True), (vendor.url, False)):
        outcome, lines = _replay(out, target, namespace)
        assert outcome == "passed", "\n".join(lines)


@pytest.mark.parametrize("api", sorted(SESSIONS))
def test_proxy_recording_holds_no_credential_or_token(api: str, vendors: dict[str, LiveServer], tmp_path: Path) -> None:
    vendor = _vendor(vendors, api)
    out = tmp_path / "rec.yaml"
    _proxy, journal = record_session(vendor, api, out, namespace="secrets")
    text = out.read_text(encoding="utf-8")
    creds = httpx.get(vendor.url + "/__ns/secrets/__emulator/credentials").json()
    secrets = [
        str(v)
        for k, v in creds.items()
        if isinstance(v, str) and len(v) >= 8 and k not in ("customer_id", "UserLogin", "login")
    ]
    assert secrets
    for secret in secrets:
        assert secret not in text
        assert secret not in journal  # the proxy's journal export is redacted too
    assert "${credentials." in text and "capture:" in text


def test_proxy_forwards_unchanged_and_journals(vendors: dict[str, LiveServer], tmp_path: Path) -> None:
    vendor = _vendor(vendors, "bouwsoft")
    proxy = RecordingProxy("bouwsoft", vendor.url + "/__ns/fwd")
    with LiveServer(proxy) as srv:
        creds = httpx.get(vendor.url + "/__ns/fwd/__emulator/credentials").json()
        auth = {"Clientnr": "115", "AccessToken": creds["access_token"]}
        direct = httpx.get(vendor.url + "/__ns/fwd/api/v1/Projects/3320", headers=auth)
        proxied = httpx.get(srv.url + "/api/v1/Projects/3320", headers=auth)
        assert (proxied.status_code, proxied.content) == (direct.status_code, direct.content)
        assert proxied.headers["content-type"] == direct.headers["content-type"]
        entries = httpx.get(srv.url + "/__emulator/requests").json()["requests"]
        assert [(e["operation"], e["status"]) for e in entries] == [("getProject", direct.status_code)]
        har = httpx.get(srv.url + "/__emulator/requests", params={"format": "har"}).json()
        jsonschema.Draft202012Validator(HAR_SCHEMA).validate(har)
        assert httpx.get(srv.url + "/__emulator/requests/count", params={"operation": "getProject"}).json() == {
            "count": 1
        }


def _envelope_keys(api: str) -> set[str]:
    """The top-level keys of the API's own error envelope (a 404 of the emulator itself)."""
    from emulators.testing.harness import in_process

    with in_process(api) as emu:
        return set(emu.client.get("/no/such/path").json())


def test_proxy_upstream_down_is_a_502_in_the_vendor_envelope() -> None:
    proxy = RecordingProxy("bouwsoft", "http://127.0.0.1:9", connect_timeout=1)
    with LiveServer(proxy) as srv:
        r = httpx.get(srv.url + "/api/v1/Projects/3320")
        assert r.status_code == 502
        assert set(r.json()) == _envelope_keys("bouwsoft") and "Bad Gateway" in r.text
        entry = httpx.get(srv.url + "/__emulator/requests").json()["requests"][0]
        assert entry["status"] == 502 and "upstream http://127.0.0.1:9 failed: ConnectError" in entry["error"]
        assert "steps" in httpx.get(srv.url + "/__emulator/requests", params={"format": "scenario"}).json()


def test_proxy_upstream_timeout_is_a_502_with_the_reason_journaled() -> None:
    with LiveServer(Hanging(3.0)) as slow:
        proxy = RecordingProxy("aktion", slow.url, timeout=0.3)
        with LiveServer(proxy) as srv:
            r = httpx.get(srv.url + "/api/project/getProject", params={"Token": "x", "Code": "C"})
            assert r.status_code == 502
            assert set(r.json()) == _envelope_keys("aktion") and "Bad Gateway" in r.text
            entry = httpx.get(srv.url + "/__emulator/requests").json()["requests"][0]
            assert "timed out: ReadTimeout" in entry["error"]
            assert entry["query"]["Token"] == "***"


def test_cli_proxy_with_a_bad_target_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from emulators.cli import main

    assert main(["proxy", "bouwsoft", "--target", "ftp://x"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "error: --target must be an http(s) URL, got 'ftp://x'"


def _data(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_cli_proxy_records_a_session_and_writes_it_on_exit(vendors: dict[str, LiveServer], tmp_path: Path) -> None:
    import signal

    vendor = _vendor(vendors, "twelvebuild")
    out = tmp_path / "cli.scenario.yaml"
    proc, url = start_cli_proxy("twelvebuild", vendor.url, "--out", str(out))
    try:
        creds = httpx.get(vendor.url + "/__emulator/credentials").json()
        with httpx.Client(base_url=url) as client:
            SESSIONS["twelvebuild"](client, creds)
        assert out.is_file()
    finally:
        proc.send_signal(signal.SIGINT)
        _stdout, stderr = proc.communicate(timeout=15)
    assert proc.returncode == 0, stderr
    assert f"proxying twelvebuild -> {vendor.url}, recording into {out}" in stderr
    assert f"recorded 3 exchange(s) into {out}" in stderr
    outcome, lines = _replay(out, None)
    assert outcome == "passed", "\n".join(lines)


def test_record_from_a_proxy_reads_its_journal(vendors: dict[str, LiveServer], tmp_path: Path) -> None:
    from emulators.recording.record import record

    vendor = _vendor(vendors, "superoffice")
    proxy = RecordingProxy("superoffice", vendor.url + "/__ns/via-record")
    with LiveServer(proxy) as srv:
        creds = httpx.get(vendor.url + "/__ns/via-record/__emulator/credentials").json()
        with httpx.Client(base_url=srv.url) as client:
            SESSIONS["superoffice"](client, creds)
        text, n = record(srv.url)
    assert n == 3 and creds["bearer"] not in text
    out = tmp_path / "via-record.yaml"
    out.write_text(text, encoding="utf-8")
    outcome, lines = _replay(out, vendor.url)
    assert outcome == "passed", "\n".join(lines)


class _Gzipped:
    """An upstream that compresses its answers (as vendors behind a CDN do)."""

    spec = type("S", (), {"name": "gzipped"})()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        import gzip

        if scope["type"] != "http":
            return
        body = gzip.compress(b'{"Token": "abc", "Result": {"Code": 0}}')
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-encoding", b"gzip"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def test_proxy_passes_compressed_answers_through_and_journals_them_readable() -> None:
    with LiveServer(_Gzipped()) as upstream, LiveServer(RecordingProxy("aktion", upstream.url)) as srv:
        r = httpx.post(srv.url + "/api/login", json={"UserLogin": "u", "ApiKey": "k"})
        assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
        assert r.json() == {"Token": "abc", "Result": {"Code": 0}}  # httpx inflated what came unchanged
        entry = httpx.get(srv.url + "/__emulator/requests").json()["requests"][0]
        assert entry["response"]["body"] == {"Token": "***", "Result": {"Code": 0}}
        assert entry["request"]["body"] == {"UserLogin": "u", "ApiKey": "***"}

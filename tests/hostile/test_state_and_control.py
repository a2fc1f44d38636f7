"""Issue 18: lost updates, the bounded journal, namespaces, tokens, the control plane's guard, redaction."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any, cast

import httpx
import pytest

from emulators import build_app
from emulators.core.journal import Journal
from emulators.core.sockets import Limits
from emulators.testing.transport import client_for
from tests.properties.recipes import RECIPES

BASIC = {"Authorization": "Basic " + base64.b64encode(b"tje0:Tje0").decode()}


# conditional writes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("clock", ["frozen", "running"])
def test_putProjectEntity_100_concurrent_same_validator_one_wins_superoffice(clock: str) -> None:
    app = build_app("superoffice")

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=cast(Any, app))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as c:
            if clock == "frozen":
                await c.post("/__emulator/clock", json={"freeze": True})
            pid = (await c.post("/api/v1/Project", headers=BASIC, json={"Name": "new"})).json()["ProjectId"]
            first = await c.put(f"/api/v1/Project/{pid}", headers=BASIC, json={"Name": "first"})
            assert first.status_code == 200, first.text
            validator = first.headers["Last-Modified"]

            async def writer(i: int) -> int:
                r = await c.put(
                    f"/api/v1/Project/{pid}",
                    json={"Name": f"writer {i}"},
                    headers={**BASIC, "If-Unmodified-Since": validator},
                )
                return r.status_code

            return list(await asyncio.gather(*(writer(i) for i in range(100))))

    statuses = asyncio.run(run())
    assert statuses.count(200) == 1 and statuses.count(412) == 99, sorted(set(statuses))


def test_putProjectEntity_last_modified_strictly_increasing_superoffice() -> None:
    with client_for(build_app("superoffice")) as c:
        c.post("/__emulator/clock", json={"freeze": True})
        pid = c.post("/api/v1/Project", headers=BASIC, json={"Name": "new"}).json()["ProjectId"]
        stamps = [
            c.put(f"/api/v1/Project/{pid}", headers=BASIC, json={"Name": f"n{i}"}).headers["Last-Modified"]
            for i in range(3)
        ]
        from email.utils import parsedate_to_datetime

        times = [parsedate_to_datetime(s).timestamp() for s in stamps]
        assert times[0] < times[1] < times[2]
        r = c.put(f"/api/v1/Project/{pid}", headers={**BASIC, "If-Unmodified-Since": stamps[1]}, json={"Name": "late"})
        assert r.status_code == 412
        assert r.json()["ErrorType"] == "PreconditionFailedException"


# the journal ------------------------------------------------------------------------------------------
def test_journal_body_cut_to_keep_size_full_length_recorded() -> None:
    app = build_app("superoffice", limits=Limits(journal_body_keep=1024))
    with client_for(app) as c:
        big = {"Name": "x", "Description": "d" * 5000}
        sent = c.post("/api/v1/Project", headers=BASIC, json=big).request.content
        entry = c.get("/__emulator/requests").json()["requests"][-1]
        assert entry["request"]["body_truncated"] is True
        assert entry["request"]["body_size"] == len(sent)
        assert isinstance(entry["request"]["body"], str) and len(entry["request"]["body"]) == 1024
        har = c.get("/__emulator/requests", params={"format": "har"}).json()["log"]["entries"][-1]
        assert har["request"]["bodySize"] == entry["request"]["body_size"]
        assert "truncated" in har["request"]["postData"]["comment"]


def test_journal_total_budget_drops_oldest_entries() -> None:
    j = Journal(10_000, body_budget=10_000, body_keep=1000)
    for i in range(100):
        e = j.open("PUT", f"/{i}", "", 0.0)
        e.req_body = b"x" * 5000
        j.seal(e)
    assert j.bytes_kept <= 10_000
    kept = j.entries()
    assert kept[-1].path == "/99" and len(kept) < 100
    assert all(len(e.req_body) == 1000 and e.req_len == 5000 for e in kept)


def test_journal_rejected_9_mb_body_keeps_64_kb() -> None:
    with client_for(build_app("superoffice")) as c:
        c.post(
            "/api/v1/Project", headers={**BASIC, "Content-Type": "application/json"}, content=b"[" + b" " * 9_000_000
        )
        entry = c.get("/__emulator/requests").json()["requests"][-1]
        assert entry["request"]["body_size"] == 9_000_001 and entry["request"]["body_truncated"] is True
        assert len(entry["request"]["body"]) == 64 * 1024


def test_getRequests_pages_with_after_and_limit() -> None:
    with client_for(build_app("bouwsoft")) as c:
        for _ in range(7):
            c.get("/api/v1/Projects")
        page = c.get("/__emulator/requests", params={"after": 0, "limit": 3}).json()
        assert [e["seq"] for e in page["requests"]] == [1, 2, 3] and page["next"] == 3
        page = c.get("/__emulator/requests", params={"after": page["next"], "limit": 3}).json()
        assert [e["seq"] for e in page["requests"]] == [4, 5, 6] and page["next"] == 6
        page = c.get("/__emulator/requests", params={"after": 6, "limit": 3}).json()
        assert [e["seq"] for e in page["requests"]] == [7] and page["next"] is None
        assert [e["seq"] for e in c.get("/__emulator/requests", params={"limit": 2}).json()["requests"]] == [6, 7]


@pytest.mark.parametrize("params", [{"limit": "+-1"}, {"after": "x"}, {"status": "1000"}, {"format": "xml"}])
def test_getRequests_bad_params_400(params: dict[str, str]) -> None:
    with client_for(build_app("bouwsoft")) as c:
        r = c.get("/__emulator/requests", params=params)
        assert r.status_code == 400
        assert r.json()["status"] == 400 and isinstance(r.json()["error"], str)


def test_journal_serialiser_never_raises_on_odd_entries() -> None:
    from emulators.core.journal import Redaction, entry_json, har_entry

    j = Journal(10)
    e = j.open("POST", "/x", "a=%ff", 0.0)
    e.req_headers = [("content-type", "application/json")]
    e.req_body = b'{"a":"\\ud800"}'
    e.resp_headers_raw = [(b"content-type", b"application/json")]
    e.resp_body = b"\xff\xfe" + b"[" * 5000
    j.seal(e)
    red = Redaction(body_keys=frozenset({"a"}))
    json.dumps(entry_json(e, red)).encode("utf-8")
    json.dumps(har_entry(e, red, "http://x")).encode("utf-8")
    assert entry_json(e, red)["response"]["body"] == {"base64": base64.b64encode(e.resp_body).decode()}


# namespaces and tokens --------------------------------------------------------------------------------
def test_namespaces_lru_eviction_spares_default_and_recently_used(caplog: pytest.LogCaptureFixture) -> None:
    app = build_app("bouwsoft", limits=Limits(max_namespaces=3))
    with client_for(app) as c:
        c.post("/__emulator/clock", json={"freeze": True})
        for ns in ("a", "b", "c"):
            c.get(f"/__ns/{ns}/__emulator/health")
        c.get("/__ns/a/__emulator/health")  # a is now the most recently used
        with caplog.at_level("WARNING", logger="emulators"):
            c.get("/__ns/d/__emulator/health")
        assert set(app.worlds) == {"", "a", "c", "d"}
        assert "namespace 'b' evicted" in caplog.text
        assert c.get("/__emulator/clock").json()["frozen"] is True  # the default namespace is never evicted


def test_namespaces_refuse_policy_503_in_vendor_envelope() -> None:
    app = build_app("twelvebuild", limits=Limits(max_namespaces=1, namespace_policy="refuse"))
    with client_for(app) as c:
        assert c.get("/__ns/a/__emulator/health").status_code == 200
        r = c.get("/__ns/b/tokens")
        assert r.status_code == 503
        assert r.json()["error"]["code"] == 503 and "namespaces" in r.json()["error"]["message"]
        assert c.get("/__ns/a/__emulator/health").status_code == 200


def test_getAccessToken_expired_tokens_pruned_bouwsoft() -> None:
    app = build_app("bouwsoft")
    with client_for(app) as c:
        creds = RECIPES["bouwsoft"].creds(c)
        headers = {"Clientnr": creds["Clientnr"][2], "RefreshToken": creds["RefreshToken"][2]}
        for _ in range(300):
            assert c.get("/api/v1/Authorize/AccessToken", headers=headers).status_code == 200
        c.post("/__emulator/clock", json={"advance_seconds": 3 * 3600})
        for _ in range(300):
            c.get("/api/v1/Authorize/AccessToken", headers=headers)
        tokens = app.default_world.store(None).table("access_tokens")
        assert len(tokens) < 600


# the control plane's guard ----------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["evil.example", "attacker.com:8701", "192.168.1.5"])
def test_control_plane_foreign_host_403(host: str) -> None:
    with client_for(build_app("bouwsoft"), base_url="http://127.0.0.1:8701") as c:
        r = c.get("/__emulator/state", headers={"Host": host})
        assert r.status_code == 403
        assert "Host" in r.json()["error"]
        assert c.get("/__emulator/state", headers={"Host": "localhost:8701"}).status_code == 200
        assert c.get("/__emulator/state", headers={"Host": "[::1]:8701"}).status_code == 200


def test_control_plane_form_post_415_and_nothing_reset() -> None:
    with client_for(build_app("bouwsoft"), base_url="http://127.0.0.1:8701") as c:
        c.post("/__emulator/clock", json={"freeze": True})
        r = c.post("/__emulator/reset", data={"x": "1"})
        assert r.status_code == 415
        assert c.get("/__emulator/clock").json()["frozen"] is True
        r = c.post("/__emulator/faults", content=b'{"status": 500}')  # no Content-Type: not sniffed
        assert r.status_code == 415
        r = c.post("/__emulator/faults", content=b'{"status": 500}', headers={"Content-Type": "text/plain"})
        assert r.status_code == 415
        assert c.get("/__emulator/faults").json() == {"faults": []}
        assert c.post("/__emulator/reset", headers={"Content-Type": "application/json"}).status_code == 200


def test_control_plane_token_required_when_set() -> None:
    app = build_app("aktion", limits=Limits(control_token="s3cret"))
    with client_for(app) as c:
        r = c.get("/__emulator/state")
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
        assert c.get("/__emulator/state", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/__emulator/state", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/__emulator/health", headers={"X-Emulator-Token": "s3cret"}).status_code == 200
        assert c.post("/api/login", json={"UserLogin": "x", "ApiKey": "y"}).status_code == 401  # API: unaffected


def test_control_token_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATORS_CONTROL_TOKEN", "envtok")
    with client_for(build_app("twelvebuild")) as c:
        assert c.get("/__emulator/state").status_code == 401
        assert c.get("/__emulator/state", headers={"Authorization": "Bearer envtok"}).status_code == 200


def test_exposure_warning_only_beyond_loopback_without_token() -> None:
    from emulators.server import exposure_warning

    assert exposure_warning("127.0.0.1", None) is None
    assert exposure_warning("localhost", None) is None
    assert exposure_warning("::1", None) is None
    assert exposure_warning("0.0.0.0", "tok") is None
    line = exposure_warning("0.0.0.0", None)
    assert line is not None and "\n" not in line and "--control-token" in line


# redaction of body-borne secrets -------------------------------------------------------------------------
def _journal_text(c: httpx.Client) -> str:
    return c.get("/__emulator/requests").text + c.get("/__emulator/requests", params={"format": "har"}).text


def test_getAccessToken_tokens_redacted_in_response_bodies_bouwsoft() -> None:
    with client_for(build_app("bouwsoft")) as c:
        creds = RECIPES["bouwsoft"].creds(c)
        r = c.get(
            "/api/v1/Authorize/AccessToken",
            headers={"Clientnr": creds["Clientnr"][2], "RefreshToken": creds["RefreshToken"][2]},
        )
        token = r.json()["AccessToken"]
        text = _journal_text(c)
        assert token not in text and creds["RefreshToken"][2] not in text
        entry = c.get("/__emulator/requests").json()["requests"][-1]
        assert entry["response"]["body"]["AccessToken"] == "***"


def test_login_xml_api_key_with_whitespace_redacted_aktion() -> None:
    with client_for(build_app("aktion")) as c:
        cr = c.get("/__emulator/credentials").json()
        xml = f"<Request><UserLogin>{cr['UserLogin']}</UserLogin><ApiKey >{cr['ApiKey']}</ApiKey ></Request>"
        r = c.post("/api/login", content=xml, headers={"Content-Type": "application/xml"})
        assert r.status_code == 200, r.text
        text = _journal_text(c)
        assert cr["ApiKey"] not in text
        token = r.text.split("<Token>")[1].split("</Token>")[0]
        assert token not in text


def test_getToken_multipart_api_key_redacted_twelvebuild() -> None:
    with client_for(build_app("twelvebuild")) as c:
        cr = c.get("/__emulator/credentials").json()
        r = c.get("/tokens", params={"login": cr["login"], "apiKey": cr["apiKey"]})
        token = r.json()["token"]
        c.post(
            "/project/1234567",
            files={"file_contents": ("a.txt", b"hi", "text/plain")},
            data={"apiKey": cr["apiKey"], "token": token},
            headers={"X-Auth-Token": token},
        )
        text = _journal_text(c)
        assert cr["apiKey"] not in text and token not in text


def test_redact_xml_namespaced_and_attributes() -> None:
    from emulators.core.redact import redact_xml

    keys = frozenset({"apikey"})
    out = redact_xml('<a:R xmlns:a="urn:x"><a:ApiKey>secret</a:ApiKey><K ApiKey="s2"/></a:R>', keys)
    assert "secret" not in out and "s2" not in out
    assert "secret" not in redact_xml("<R><ApiKey >secret</ApiKey ><broken", keys)


def _unused(x: Any) -> None:
    return None


def test_getRequests_full_journal_streams_in_short_slices() -> None:
    """Serialising a full journal (the whole 16 MiB body budget) never holds the event loop for long."""
    import time

    from emulators.core.journal_stream import stream_requests

    app = build_app("superoffice")
    with client_for(app) as c:
        payload = json.dumps({"Name": "x", "Description": "d" * 60_000})
        for _ in range(300):
            c.post("/api/v1/Project", headers={**BASIC, "Content-Type": "application/json"}, content=payload)
    gaps: list[float] = []
    chunks: list[bytes] = []

    async def run() -> None:
        last = time.thread_time()  # CPU time of this thread: what a slice costs the loop, whatever the machine load

        async def send(message: dict[str, Any]) -> None:
            nonlocal last
            gaps.append(time.thread_time() - last)
            chunks.append(message.get("body", b""))
            await asyncio.sleep(0)
            last = time.thread_time()

        scope = {"type": "http", "method": "GET", "query_string": b"", "headers": []}
        await stream_requests(app.control.ctx, app.default_world, scope, send, "http://localhost")

    asyncio.run(run())
    body = json.loads(b"".join(chunks))
    assert len(body["requests"]) > 100 and len(chunks) > 20
    gaps.sort()
    assert gaps[len(gaps) // 2] < 0.010, gaps[-5:]  # the median slice: a few milliseconds of work


def test_control_plane_extra_hosts_and_token_open_other_names() -> None:
    app = build_app("bouwsoft", limits=Limits(control_hosts="bouwsoft-svc, emulators"))
    with client_for(app, base_url="http://127.0.0.1:8701") as c:
        assert c.get("/__emulator/health", headers={"Host": "bouwsoft-svc:8701"}).status_code == 200
        assert c.get("/__emulator/health", headers={"Host": "other:8701"}).status_code == 403
    app = build_app("bouwsoft", limits=Limits(control_token="t"))
    with client_for(app, base_url="http://127.0.0.1:8701") as c:
        ok = c.get("/__emulator/health", headers={"Host": "compose-name:8701", "Authorization": "Bearer t"})
        assert ok.status_code == 200
        assert c.get("/__emulator/health", headers={"Host": "compose-name:8701"}).status_code == 401

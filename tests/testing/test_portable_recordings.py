"""Portable recordings (issue 28): a session recorded through the real `emulators proxy` (a subprocess)
names every credential by where it travels, so it replays without hand edits in process, against
--target, in a fresh namespace and through parity; so does a HAR exported by the emulator."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from emulators import build_app
from emulators.testing.har_import import import_har
from emulators.testing.live import LiveServer
from emulators.testing.parity import run_parity
from emulators.testing.portable import to_yaml
from emulators.testing.runner import Runner
from emulators.testing.scenario import load
from tests.testing.sessions import SESSIONS
from tests.testing.subprocess_proxy import start_cli_proxy


def superoffice_all_schemes(c: httpx.Client, creds: dict) -> None:
    """Basic, SOTicket (with SO-AppToken online) and Bearer in one session."""
    json_only = {"Accept": "application/json"}
    basic = (creds["basic"]["user"], creds["basic"]["password"])
    entity = c.get("/api/v1/Project/default", auth=basic, headers=json_only).json()
    entity["Name"] = "Recorded with Basic"
    created = c.post("/api/v1/Project", auth=basic, headers=json_only, json=entity)
    assert created.status_code == 200, created.text
    new_id = created.json()["ProjectId"]
    ticket = {**json_only, "Authorization": f"SOTicket {creds['ticket']}"}
    assert c.get(f"/api/v1/Project/{new_id}", headers=ticket).json()["Name"] == "Recorded with Basic"
    online = f"/{creds['customer_id']}/api/v1/Project"
    assert c.get(f"{online}/default", headers={**ticket, "SO-AppToken": creds["app_token"]}).status_code == 200
    bearer = {**json_only, "Authorization": f"Bearer {creds['bearer']}"}
    assert c.get(f"{online}/default", headers=bearer).status_code == 200


SESSION = {**SESSIONS, "superoffice": superoffice_all_schemes}


@pytest.fixture(scope="module")
def vendors() -> Iterator[dict[str, LiveServer]]:
    started = {api: LiveServer(build_app(api)).start() for api in sorted(SESSION)}
    yield started
    for srv in started.values():
        srv.stop()


def record_through_cli_proxy(api: str, vendor: LiveServer, out: Path) -> None:
    """`emulators proxy API --target <vendor namespace> --out FILE`, the session, then Ctrl-C."""
    target = f"{vendor.url}/__ns/rec-{api}"
    proc, url = start_cli_proxy(api, target, "--out", str(out))
    try:
        creds = httpx.get(target + "/__emulator/credentials").json()
        with httpx.Client(base_url=url) as client:
            SESSION[api](client, creds)
    finally:
        proc.send_signal(signal.SIGINT)
        _stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0, stderr


def _replay(path: Path, target: str | None, **kwargs: Any) -> None:
    lines: list[str] = []
    result = Runner(target, out=lines.append, **kwargs).run(load(path))
    assert result.outcome == "passed", "\n".join(lines)


def _all_modes(path: Path, vendor: LiveServer) -> None:
    _replay(path, None)  # in process
    _replay(path, vendor.url, namespace=False)  # --target, its default namespace (reset first)
    _replay(path, vendor.url)  # --target, a fresh namespace
    report = run_parity(path, vendor.url)
    assert report.ok and not report.differences and not report.errors, report.as_json()


@pytest.fixture(scope="module")
def recordings(vendors: dict[str, LiveServer], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("recordings")
    out = {}
    for api, vendor in vendors.items():
        out[api] = folder / f"{api}.scenario.yaml"
        record_through_cli_proxy(api, vendor, out[api])
    return out


@pytest.mark.parametrize("api", sorted(SESSION))
def test_proxy_recording_replays_green_in_all_four_modes(
    api: str, vendors: dict[str, LiveServer], recordings: dict[str, Path]
) -> None:
    path = recordings[api]
    text = path.read_text(encoding="utf-8")
    assert "secret_" not in text and "vars:" not in text  # nothing to fill in by hand
    _all_modes(path, vendors[api])


def test_proxy_recording_replays_green_when_the_clock_ticks_between_steps(
    vendors: dict[str, LiveServer], recordings: dict[str, Path], tmp_path: Path
) -> None:
    # SuperOffice's default EndDate is the clock's second: every GET default mints it anew
    data = yaml.safe_load(recordings["superoffice"].read_text(encoding="utf-8"))
    ticking: list[dict[str, Any]] = [{"clock": {"freeze": True}}]
    for step in data["steps"]:
        ticking += [step, {"clock": {"advance_seconds": 2}}]
    data["steps"] = ticking
    path = tmp_path / "ticking.scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    _replay(path, None)
    _replay(path, vendors["superoffice"].url)


AUTH_PLACES = {  # the proxy journals header names as HTTP/1.1 carries them: lower case
    "superoffice": [
        "basic_auth: ${credentials.basic}",
        "authorization: SOTicket ${credentials.ticket}",
        "authorization: Bearer ${credentials.bearer}",
        "so-apptoken: ${credentials.app_token}",
    ],
    "bouwsoft": ["refreshtoken: ${credentials.refresh_token}", "accesstoken: ${AccessToken}"],
    "aktion": ["ApiKey: ${credentials.ApiKey}", "UserLogin: ${credentials.UserLogin}", "Token: ${Token}"],
    "twelvebuild": ["apiKey: ${credentials.apiKey}", "x-auth-token: ${token}"],
}


@pytest.mark.parametrize("api", sorted(SESSION))
def test_proxy_recording_names_each_auth_scheme_by_its_place(api: str, recordings: dict[str, Path]) -> None:
    text = recordings[api].read_text(encoding="utf-8")
    for place in AUTH_PLACES[api]:
        assert place in text, f"{place!r} not in\n{text}"


@pytest.mark.parametrize("api", sorted(SESSION))
def test_har_exported_by_the_emulator_reimports_and_replays_in_all_four_modes(
    api: str, vendors: dict[str, LiveServer], recordings: dict[str, Path], tmp_path: Path
) -> None:
    vendor = vendors[api]
    har = httpx.get(f"{vendor.url}/__ns/rec-{api}/__emulator/requests", params={"format": "har"}).text
    path = tmp_path / f"{api}-har.scenario.yaml"
    path.write_text(to_yaml(import_har(har, api), tool="emulators import har"), encoding="utf-8")
    assert "secret_" not in path.read_text(encoding="utf-8")
    _all_modes(path, vendor)


def _credentials(app: Any) -> dict[str, Any]:
    maker = app.spec.credentials
    assert maker is not None
    creds: dict[str, Any] = maker(app.fixtures)
    return creds


class NotAnEmulator:
    """The vendor as a plain server: no /__emulator anything (404), every call counted."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.spec = app.spec  # LiveServer names its thread after it
        self.paths: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.paths.append(scope["path"])
            if "/__emulator" in scope["path"]:
                await send({"type": "http.response.start", "status": 404, "headers": []})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)


def test_replay_against_any_server_with_skip_control_makes_no_control_call(recordings: dict[str, Path]) -> None:
    app = build_app("superoffice")
    creds = _credentials(app)
    plain = NotAnEmulator(app)
    with LiveServer(plain) as srv:
        _replay(recordings["superoffice"], srv.url, skip_control=True, credentials=creds)
    fresh = NotAnEmulator(build_app("superoffice"))  # parity wants the state the recording started from
    with LiveServer(fresh) as srv:
        report = run_parity(recordings["superoffice"], srv.url, skip_control=True, credentials=creds)
    assert report.ok and not report.differences, report.as_json()
    assert plain.paths and fresh.paths
    assert not [p for p in plain.paths + fresh.paths if "__emulator" in p]


def test_replay_against_any_server_without_credentials_is_one_line_naming_them(
    recordings: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EMULATORS_CREDENTIALS_AKTION", raising=False)
    with LiveServer(NotAnEmulator(build_app("aktion"))) as srv:
        lines: list[str] = []
        result = Runner(srv.url, skip_control=True, out=lines.append).run(load(recordings["aktion"]))
    assert result.outcome == "failed"
    errors = [s.message for s in result.steps if s.outcome == "error"]
    assert errors == [
        f"${{credentials}} of aktion: {srv.url} is not an emulator; "
        "pass --credentials FILE or set EMULATORS_CREDENTIALS_AKTION"
    ]


def test_replay_takes_credentials_from_the_environment(
    recordings: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app("twelvebuild")
    creds = _credentials(app)
    monkeypatch.setenv("EMULATORS_CREDENTIALS_TWELVEBUILD", json.dumps(creds))
    with LiveServer(NotAnEmulator(build_app("twelvebuild"))) as srv:
        _replay(recordings["twelvebuild"], srv.url, skip_control=True)


def test_cli_replay_and_parity_against_any_server_take_a_credentials_file(
    recordings: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from emulators.cli import main

    app = build_app("bouwsoft")
    creds = tmp_path / "creds.yaml"
    creds.write_text("bouwsoft:\n" + "".join(f"  {k}: {v}\n" for k, v in _credentials(app).items()))
    for command in ("replay", "parity"):
        plain = NotAnEmulator(build_app("bouwsoft"))
        with LiveServer(plain) as srv:
            args = [str(recordings["bouwsoft"]), "--target", srv.url, "--skip-control", "--credentials", str(creds)]
            assert main([command, *args]) == 0, capsys.readouterr().out
        assert not [p for p in plain.paths if "__emulator" in p]


def test_cli_replay_with_an_unreadable_credentials_file_is_one_line(
    recordings: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from emulators.cli import main

    assert main(["replay", str(recordings["aktion"]), "--credentials", str(tmp_path / "nope.yaml")]) == 2
    assert capsys.readouterr().err == f"error: cannot read {tmp_path / 'nope.yaml'}: No such file or directory\n"


def test_recording_names_an_xml_login_body_and_other_credentials_by_place() -> None:
    """Credentials the emulator does not know (a recording against the vendor) are still named."""
    from emulators.testing.portable import Exchange, build_scenario

    xml = b"<Login><UserLogin>vendor.user</UserLogin><ApiKey>real-key-123</ApiKey></Login>"
    login = Exchange(
        "POST",
        "/api/login",
        req_headers=[("content-type", "application/xml")],
        req_body=xml,
        status=200,
        resp_headers=[("content-type", "application/json")],
        resp_body=b'{"Token": "t0k3n-minted-here-42"}',
    )
    got = Exchange(
        "GET",
        "/api/project/getProject",
        query=[("Token", "t0k3n-minted-here-42"), ("Code", "C1")],
        status=200,
        resp_headers=[("content-type", "application/json")],
        resp_body=b'{"Request": []}',
    )
    scenario = build_scenario("aktion", [login, got], credentials={})
    first, second = scenario["steps"]
    assert first["request"]["xml"] == (
        "<Login><UserLogin>${credentials.UserLogin}</UserLogin><ApiKey>${credentials.ApiKey}</ApiKey></Login>"
    )
    assert first["capture"] == {"Token": "$.Token"}
    assert second["request"]["query"] == {"Token": "${Token}", "Code": "C1"}
    basic = Exchange("GET", "/api/v1/Project/default", req_headers=[("authorization", "Basic ***")], status=200)
    step = build_scenario("superoffice", [basic], credentials={})["steps"][0]
    assert step["request"]["basic_auth"] == "${credentials.basic}" and "headers" not in step["request"]


def test_exported_authorization_keeps_its_scheme_word() -> None:
    from emulators.core.journal import Redaction, _headers

    red = Redaction(frozenset({"authorization", "so-apptoken"}), frozenset(), frozenset())
    assert _headers([("Authorization", "Basic dGplMDpUamUw"), ("SO-AppToken", "abc"), ("X", "1")], red) == {
        "Authorization": "Basic ***",
        "SO-AppToken": "***",
        "X": "1",
    }
    assert _headers([("authorization", "opaque")], red) == {"authorization": "***"}

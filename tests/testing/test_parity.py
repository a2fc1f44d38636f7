"""`emulators parity`: a recording made through the proxy in front of a "vendor" that differs on purpose
(tests/testing/planted.py) -> every planted difference is found, and none where there is none."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from emulators import build_app
from emulators.cli import main
from emulators.recording.parity import run_parity
from emulators.recording.proxy import RecordingProxy
from emulators.testing.live import LiveServer
from tests.testing.planted import PlantedStub
from tests.testing.sessions import SESSIONS


def _header(status, headers, body):  # type: ignore[no-untyped-def]
    return status, [*headers, (b"x-vendor-trace", b"abc")], body


def _reshape(status, headers, body):  # type: ignore[no-untyped-def]
    body["ContentRange"] = body.pop("Content-Range")
    body["Records"][0]["distance"] = "0"
    body["Records"][0]["city"] = "Ghent"
    return status, headers, body


def _created(status, headers, body):  # type: ignore[no-untyped-def]
    return 201, headers, body


PLANTS = {("GET", "/api/v1/Authorize/AccessToken"): _header, ("PUT", "/api/v1/Projects/3320/ApproveProject"): _created}
EXPECTED = {
    (1, "header", "x-vendor-trace"),
    (2, "envelope", "$.Content-Range"),
    (2, "envelope", "$.ContentRange"),
    (2, "type", "$.Records[0].distance"),
    (2, "value", "$.Records[0].city"),
    (3, "status", "status"),
}


class _FirstGetOnly(PlantedStub):
    """Plants _reshape on the first GET of the project only (the read back stays faithful)."""

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/api/v1/Projects/3320":
            self.calls[("GET", "p")] = self.calls.get(("GET", "p"), 0) + 1
            if self.calls[("GET", "p")] == 1:
                await PlantedStub(self.app, {("GET", "/api/v1/Projects/3320"): _reshape})(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def _record(upstream: object, out: Path) -> None:
    with LiveServer(upstream) as vendor, LiveServer(RecordingProxy("bouwsoft", vendor.url, out=out)) as proxy:
        creds = httpx.get(vendor.url + "/__emulator/credentials").json()
        with httpx.Client(base_url=proxy.url) as client:
            SESSIONS["bouwsoft"](client, creds)


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("parity")
    planted, clean = base / "planted.scenario.yaml", base / "clean.scenario.yaml"
    _record(_FirstGetOnly(build_app("bouwsoft"), PLANTS), planted)
    _record(build_app("bouwsoft"), clean)
    return {"planted": planted, "clean": clean}


def test_parity_finds_every_planted_difference(recordings: dict[str, Path]) -> None:
    report = run_parity(recordings["planted"])
    found = {(d.step, d.kind, d.where) for d in report.differences}
    assert found == EXPECTED
    assert not report.errors and not report.ok
    step2 = {d.where: d for d in report.differences if d.step == 2}
    assert (step2["$.Records[0].city"].recorded, step2["$.Records[0].city"].emulator) == ("Ghent", "Gent")
    assert step2["$.Content-Range"].recorded == "missing" and step2["$.Content-Range"].emulator == "present"


def test_parity_of_a_faithful_recording_finds_nothing(recordings: dict[str, Path]) -> None:
    report = run_parity(recordings["clean"])
    assert report.ok, [vars(d) for d in report.differences]
    assert len(report.steps) == 4


def test_parity_against_a_target_finds_the_same(recordings: dict[str, Path]) -> None:
    with LiveServer(build_app("bouwsoft")) as emulator:
        report = run_parity(recordings["planted"], emulator.url)
        assert {(d.step, d.kind, d.where) for d in report.differences} == EXPECTED
        assert run_parity(recordings["clean"], emulator.url).ok


def test_cli_parity_table_json_and_junit(
    recordings: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_json, out_xml = tmp_path / "parity.json", tmp_path / "parity.xml"
    assert main(["parity", str(recordings["planted"]), "--json", str(out_json), "--junit", str(out_xml)]) == 1
    table = capsys.readouterr().out
    assert "6 difference(s) in 3 of 4 step(s)" in table
    assert "x-vendor-trace" in table and "$.Records[0].city" in table
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert report["differences"] == 6
    assert report["by_kind"] == {"status": 1, "envelope": 2, "keys": 0, "type": 1, "value": 1, "header": 1}
    assert [len(s["differences"]) for s in report["steps"]] == [1, 4, 1, 0]
    suite = ET.parse(out_xml).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "4" and suite.get("failures") == "3"
    assert main(["parity", str(recordings["clean"])]) == 0
    assert "no difference in 4 step(s)" in capsys.readouterr().out


def test_cli_parity_of_a_missing_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parity", "nope.yaml"]) == 2
    assert capsys.readouterr().err == "error: no such scenario file: nope.yaml\n"


@pytest.mark.parametrize("api", sorted(SESSIONS))
def test_parity_of_a_faithful_session_finds_nothing_for_every_api(api: str, tmp_path: Path) -> None:
    out = tmp_path / f"{api}.scenario.yaml"
    with (
        LiveServer(build_app(api)) as vendor,
        LiveServer(RecordingProxy(api, vendor.url + "/__ns/p", out=out)) as proxy,
    ):
        creds = httpx.get(vendor.url + "/__ns/p/__emulator/credentials").json()
        with httpx.Client(base_url=proxy.url) as client:
            SESSIONS[api](client, creds)
    report = run_parity(out)
    assert report.ok, [vars(d) for d in report.differences] + report.errors
    assert len(report.steps) >= 3

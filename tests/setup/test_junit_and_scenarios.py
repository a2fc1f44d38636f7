"""Replay's JUnit XML stays well-formed with binary bodies; pytest collects *.scenario.yaml files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from emulators.cli import main
from emulators.scenarios.junit import junit_xml, xml_safe
from emulators.scenarios.runner import ScenarioResult, StepResult
from emulators.testing.live import LiveServer

pytest_plugins = ["pytester"]
BINARY = bytes(range(32)) + b"\x7f\x80\xfe\xff PNG\x00\x1a"


class BinaryApp:
    """A 'vendor' that answers every request with a binary body."""

    spec = SimpleNamespace(name="binary")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain; charset=latin-1")],
            }
        )
        await send({"type": "http.response.body", "body": BINARY})


def test_xml_safe_escapes_every_illegal_character() -> None:
    assert xml_safe("a\x00b\x1bc\td\ne\ud800f\ufffe") == "a\\x00b\\x1bc\td\ne\\ud800f\\ufffe"


def test_junit_xml_with_control_characters_parses() -> None:
    text = BINARY.decode("latin-1") + "\ud83d"
    res = ScenarioResult(
        "bin\x01ary",
        "x.yaml",
        "failed",
        steps=[
            StepResult(1, "step \x00", 3, "failed", summary="GET / -> 200", message="body: " + text, details=text),
            StepResult(2, "next", 4, "error", message=text),
        ],
    )
    root = ET.fromstring(junit_xml([res]).encode("utf-8"))
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None and "\\x00" in (failure.text or "") and "\\x08" in failure.get("message", "")
    assert root.get("failures") == "1" and root.get("errors") == "1"


def test_replay_junit_on_a_binary_body_is_valid_xml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "bin.scenario.yaml"
    scenario.write_text(
        "name: binary\nemulator: bouwsoft\nsteps:\n  - request: {method: GET, path: /file}\n"
        "    expect: {status: 200, body: hello}\n",
        encoding="utf-8",
    )
    junit = tmp_path / "junit.xml"
    with LiveServer(BinaryApp()) as srv:
        rc = main(["replay", str(scenario), "--target", srv.url, "--junit", str(junit), "-q"])
    capsys.readouterr()
    assert rc == 1
    raw = junit.read_bytes()
    assert not any(b in raw for b in (b"\x00", b"\x01", b"\x1a", b"\x7f\x80"))
    root = ET.fromstring(raw)
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None and failure.get("message", "").startswith("body: expected 'hello'")


# *.scenario.yaml as pytest items ----------------------------------------------------------------------------
SCENARIO = """\
name: health
emulator: bouwsoft
steps:
  - name: health answers
    request: {method: GET, path: /__emulator/health}
    expect:
      status: 200
      json: {status: ok, emulator: EMULATOR}
  - name: then the clock
    clock: {advance_seconds: 60}
"""


def test_scenario_file_steps_are_collected_as_items(pytester: pytest.Pytester) -> None:
    (pytester.path / "ok.scenario.yaml").write_text(SCENARIO.replace("EMULATOR", "bouwsoft"), encoding="utf-8")
    result = pytester.runpytest_inprocess("-v", "-p", "no:cacheprovider", "-W", "ignore")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*ok.scenario.yaml::01 health answers PASSED*", "*ok.scenario.yaml::02 then the clock PASSED*"]
    )


def test_scenario_file_failing_step_shows_a_readable_diff(pytester: pytest.Pytester) -> None:
    (pytester.path / "bad.scenario.yaml").write_text(SCENARIO.replace("EMULATOR", "superoffice"), encoding="utf-8")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-W", "ignore")
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "*bad.scenario.yaml:4: step 1 health answers failed",
            "*GET /__emulator/health -> 200",
            '*json $.emulator: expected "superoffice", got "bouwsoft"',
            '*-  "emulator": "superoffice",',
            '*+  "emulator": "bouwsoft",',
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_scenario_file_invalid_is_one_collection_error(pytester: pytest.Pytester) -> None:
    (pytester.path / "typo.scenario.yaml").write_text(SCENARIO.replace("steps:", "stepz:"), encoding="utf-8")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-W", "ignore")
    assert result.ret != 0
    result.stdout.fnmatch_lines(
        ["*typo.scenario.yaml:3: stepz: unknown field 'stepz'; allowed: *; did you mean `steps`?"]
    )


def test_plain_yaml_files_are_not_collected(pytester: pytest.Pytester) -> None:
    (pytester.path / "fixtures.yaml").write_text("tenants: {}\n", encoding="utf-8")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-W", "ignore")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED

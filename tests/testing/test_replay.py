"""Scenario replay: in-process and against a URL, expectations, captures, control steps, JUnit, CLI."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tests.echo as echo
from emulators import build_app
from emulators.cli import main
from emulators.scenarios.runner import Runner, ScenarioResult, assert_scenario
from emulators.scenarios.scenario import parse
from emulators.testing.live import LiveServer

HERE = Path(__file__).parent
REFERENCE = HERE / "echo.scenario.yaml"
HEAD = "name: t\nemulator: tests.echo\nsteps:\n"
KEY = "headers: {X-Api-Key: fixed-token}"


def run(text: str, target: Any = None, **kwargs: Any) -> tuple[ScenarioResult, str]:
    lines: list[str] = []
    result = Runner(target, out=lines.append, **kwargs).run(parse(text, "s.yaml", HERE))
    return result, "\n".join(lines)


class VendorLike:
    """The echo API without a control plane: what a real vendor URL looks like to the runner."""

    def __init__(self, app: Any) -> None:
        self.app, self.spec = app, app.spec

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/__"):
            await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"Not Found"})
            return
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    with LiveServer(build_app(echo.EMULATOR, strict=False)) as srv:
        yield srv


@pytest.fixture(scope="module")
def vendor() -> Iterator[LiveServer]:
    with LiveServer(VendorLike(build_app(echo.EMULATOR, strict=False))) as srv:
        yield srv


# in-process ------------------------------------------------------------------------------------
def test_replay_reference_scenario_in_process() -> None:
    result = assert_scenario(REFERENCE)
    assert result.outcome == "passed" and result.mode == "in-process"
    assert len(result.steps) == 21 and all(s.outcome == "passed" for s in result.steps)


def test_replay_failed_json_expectation_shows_a_diff_and_skips_the_rest() -> None:
    text = (
        HEAD
        + f"""  - request: {{method: GET, path: /items, {KEY}}}
    expect:
      status: 200
      json: [{{name: apple, qty: 4}}, {{name: pear}}]
  - reset: true
"""
    )
    result, out = run(text)
    assert result.outcome == "failed" and [s.outcome for s in result.steps] == ["failed", "skipped"]
    assert "json $[0].qty: expected 4, got 3" in out
    assert "at s.yaml:4" in out
    assert '-    "qty": 4\n' in out.replace("       ", "") and '+    "qty": 3' in out


def test_replay_status_mismatch_shows_the_body() -> None:
    result, out = run(HEAD + "  - request: {method: GET, path: /items}\n    expect: {status: 200}\n")
    assert result.outcome == "failed"
    assert "status: expected 200, got 401" in out
    assert '{"error":"missing or unknown X-Api-Key","code":"Unauthorized"}' in out


def test_replay_header_schema_and_body_expectations() -> None:
    text = (
        HEAD
        + f"""  - request: {{method: GET, path: /items/apple, {KEY}}}
    expect:
      status: [200, 201]
      headers: {{content-type: text/plain, x-missing: {{$absent: true}}, content-length: {{$regex: '^\\d+$'}}}}
      json_schema: {{type: object, required: [name, colour]}}
      body: nope
      body_contains: [apple, kiwi]
      max_ms: 0.000001
"""
    )
    result, _out = run(text)
    assert result.outcome == "failed"
    msg = result.steps[0].message
    assert 'header content-type: expected "text/plain", got "application/json; charset=utf-8"' in msg
    assert "json_schema: $: 'colour' is a required property" in msg
    assert "body: expected 'nope', got" in msg
    assert "body: does not contain 'kiwi'" in msg and "body: does not contain 'apple'" not in msg
    assert "time: expected at most" in msg
    assert "x-missing" not in msg and "content-length" not in msg


def test_replay_contract_check_flags_an_undocumented_status() -> None:
    text = (
        HEAD
        + f"""  - fault: {{operation: getItem, status: 503}}
  - request: {{method: GET, path: /items/apple, {KEY}}}
    expect: {{status: 503, contract: true}}
"""
    )
    _result, out = run(text)
    assert "contract: getItem does not document status 503 (documented: 200, 401, 404)" in out


def test_replay_contract_check_flags_a_body_off_schema(live: LiveServer) -> None:
    text = HEAD + f"  - request: {{method: GET, path: /wrong, {KEY}}}\n    expect: {{status: 200, contract: true}}\n"
    result, out = run(text, live.url)
    assert result.outcome == "failed"
    assert "contract: wrongShape 200:" in out and "name" in out


def test_replay_contract_check_flags_an_unknown_route() -> None:
    text = HEAD + f"  - request: {{method: GET, path: /nowhere, {KEY}}}\n    expect: {{contract: true}}\n"
    _, out = run(text)
    assert "contract: GET /nowhere is not an operation of the echo contract" in out


def test_replay_unresolved_variable_is_an_error() -> None:
    result, out = run(HEAD + "  - request: {method: GET, path: '/items/${nothing}'}\n")
    assert result.steps[0].outcome == "error"
    assert "${nothing} is not defined (not in vars and not captured yet)" in out


def test_replay_failed_capture_is_an_error() -> None:
    text = HEAD + f"  - request: {{method: GET, path: /items/apple, {KEY}}}\n    capture: {{x: $.colour}}\n"
    result, out = run(text)
    assert result.steps[0].outcome == "error" and "capture: $.colour is not in the response body" in out


def test_replay_captures_headers_status_regex_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECHO_ITEM", "apple")
    text = (
        HEAD
        + f"""  - request: {{method: GET, path: '/items/${{env:ECHO_ITEM}}', {KEY}}}
    capture:
      ct: header:content-type
      code: status
      qty: {{regex: '"qty":(\\d+)'}}
      raw: body
  - request:
      method: PUT
      path: /items/copy
      {KEY}
      json: {{name: copy, qty: '${{code}}', tags: ['${{ct}}', 'q=${{qty}}', '$${{literal}}']}}
    expect:
      json: {{qty: 200, tags: ['application/json; charset=utf-8', q=3, '$${{literal}}']}}
"""
    )
    result, out = run(text)
    assert result.outcome == "passed", out


def test_replay_state_file_and_load_state_file(tmp_path: Path) -> None:
    state = {
        "tenants": {"t1": {"items": {"melon": {"name": "melon"}}}},
        "global": {"users": {"alice": {"tenant": "t1"}}, "tokens": {"fixed-token": {"user": "alice"}}},
    }
    (tmp_path / "state.json").write_text(json.dumps(state), encoding="utf-8")
    text = f"""name: t
emulator: tests.echo
state: state.json
steps:
  - request: {{method: GET, path: /items, {KEY}}}
    expect: {{json: [{{name: melon}}]}}
  - reset: true
  - request: {{method: GET, path: /items, {KEY}}}
    expect: {{json: {{$len: 2}}}}
  - load_state: state.json
  - request: {{method: GET, path: /items/melon, {KEY}}}
    expect: {{status: 200}}
"""
    lines: list[str] = []
    result = Runner(out=lines.append).run(parse(text, "s.yaml", tmp_path))
    assert result.outcome == "passed", "\n".join(lines)


def test_replay_custom_fixtures_relative_to_the_scenario() -> None:
    text = f"""name: t
emulator: tests.echo
fixtures: data/echo-small.yaml
steps:
  - request: {{method: GET, path: /items, {KEY}}}
    expect: {{json: [{{name: cherry, qty: 7}}]}}
"""
    result, out = run(text)
    assert result.outcome == "passed", out


def test_replay_several_emulators() -> None:
    text = f"""name: t
emulators: [tests.echo, "tests.echo:EMULATOR"]
fixtures: {{"tests.echo:EMULATOR": data/echo-small.yaml}}
steps:
  - request: {{method: DELETE, path: /items/apple, {KEY}}}
    expect: {{status: 204}}
  - emulator: "tests.echo:EMULATOR"
    request: {{method: GET, path: /items, {KEY}}}
    expect: {{json: [{{name: cherry}}]}}
  - request: {{method: GET, path: /items, {KEY}}}
    expect: {{json: [{{name: pear}}]}}
"""
    result, out = run(text)
    assert result.outcome == "passed", out


def test_replay_unknown_emulator_is_an_error_not_a_skip() -> None:
    result, out = run("name: t\nemulator: no_such_module\nsteps: [{reset: true}]\n")
    assert result.outcome == "error" and "unknown emulator 'no_such_module'" in out


def test_replay_missing_api_package_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    from emulators import registry

    monkeypatch.setitem(registry.APIS, "ghostapi", ("emulators.ghostapi", 8799))
    result, out = run("name: t\nemulator: ghostapi\nsteps: [{reset: true}]\n")
    assert result.outcome == "skipped" and result.ok and "SKIPPED" in out


# against a URL ---------------------------------------------------------------------------------
def test_replay_reference_scenario_against_a_running_emulator(live: LiveServer) -> None:
    result = assert_scenario(REFERENCE, live.url)
    assert result.mode == "target"
    # it ran in a namespace of its own: the default namespace saw nothing
    assert live.app.default_world.journal.entries() == []


def test_replay_against_a_running_emulator_without_namespace(live: LiveServer) -> None:
    text = HEAD + f"  - request: {{method: GET, path: /items/apple, {KEY}}}\n    expect: {{status: 200}}\n"
    result, out = run(text, {"tests.echo": live.url}, namespace=False)
    assert result.outcome == "passed", out
    assert len(live.app.default_world.journal.entries()) == 1
    live.app.default_world.reset()


def test_replay_against_a_vendor_url_control_steps_fail(vendor: LiveServer) -> None:
    text = (
        HEAD
        + f"""  - request: {{method: GET, path: /items/apple, {KEY}}}
    expect: {{status: 200, json: {{name: apple}}, contract: true}}
  - clock: {{advance_seconds: 1}}
"""
    )
    result, out = run(text, vendor.url)
    assert [s.outcome for s in result.steps] == ["passed", "error"]
    assert "has no /__emulator control plane (use an emulator, or --skip-control)" in out
    result, out = run(text, vendor.url, skip_control=True)
    assert [s.outcome for s in result.steps] == ["passed", "skipped"] and result.outcome == "passed"


def test_replay_unreachable_target_is_an_error() -> None:
    result, out = run(HEAD + "  - reset: true\n", "http://127.0.0.1:9", timeout=2)
    assert result.outcome == "error" and "set-up failed" in out


# CLI and JUnit ---------------------------------------------------------------------------------
def test_cli_replay_passes_with_exit_code_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(REFERENCE)]) == 0
    out = capsys.readouterr().out
    assert "ok    1 log in  [POST /login -> 200]" in out
    assert "1 scenario(s), 21 step(s): 1 passed" in out


def test_cli_replay_failure_exit_code_1_and_junit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.scenario.yaml"
    bad.write_text(
        HEAD + "  - request: {method: GET, path: /items}\n    expect: {status: 200}\n  - reset: true\n",
        encoding="utf-8",
    )
    invalid = tmp_path / "invalid.scenario.yaml"
    invalid.write_text("name: x\nsteps: []\n", encoding="utf-8")
    junit = tmp_path / "out" / "junit.xml"
    assert main(["replay", str(REFERENCE), str(bad), str(invalid), "--junit", str(junit), "-q"]) == 1
    out = capsys.readouterr().out
    assert "status: expected 200, got 401" in out and "ok    1 log in" not in out  # quiet: failures only
    assert "3 scenario(s), 23 step(s): 1 passed, 1 failed, 1 error" in out
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("24", "1", "1", "1")
    suites = root.findall("testsuite")
    assert [s.get("tests") for s in suites] == ["21", "2", "1"]
    failure = suites[1].find("testcase/failure")
    assert failure is not None and failure.get("message") == "status: expected 200, got 401"
    assert suites[1].findall("testcase")[0].get("line") == "4"
    error = suites[2].find("testcase/error")
    assert error is not None and "steps" in (error.text or "")


def test_cli_replay_a_folder_and_target_per_api(
    live: LiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    (tmp_path / "nested" / "deeper" / "a.scenario.yaml").write_text(REFERENCE.read_text(encoding="utf-8"))
    (tmp_path / "nested" / "fixtures.yaml").write_text("global: {}\n")  # beside scenarios, not one
    assert main(["replay", str(tmp_path), "--target", f"tests.echo={live.url}"]) == 0
    out = capsys.readouterr().out
    assert "INVALID" not in out and "1 scenario(s), 21 step(s): 1 passed" in out


def test_cli_replay_of_an_old_scenario_name_states_the_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "orders.yaml"
    old.write_text(REFERENCE.read_text(encoding="utf-8"))
    assert main(["replay", str(old)]) == 2
    assert capsys.readouterr().err == (
        f"error: {old}: not a scenario file name; a scenario file is named *.scenario.yaml "
        "(rename it orders.scenario.yaml)\n"
    )
    assert main(["replay", str(tmp_path)]) == 2
    assert (
        capsys.readouterr().err
        == f"error: no scenario file under {tmp_path} (a scenario file is named *.scenario.yaml)\n"
    )
    assert main(["parity", str(old)]) == 2
    assert "a scenario file is named *.scenario.yaml" in capsys.readouterr().err


def test_cli_replay_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "nowhere.scenario.yaml"]) == 2
    assert capsys.readouterr().err == "error: no such scenario file: nowhere.scenario.yaml\n"
    assert main(["replay", str(REFERENCE), "--target", "http://a", "--target", "http://b"]) == 2
    assert "name each one" in capsys.readouterr().err


def test_replay_xml_expectation_mismatch_and_non_xml_body() -> None:
    text = (
        HEAD
        + """  - request:
      method: GET
      path: /items/apple
      headers: {X-Api-Key: fixed-token, Accept: application/xml}
    expect: {xml: {Item: {name: apple, qty: "4"}}}
"""
    )
    _, out = run(text)
    assert 'xml $.Item.qty: expected "4", got "3"' in out
    text = HEAD + f"  - request: {{method: GET, path: /items/apple, {KEY}}}\n    expect: {{xml: {{Item: {{}}}}}}\n"
    _, out = run(text)
    assert "xml $: the body is not XML" in out and '{"name":"apple","qty":3}' in out


def test_replay_json_expectation_on_a_non_json_body() -> None:
    text = (
        HEAD
        + """  - request:
      method: GET
      path: /items/apple
      headers: {X-Api-Key: fixed-token, Accept: application/xml}
    expect: {json: {name: apple}}
"""
    )
    _, out = run(text)
    assert "json $: the body is not JSON" in out and "<Item><name>apple</name>" in out


def test_replay_vars_may_use_credentials_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECHO_USER", "alice")
    text = """name: t
emulator: tests.echo
vars: {key: "${credentials.token}", who: "${env:ECHO_USER}"}
steps:
  - request: {method: GET, path: /items/apple, headers: {X-Api-Key: "${key}"}}
    expect: {status: 200}
  - request: {method: POST, path: /login, query: {user: "${who}"}}
    expect: {status: 200}
"""
    result, out = run(text)
    assert result.outcome == "passed", out
    result, out = run(text.replace("${env:ECHO_USER}", "${env:NOT_SET_ANYWHERE}"))
    assert result.outcome == "failed" and "environment variable NOT_SET_ANYWHERE is not set" in out


def test_replay_unexpected_disconnect_and_missing_disconnect_fail() -> None:
    text = (
        HEAD
        + f"""  - fault: {{operation: getItem, disconnect: true, times: 1}}
  - request: {{method: GET, path: /items/apple, {KEY}}}
"""
    )
    result, out = run(text)
    assert result.steps[1].outcome == "failed" and "the connection dropped without a response" in out
    text = HEAD + f"  - request: {{method: GET, path: /items/apple, {KEY}}}\n    expect: {{disconnected: true}}\n"
    _, out = run(text)
    assert "expected the connection to drop, got 200" in out

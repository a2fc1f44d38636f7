"""The scenario format: its published JSON Schema, and errors that name the line and the field."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from emulators.scenarios.scenario import ScenarioError, load, parse, scenario_schema, schema_path

HERE = Path(__file__).parent
REFERENCE = HERE / "echo.scenario.yaml"


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse(text, "s.yaml")
    return info.value.problems


def test_schema_is_a_valid_2020_12_schema() -> None:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema_path().parent.name == "scenarios" and schema == scenario_schema()


def test_reference_scenario_matches_the_schema() -> None:
    data = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(scenario_schema()).validate(data)
    scenario = load(REFERENCE)
    assert scenario.emulators == ["tests.echo"]
    assert scenario.step_lines[0] == 11 and len(scenario.step_lines) == len(scenario.steps)
    assert scenario.step_name(0) == "log in" and scenario.step_name(10) == "GET /items"
    assert scenario.step_name(17) == "reset"


def test_wrong_type_names_line_and_field() -> None:
    text = (
        "name: x\nemulator: tests.echo\nsteps:\n  - request: {method: GET, path: /a}\n    expect:\n"
        "      status: '200'\n"
    )
    assert problems_of(text) == ["s.yaml:6: steps[0].expect.status: '200' is not of type 'integer'"]


def test_unknown_field_names_its_own_line() -> None:
    text = "name: x\nemulator: tests.echo\nsteps:\n  - request:\n      method: GET\n      path: /a\n      jsn: {}\n"
    [problem] = problems_of(text)
    assert problem.startswith("s.yaml:7: steps[0].request.jsn: unknown field 'jsn'; allowed: ")


def test_step_with_two_kinds_is_rejected() -> None:
    text = "name: x\nemulator: e\nsteps:\n  - reset: true\n  - reset: true\n    clock: {advance_seconds: 1}\n"
    assert problems_of(text) == [
        "s.yaml:5: steps[1]: a step has exactly one of request, clock, fault, clear_faults, stub, clear_stubs, "
        "clear_journal, reset, load_state; this one has clock, reset"
    ]


def test_step_without_a_kind_is_rejected() -> None:
    problems = problems_of("name: x\nemulator: e\nsteps:\n  - name: nothing\n")
    assert problems == [
        "s.yaml:4: steps[0]: a step needs one of request, clock, fault, clear_faults, stub, clear_stubs, "
        "clear_journal, reset, load_state"
    ]


def test_expect_without_request_is_rejected() -> None:
    problems = problems_of("name: x\nemulator: e\nsteps:\n  - reset: true\n    expect: {status: 200}\n")
    assert problems == [
        "s.yaml:4: steps[0]: 'request' is a dependency of 'expect'"
        " (expect/capture/expect_webhook belong to a request step)"
    ]


def test_fault_needs_an_effect() -> None:
    problems = problems_of("name: x\nemulator: e\nsteps:\n  - fault: {operation: getItem}\n")
    assert problems == ["s.yaml:4: steps[0].fault: needs one of: status, delay_ms, delay, disconnect"]


def test_two_bodies_are_rejected() -> None:
    text = (
        "name: x\nemulator: e\nsteps:\n  - request:\n      method: POST\n      path: /a\n"
        "      json: {}\n      body: x\n"
    )
    assert problems_of(text) == [
        "s.yaml:5: steps[0].request: a request has one body: json, xml, body, body_base64, or form (+ files)"
    ]


def test_missing_emulator_and_name() -> None:
    problems = problems_of("steps: [{reset: true}]\n")
    assert "s.yaml:1: (top level): 'name' is a required property" in problems
    assert "s.yaml:1: (top level): needs one of: emulator, emulators" in problems


def test_emulator_and_emulators_together() -> None:
    problems = problems_of("name: x\nemulator: a\nemulators: [a]\nsteps: [{reset: true}]\n")
    assert problems == ["s.yaml:3: emulators: give either `emulator` or `emulators`, not both"]


def test_step_emulator_must_be_declared() -> None:
    text = "name: x\nemulators: [a, b]\nsteps:\n  - reset: true\n    emulator: c\n"
    assert problems_of(text) == ["s.yaml:4: steps[0].emulator: 'c' is not one of the scenario's emulators (a, b)"]


def test_bad_method_and_path_both_reported() -> None:
    problems = problems_of("name: x\nemulator: e\nsteps:\n  - request: {method: FETCH, path: items}\n")
    assert len(problems) == 2
    assert problems[0].startswith("s.yaml:4: steps[0].request.method: 'FETCH' is not one of")
    assert problems[1].startswith("s.yaml:4: steps[0].request.path: 'items' does not match")


def test_capture_names_are_identifiers() -> None:
    text = "name: x\nemulator: e\nsteps:\n  - request: {method: GET, path: /}\n    capture: {'a-b': $.x}\n"
    [problem] = problems_of(text)
    assert problem.startswith("s.yaml:5: steps[0].capture: 'a-b' does not match")


def test_invalid_yaml_names_the_line() -> None:
    assert problems_of("name: x\nemulator: e\nsteps: [{reset: true}\n") == [
        "s.yaml:4: not valid YAML: expected ',' or ']', but got '<stream end>'"
    ]


def test_not_a_mapping() -> None:
    assert problems_of("- a\n- b\n") == ["s.yaml:1: (top level): a scenario is a mapping with name, emulator, steps"]


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        load(tmp_path / "missing.yaml")

"""`emulators fidelity`: generated from the contracts (and, given, test results), for every API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from emulators import registry
from emulators.core.contract import Contract
from emulators.fidelity import apply_junit, build_report, render_markdown

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("api", registry.available())
def test_fidelity_report_lists_every_operation_status_and_parameter(api: str) -> None:
    rep = build_report(api)
    contract = Contract.load(registry.get(api).contract)
    assert [o.operation_id for o in rep.operations] == list(contract.operations)
    for op, o in zip(rep.operations, contract.operations.values(), strict=True):
        assert {i.name for i in op.items if i.kind == "status"} == set(o.responses)
        assert {i.name for i in op.items if i.kind == "parameter"} == {f"{p.location}:{p.name}" for p in o.params}
        assert op.status in ("documented", "inferred")
    text = render_markdown(rep)
    assert all(f"`{o}`" in text for o in contract.operations)


def test_fidelity_inferred_items_carry_their_reason() -> None:
    for api in registry.available():
        rep = build_report(api)
        for op in rep.operations:
            assert op.status != "inferred" or op.reason
            assert all(i.reason for i in op.items if i.status == "inferred")


def test_fidelity_reads_junit_results(tmp_path: Path) -> None:
    junit = tmp_path / "j.xml"
    junit.write_text(
        '<testsuites><testsuite><testcase name="test_x[aktion-login]"/>'
        '<testcase name="test_y[aktion-login-body:Code:type]"><skipped type="pytest.xfail" '
        'message="aktion: something is wrong"/></testcase></testsuite></testsuites>'
    )
    reports = {"aktion": build_report("aktion")}
    apply_junit(reports, junit)
    login = next(o for o in reports["aktion"].operations if o.operation_id == "login")
    assert login.tests == {"passed": 1, "xfailed": 1}
    assert any("something is wrong" in g for g in login.gaps)


def test_cli_fidelity_json_for_one_api() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "emulators", "fidelity", "twelvebuild", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)
    assert list(data) == ["twelvebuild"] and data["twelvebuild"]["totals"]["operation"]

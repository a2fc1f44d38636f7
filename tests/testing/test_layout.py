"""The split of the test helpers: old import paths re-export, one command table, the runner's step hook."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from emulators.cli import COMMANDS, build_parser
from emulators.scenarios.runner import Answer, Runner

HERE = Path(__file__).parent
MOVED = {
    "scenario": "scenarios",
    "runner": "scenarios",
    "matching": "scenarios",
    "junit": "scenarios",
    "checks": "scenarios",
    "record": "recording",
    "proxy": "recording",
    "portable": "recording",
    "parity": "recording",
    "har_import": "recording",
    "postman": "recording",
}


@pytest.mark.parametrize("module", sorted(MOVED))
def test_reexport_old_path_same_objects(module: str) -> None:
    old = importlib.import_module(f"emulators.testing.{module}")
    new = importlib.import_module(f"emulators.{MOVED[module]}.{module}")
    defined = [
        n for n in vars(new) if not n.startswith("_") and getattr(vars(new)[n], "__module__", "") == new.__name__
    ]
    public = getattr(new, "__all__", defined)
    assert public, f"{new.__name__} defines no public name"
    assert all(getattr(old, n) is getattr(new, n) for n in public)


def commands(command: str | None = None) -> list[str]:
    action = build_parser(command)._subparsers._group_actions[0]  # type: ignore[union-attr]
    return list(action.choices or {})


def test_build_parser_every_command_of_the_table() -> None:
    assert commands() == [name for name, _ in COMMANDS]


def test_build_parser_named_command_only_its_module() -> None:
    assert commands("serve") == ["list", "serve", "contract", "schema"]
    assert commands("parity") == ["record", "proxy", "import", "export", "parity"]


def test_runner_step_hook_sees_every_request_step() -> None:
    seen: list[Answer] = []
    result = Runner(out=lambda line: None, step_hook=seen.append).run_file(HERE / "echo.scenario.yaml")
    requests = [s for s in result.steps if s.summary.startswith(("GET", "POST", "PUT", "PATCH", "DELETE"))]
    assert [f"{a.method} {a.path}" for a in seen][:1] == ["POST /login"]
    assert len(seen) == len(requests) and all(a.response is not None for a in seen)
    assert all(a.result.outcome == "passed" for a in seen)  # the hook judges: this one never fails a step

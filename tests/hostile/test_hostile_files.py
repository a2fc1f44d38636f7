"""Issue 24 item 12: hostile files give one line, never a traceback or gigabytes: a YAML alias bomb, scenario
YAML nested 20,000 deep, an expectation nested 3,000 deep, a HAR nested 2,000 deep, `import har --api ../../etc`;
step names holding terminal escapes are printed escaped."""

from __future__ import annotations

import json
import resource
from pathlib import Path

import pytest

from emulators.cli import main
from emulators.testing.runner import Runner
from emulators.testing.scenario import ScenarioError, parse

BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    + "name: t\nemulator: twelvebuild\nsteps: [{reset: true}]\n"
)


def test_replay_yaml_alias_bomb_one_line_bounded() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ScenarioError) as info:
        parse(BOMB, "bomb.yaml")
    assert info.value.problems == ["bomb.yaml:1: (top level): more than 1000000 values once its aliases are expanded"]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB: far from gigabytes


@pytest.mark.parametrize(
    "text",
    [
        "[" * 20_000 + "]" * 20_000,
        "name: t\nemulator: twelvebuild\nsteps:\n  - request: {method: GET, path: /}\n    expect:\n      body: "
        + "{a: " * 3000
        + "1"
        + "}" * 3000
        + "\n",
    ],
)
def test_replay_nested_yaml_one_line(text: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse(text, "deep.yaml")
    assert len(info.value.problems) == 1 and info.value.problems[0].startswith("deep.yaml:")


def test_replay_step_name_terminal_escapes_printed_escaped() -> None:
    lines: list[str] = []
    text = 'name: "t\\e]0;pwned\\a"\nemulator: twelvebuild\nsteps:\n  - name: "clear\\e[2J\\e[H"\n    reset: true\n'
    Runner(out=lines.append).run(parse(text, "s.yaml"))
    out = "\n".join(lines)
    assert "\x1b" not in out and "\x07" not in out
    assert "clear\\x1b[2J\\x1b[H" in out


def test_import_har_nested_2000_deep_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    har = tmp_path / "deep.har"
    har.write_text('{"log": ' + "[" * 2000 + "]" * 2000 + "}", encoding="utf-8")
    assert main(["import", "har", str(har), "--api", "twelvebuild"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "deep.har" in err


def test_import_har_api_path_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    har = tmp_path / "a.har"
    har.write_text(json.dumps({"log": {"entries": []}}), encoding="utf-8")
    assert main(["import", "har", str(har), "--api", "../../etc"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown emulator '../../etc'" in err

"""Issue 24 item 11: a scenario reads only files inside its own folder (`files:`, `state:`, `load_state:`), and
names only registered emulators: `emulator: pwnmod` never imports a module lying beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulators.cli import main
from emulators.testing.scenario import ScenarioError, load

HEAD = "name: t\nemulator: twelvebuild\n"


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "s.scenario.yaml").write_text(text, encoding="utf-8")
    return folder / "s.scenario.yaml"


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "state: ../secret.json\nsteps:\n  - reset: true\n",
        HEAD + "state: /etc/passwd\nsteps:\n  - reset: true\n",
        HEAD + "steps:\n  - load_state: ../secret.json\n",
        HEAD + "steps:\n  - request:\n      method: POST\n      path: /x\n"
        "      files:\n        f: {path: ../secret.json}\n",
    ],
)
def test_replay_file_outside_scenario_folder_refused_one_line(tmp_path: Path, text: str) -> None:
    (tmp_path / "secret.json").write_text('{"secret": 1}', encoding="utf-8")
    path = _write(tmp_path / "scen", text)
    with pytest.raises(ScenarioError) as info:
        load(path)
    assert len(info.value.problems) == 1
    problem = info.value.problems[0]
    assert "outside the scenario's folder" in problem or "absolute path" in problem
    assert problem.startswith(f"{path}:")


def test_replay_symlink_out_of_folder_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.json").write_text('{"secret": 1}', encoding="utf-8")
    folder = tmp_path / "scen"
    folder.mkdir()
    (folder / "link.json").symlink_to(tmp_path / "secret.json")
    with pytest.raises(ScenarioError, match="outside the scenario's folder"):
        load(_write(folder, HEAD + "steps:\n  - load_state: link.json\n"))


def test_replay_file_inside_folder_accepted(tmp_path: Path) -> None:
    folder = tmp_path / "scen"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "state.json").write_text("{}", encoding="utf-8")
    scenario = load(_write(folder, HEAD + "steps:\n  - load_state: data/./state.json\n"))
    assert scenario.resolve("data/state.json") == folder / "data" / "state.json"


def test_replay_unregistered_emulator_module_not_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "scen"
    folder.mkdir()
    marker = tmp_path / "ran"
    (folder / "pwnmod.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n", encoding="utf-8")
    path = _write(folder, "name: t\nemulator: pwnmod\nsteps:\n  - reset: true\n")
    monkeypatch.chdir(folder)
    monkeypatch.syspath_prepend(str(folder))
    assert main(["replay", str(path)]) == 1
    assert not marker.exists()
    err = capsys.readouterr()
    text = err.out + err.err
    assert "unknown emulator 'pwnmod'; known: bouwsoft, superoffice, aktion, twelvebuild" in text
    assert "Traceback" not in text

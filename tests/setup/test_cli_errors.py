"""Every user mistake on the command line: one line on stderr, a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from emulators import __version__
from emulators.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_serve_port_in_use_names_port_and_api(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        rc, _, err = run(capsys, "serve", "aktion", "--port", str(port))
    assert rc == 1
    assert one_line(err) == f"emulators serve: error: port {port} (aktion) is already in use on 127.0.0.1"


def test_serve_invalid_port(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(capsys, "serve", "bouwsoft", "--port", "99999")
    assert rc == 2
    assert out == ""  # no URL is printed for a port that is not served
    assert one_line(err) == "emulators serve: error: --port 99999: not a port number (0-65535)"


def test_serve_port_not_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys, "serve", "bouwsoft", "--port", "http")
    assert rc == 2
    assert one_line(err) == "emulators serve: error: --port http: not a port number (0-65535)"


def test_serve_invalid_log_level(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys, "serve", "bouwsoft", "--log-level", "loud")
    assert rc == 2
    line = one_line(err)
    assert line.startswith("emulators serve: error: --log-level loud: must be one of ")
    assert "warning" in line and "KeyError" not in line


def test_serve_log_level_near_miss_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys, "serve", "bouwsoft", "--log-level", "warn")
    assert rc == 2
    assert one_line(err) == (
        "emulators serve: error: --log-level warn: must be one of critical, error, warning, "
        "info, debug, trace; did you mean `warning`?"
    )


def test_serve_missing_fixtures_file_names_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    rc, _, err = run(capsys, "serve", "bouwsoft", "--fixtures", str(missing))
    assert rc == 2
    assert one_line(err) == f"emulators serve: error: {missing}: no such file"


def test_serve_yaml_syntax_error_names_file_and_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('tenants:\n  "115":\n    projects: [\n', encoding="utf-8")
    rc, _, err = run(capsys, "serve", "bouwsoft", "--fixtures", str(bad))
    assert rc == 2
    line = one_line(err)
    assert line.startswith(f"emulators serve: error: {bad}:4: not valid YAML: ")
    assert "<byte string>" not in line


def test_serve_fixtures_typo_names_file_line_field_and_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text(
        'credentials: {clientnr: 115, refresh_token: "RT"}\ntenants:\n  "115":\n    projets: {}\n', encoding="utf-8"
    )
    rc, _, err = run(capsys, "serve", "bouwsoft", "--fixtures", str(bad))
    assert rc == 2
    assert one_line(err) == (
        f"emulators serve: error: {bad}:4: tenants.115.projets: unknown field `projets`; did you mean `projects`?"
    )


def test_serve_fixtures_with_several_apis_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fx = tmp_path / "fx.yaml"
    fx.write_text("tenants: {}\n", encoding="utf-8")
    rc, _, err = run(capsys, "serve", "bouwsoft", "aktion", "--fixtures", str(fx))
    assert rc == 2
    assert one_line(err) == (
        f"emulators serve: error: --fixtures {fx}: a fixtures file without an API name needs "
        "exactly one API; serving bouwsoft, aktion: use --fixtures API=PATH"
    )


def test_serve_fixtures_unknown_api_suggests(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, _, err = run(capsys, "serve", "bouwsoft", "--fixtures", f"bousoft={tmp_path / 'x.yaml'}")
    assert rc == 2
    assert "unknown emulator 'bousoft'; did you mean `bouwsoft`?" in one_line(err)


def test_serve_unknown_api_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys, "serve", "superofice")
    assert rc == 2
    assert one_line(err) == (
        "emulators serve: error: unknown emulator 'superofice'; did you mean `superoffice`? "
        "(known: bouwsoft, superoffice, aktion, twelvebuild)"
    )


def test_serve_bad_env_var_names_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMULATORS_JOURNAL_LIMIT", "lots")
    rc, _, err = run(capsys, "serve", "bouwsoft")
    assert rc == 2
    assert one_line(err) == (
        "emulators serve: error: EMULATORS_JOURNAL_LIMIT=lots: not a whole number from 1 to 10000000"
    )


def test_serve_env_fixtures_unknown_api(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATORS_FIXTURES_BOUSOFT", "x.yaml")
    rc, _, err = run(capsys, "serve", "bouwsoft")
    assert rc == 2
    assert "EMULATORS_FIXTURES_BOUSOFT: unknown emulator 'bousoft'; did you mean `bouwsoft`?" in one_line(err)


def test_contract_unknown_api_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys, "contract", "aktoin")
    assert rc == 2
    assert "unknown emulator 'aktoin'; did you mean `aktion`?" in one_line(err)


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"emulators (vendor-emulators) {__version__}"


def test_schema_prints_fixtures_schema(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "schema", "fixtures", "bouwsoft")
    assert rc == 0
    schema = json.loads(out)
    assert schema["title"] == "bouwsoft fixtures file"
    assert "tenants" in schema["properties"] and schema["additionalProperties"] is False


def test_schema_scenario_is_printed_for_pip_users(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "schema", "scenario")
    assert rc == 0
    assert "steps" in json.loads(out)["properties"]


def test_schema_unknown_kind_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys, "schema", "fixture", "bouwsoft")
    assert rc == 2
    assert "unknown schema kind 'fixture'; did you mean `fixtures`?" in one_line(err)


def test_schema_per_api_kind_needs_api(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys, "schema", "state")
    assert rc == 2
    assert one_line(err).startswith("emulators schema: error: schema state needs an API")


def test_replay_dead_target_names_the_url(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    scenario = Path(__file__).parents[2] / "fixtures" / "scenarios" / "bouwsoft-seed-examples.scenario.yaml"
    rc, out, _ = run(capsys, "replay", str(scenario), "--target", f"http://127.0.0.1:{port}", "-q")
    assert rc == 1
    assert f"cannot reach the target http://127.0.0.1:{port}" in out
    assert "Traceback" not in out

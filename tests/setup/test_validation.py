"""Fixture files, PUT /__emulator/state, fault rules, clock commands and the plugin's names are validated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import emulators
from emulators.core.config import ConfigError, validate_fixtures
from emulators.core.paths import fixtures_path
from emulators.registry import APIS, get
from emulators.testing.harness import ControlError, in_process

pytest_plugins = ["pytester"]


@pytest.mark.parametrize("api", list(APIS))
def test_default_fixtures_validate_against_their_model(api: str) -> None:
    path = fixtures_path(api)
    text = path.read_text(encoding="utf-8")
    validate_fixtures(get(api), yaml.safe_load(text), str(path), text)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "custom.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_build_app_fixtures_typo_in_table_name(tmp_path: Path) -> None:
    p = _write(tmp_path, 'tenants:\n  "115":\n    projets:\n      "1": {pnr: 1, name: x}\n')
    with pytest.raises(ConfigError) as exc:
        emulators.build_app("bouwsoft", fixtures=p)
    assert str(exc.value) == f"{p}:3: tenants.115.projets: unknown field `projets`; did you mean `projects`?"


def test_build_app_fixtures_typo_in_record_field(tmp_path: Path) -> None:
    p = _write(tmp_path, 'tenants:\n  "115":\n    projects:\n      "1":\n        pnr: 1\n        nmae: x\n')
    with pytest.raises(ConfigError) as exc:
        emulators.build_app("bouwsoft", fixtures=p)
    assert str(exc.value) == f"{p}:6: tenants.115.projects.1.nmae: unknown field `nmae`; did you mean `name`?"


def test_build_app_fixtures_wrong_type_names_value(tmp_path: Path) -> None:
    p = _write(tmp_path, "global:\n  users:\n    Jo:\n      ApiKey: k\n      privileges: {Projects: View}\n")
    with pytest.raises(ConfigError) as exc:
        emulators.build_app("aktion", fixtures=p)
    assert str(exc.value) == f"{p}:5: global.users.Jo.privileges.Projects: Input should be a valid list (got 'View')"


def test_build_app_fixtures_superoffice_vendor_field_typo(tmp_path: Path) -> None:
    p = _write(tmp_path, "tenants:\n  onsite:\n    projects:\n      '1': {ProjectId: 1, ProjectNme: x}\n")
    with pytest.raises(ConfigError) as exc:
        emulators.build_app("superoffice", fixtures=p)
    assert "tenants.onsite.projects.1.ProjectNme: unknown field `ProjectNme`" in str(exc.value)


def test_build_app_fixtures_twelvebuild_list_index_in_path(tmp_path: Path) -> None:
    p = _write(tmp_path, "users:\n  - login: a\n    apikey: k\n")
    with pytest.raises(ConfigError) as exc:
        emulators.build_app("twelvebuild", fixtures=p)
    assert str(exc.value) == f"{p}:3: users[0].apikey: unknown field `apikey`; did you mean `apiKey`?"


def test_build_app_fixtures_not_a_mapping(tmp_path: Path) -> None:
    p = _write(tmp_path, "- just\n- a list\n")
    with pytest.raises(ConfigError) as exc:
        emulators.build_app("bouwsoft", fixtures=p)
    assert str(exc.value).startswith(f"{p}:1: (top level): a fixtures file is a mapping")


# PUT /__emulator/state --------------------------------------------------------------------------------
def test_put_state_nested_typo_is_400_with_suggestion() -> None:
    emu = in_process("bouwsoft")
    r = emu.client.put("/__emulator/state", json={"tenants": {"115": {"projets": {}}}})
    assert r.status_code == 400
    assert r.json()["error"] == "state: tenants.115.projets: unknown field `projets`; did you mean `projects`?"
    assert r.json()["issues"] == [
        {
            "location": "body",
            "name": "tenants.115.projets",
            "message": "unknown field `projets`; did you mean `projects`?",
        }
    ]


def test_put_state_record_field_typo_is_400() -> None:
    emu = in_process("aktion")
    r = emu.client.put(
        "/__emulator/state", json={"tenants": {"default": {"projects": {"C": {"Code": "C", "Nmae": "x"}}}}}
    )
    assert r.status_code == 400
    assert "tenants.default.projects.C.Nmae: unknown field `Nmae`; did you mean `Name`?" in r.json()["error"]


@pytest.mark.parametrize("api", list(APIS))
def test_put_state_round_trip_of_a_dump_is_accepted(api: str) -> None:
    emu = in_process(api)
    state = emu.state.dump()
    emu.state.load(state)
    assert emu.state.dump() == state


# fault rules and clock commands --------------------------------------------------------------------------
def test_add_fault_unknown_operation_is_400_with_suggestion() -> None:
    emu = in_process("bouwsoft")
    r = emu.client.post("/__emulator/faults", json={"operation": "listProjectz", "status": 503})
    assert r.status_code == 400
    assert r.json()["error"] == (
        "fault rule: operation: bouwsoft has no operation 'listProjectz'; did you mean `listProjects`?"
    )
    assert emu.faults.list() == []


def test_add_fault_through_the_handle_raises_control_error() -> None:
    emu = in_process("superoffice")
    with pytest.raises(ControlError, match="did you mean `getProjectEntity`"):
        emu.faults.add(operation="getProjectEntty", status=500)


def test_add_fault_known_operation_still_fires() -> None:
    emu = in_process("bouwsoft")
    emu.faults.add(operation="getAccessToken", status=503)
    creds = emu.credentials
    r = emu.client.get(
        "/api/v1/Authorize/AccessToken",
        headers={"Clientnr": str(creds["clientnr"]), "RefreshToken": creds["refresh_token"]},
    )
    assert r.status_code == 503


def test_set_clock_wrong_type_is_400() -> None:
    emu = in_process("aktion")
    r = emu.client.post("/__emulator/clock", json={"freeze": "yes"})
    assert r.status_code == 400
    assert emu.client.get("/__emulator/clock").json()["frozen"] is False


def test_set_clock_valid_command_applies() -> None:
    emu = in_process("aktion")
    r = emu.client.post("/__emulator/clock", json={"set": "2030-01-02T03:04:05Z", "freeze": True})
    assert r.status_code == 200
    assert r.json() == {"now": "2030-01-02T03:04:05Z", "frozen": True}


def test_clock_command_model_rejects_unknown_key_with_suggestion() -> None:
    from emulators.core.config import validate_clock

    with pytest.raises(ConfigError) as exc:
        validate_clock({"advance_second": 5})
    assert str(exc.value) == "clock: advance_second: unknown field `advance_second`; did you mean `advance_seconds`?"


# journal and plugin names --------------------------------------------------------------------------------
def test_assert_called_unknown_operation_names_nearest(bouwsoft_emulator: Any) -> None:
    with pytest.raises(AssertionError) as exc:
        bouwsoft_emulator.journal.assert_called("listProjectz")
    assert str(exc.value) == "bouwsoft has no operation 'listProjectz'; did you mean `listProjects`?"


def test_assert_called_unknown_operation_live(bouwsoft_server: Any) -> None:
    with pytest.raises(AssertionError, match="did you mean `listProjects`"):
        bouwsoft_server.journal.assert_called("listProjectz")


def test_emulator_fixtures_option_with_unknown_api_is_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_it(bouwsoft_emulator):\n    pass\n")
    result = pytester.runpytest_inprocess("--emulator-fixtures", "bousoft=fx.yaml", "-p", "no:cacheprovider")
    assert result.ret != 0
    result.stderr.fnmatch_lines(
        ["*--emulator-fixtures 'bousoft=fx.yaml': unknown emulator 'bousoft'; did you mean `bouwsoft`?*"]
    )


def test_emulator_fixtures_marker_with_near_miss_api_is_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import pytest
        @pytest.mark.emulator_fixtures(bousoft="fx.yaml")
        def test_it(bouwsoft_emulator):
            pass
    """)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*unknown emulator 'bousoft'; did you mean `bouwsoft`?*"])


def test_emulator_fixtures_marker_custom_file_is_validated(pytester: pytest.Pytester) -> None:
    (pytester.path / "fx.yaml").write_text('tenants:\n  "115":\n    projets: {}\n', encoding="utf-8")
    pytester.makepyfile("""
        import pytest
        @pytest.mark.emulator_fixtures("bouwsoft", "fx.yaml")
        def test_it(bouwsoft_emulator):
            pass
    """)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*fx.yaml:3: tenants.115.projets: unknown field `projets`; did you mean `projects`?*"])


def test_set_clock_unknown_key_names_nearest() -> None:
    emu = in_process("twelvebuild")
    r = emu.client.post("/__emulator/clock", json={"advance_second": 5})
    assert r.status_code == 400
    assert r.json()["error"] == (
        "Additional properties are not allowed ('advance_second' was unexpected); did you mean `advance_seconds`?"
    )


def test_add_fault_unknown_key_names_nearest() -> None:
    emu = in_process("aktion")
    r = emu.client.post("/__emulator/faults", json={"operaton": "login", "status": 500})
    assert r.status_code == 400
    assert r.json()["issues"][0]["name"] == "operaton"
    assert r.json()["error"].endswith("; did you mean `operation`?")

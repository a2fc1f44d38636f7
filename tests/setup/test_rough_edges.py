"""Issue 28's rough edges: the usage line lists every command, `--seed abc` is refused in one line,
sizes take units, scenario test ids fill in `${var}`."""

from __future__ import annotations

import pytest

from emulators.cli import COMMANDS, main
from emulators.core.sizes import parse_size
from emulators.core.sockets import Limits

pytest_plugins = ["pytester"]


def _err(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    try:
        rc = main(list(argv))
    except SystemExit as exc:
        rc = int(exc.code or 0)
    return rc, [line for line in capsys.readouterr().err.splitlines() if line.strip()]


ALL_COMMANDS = [name for name, _ in COMMANDS]


def test_cli_usage_line_lists_every_command_even_after_a_built_in(capsys: pytest.CaptureFixture[str]) -> None:
    rc, lines = _err(capsys, "list", "extra")
    assert rc == 2
    assert lines[0] == "usage: emulators [-h] [--version] {" + ",".join(ALL_COMMANDS) + "} ..."
    assert {"list", "serve", "replay", "record", "proxy", "parity", "mcp", "completion"} <= set(ALL_COMMANDS)
    rc, lines = _err(capsys, "bogus")
    assert rc == 2 and lines[0] == "usage: emulators [-h] [--version] {" + ",".join(ALL_COMMANDS) + "} ..."
    assert lines[1].startswith("emulators: error: argument command: invalid choice: 'bogus'")


def test_cli_serve_seed_not_a_number_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert _err(capsys, "serve", "bouwsoft", "--seed", "abc") == (
        2,
        ["emulators serve: error: --seed abc: not a whole number (the seed of generated ids and tokens)"],
    )


def test_cli_serve_seed_from_env_not_a_number_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMULATORS_SEED", "x1")
    rc, lines = _err(capsys, "serve", "bouwsoft")
    assert (rc, lines) == (
        2,
        ["emulators serve: error: EMULATORS_SEED=x1: not a whole number (the seed of generated ids and tokens)"],
    )


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("16777216", 16 * 1024 * 1024),
        ("16MiB", 16 * 1024 * 1024),
        ("64 KiB", 64 * 1024),
        ("64kib", 64 * 1024),
        ("512k", 512 * 1024),
        ("1GiB", 1024**3),
        ("500KB", 500_000),
        ("2MB", 2_000_000),
        ("1.5MiB", 1536 * 1024),
        ("0", 0),
        (4096, 4096),
    ],
)
def test_parse_size_takes_units(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MiB", "16 parsecs", "-5", "1e6", "16 MiB x"])
def test_parse_size_refuses_what_is_not_a_size(text: str) -> None:
    with pytest.raises(ValueError, match=r"^not a size in bytes, or with a unit: 64KiB, 16MiB"):
        parse_size(text)


def test_limits_from_env_take_units_for_every_size() -> None:
    limits = Limits.from_env(
        {
            "EMULATORS_JOURNAL_BODY_BUDGET": "32MiB",
            "EMULATORS_JOURNAL_BODY_KEEP": "16KiB",
            "EMULATORS_MAX_HEADER_BYTES": "64KiB",
            "EMULATORS_MAX_URL_BYTES": "2MiB",
            "EMULATORS_DRAIN_BYTES": "8MB",
        }
    )
    assert (
        limits.journal_body_budget,
        limits.journal_body_keep,
        limits.max_header_bytes,
        limits.max_url_bytes,
        limits.drain_bytes,
    ) == (32 * 1024**2, 16 * 1024, 64 * 1024, 2 * 1024**2, 8_000_000)


def test_cli_serve_size_with_a_bad_unit_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rc, lines = _err(capsys, "serve", "bouwsoft", "--journal-body-budget", "16furlongs")
    assert (rc, lines) == (
        2,
        [
            "emulators serve: error: --journal-body-budget 16furlongs: not a size in bytes, or with a unit: "
            "64KiB, 16MiB, 1GiB (1024-based), 500KB, 2MB (1000-based)"
        ],
    )
    monkeypatch.setenv("EMULATORS_JOURNAL_BODY_KEEP", "lots")
    rc, lines = _err(capsys, "serve", "bouwsoft")
    assert (rc, lines) == (
        2,
        [
            "emulators serve: error: EMULATORS_JOURNAL_BODY_KEEP='lots' is not a size in bytes, or with a unit: "
            "64KiB, 16MiB, 1GiB (1024-based), 500KB, 2MB (1000-based)"
        ],
    )


SCENARIO = """\
name: ids
emulator: bouwsoft
vars: {project: 3320, who: "${env:WHO_FOR_ID}"}
steps:
  - request: {method: GET, path: "/__emulator/health"}
    capture: {status: $.status}
  - name: read project ${project} for ${who} (${status})
    request: {method: GET, path: "/__emulator/health"}
  - request: {method: GET, path: "/__emulator/health?p=${project}"}
"""


def test_scenario_step_ids_fill_in_vars(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    (pytester.path / "ids.scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    result = pytester.runpytest_inprocess("--collect-only", "-q", "-p", "no:cacheprovider", "-W", "ignore")
    result.stdout.fnmatch_lines(
        [
            "ids.scenario.yaml::01 GET /__emulator/health",
            "ids.scenario.yaml::02 read project 3320 for ${who} (${status})",  # known only when it runs
            "ids.scenario.yaml::03 GET /__emulator/health?p=3320",
        ]
    )

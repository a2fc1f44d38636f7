"""`emulators record`: a running emulator's journal becomes a scenario that replays green."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from emulators.cli import main
from emulators.recording.record import build, fetch, record, to_yaml
from emulators.scenarios.runner import assert_scenario
from emulators.scenarios.scenario import parse
from emulators.testing.harness import Emulator

KEY = {"X-Api-Key": "fixed-token"}
Make = Callable[..., Emulator]


def _session(emu: Emulator) -> None:
    c = emu.client
    assert c.post("/login", params={"user": "alice"}).status_code == 200
    assert c.put("/items/banana1", headers=KEY, json={"name": "banana1", "qty": 2}).status_code == 200
    assert c.get("/items/banana1", headers=KEY).status_code == 200
    assert (
        c.put(
            "/items/fig", headers={**KEY, "Content-Type": "application/xml"}, content=b"<Item><name>fig</name></Item>"
        ).status_code
        == 200
    )
    emu.faults.add(operation="deleteItem", status=503, times=1)
    assert c.delete("/items/fig", headers=KEY).status_code == 503
    assert c.delete("/items/fig", headers=KEY).status_code == 204
    assert c.get("/items/fig", headers=KEY).status_code == 404


def test_record_is_portable_credentials_named_and_no_vars_to_fill(make_live_emulator: Make) -> None:
    emu = make_live_emulator("tests.echo")
    _session(emu)
    text, n = record(emu.base_url, name="recorded", emulator="tests.echo")
    assert n == 7 and text.startswith("# Recorded by `emulators record`")
    scenario = parse(text, "rec.yaml")
    steps = scenario.steps
    assert "vars" not in scenario.data and "***" not in text and "fixed-token" not in text
    assert steps[0]["request"] == {
        "method": "POST",
        "path": "/login",
        "query": {"user": "${credentials.user}"},
        "headers": {"accept": "*/*"},
    }
    assert steps[0]["expect"]["json"] == {"token": {"$any": True}}  # a redacted body key: never written
    put = steps[1]
    assert put["request"]["json"] == {"name": "banana1", "qty": 2}  # the client chose it: no capture
    assert "capture" not in put and put["expect"]["json"] == {"name": "banana1", "qty": 2}
    assert put["request"]["headers"]["x-api-key"] == "${credentials.token}"
    xml = steps[3]["request"]
    assert xml["xml"] == "<Item><name>fig</name></Item>" and xml["headers"]["content-type"] == "application/xml"
    assert steps[4] == {
        "name": "fault f1 was active",
        "fault": {
            "when": "before",
            "operation": "deleteItem",
            "status": 503,
            "delay_ms": 0,
            "disconnect": False,
            "times": 1,
        },
    }
    assert steps[5]["expect"]["status"] == 503 and "contract" not in steps[5]["expect"]
    assert steps[-1]["expect"]["json"] == {"error": "no item fig", "code": "NotFound"}


def test_record_captures_a_minted_token_before_redaction(make_live_emulator: Make, tmp_path: Path) -> None:
    emu = make_live_emulator("tests.echo")
    token = emu.client.post("/login", params={"user": "alice"}).json()["token"]
    assert emu.client.get("/items", headers={"X-Api-Key": token}).json()[0]["name"] == "apple"
    text, _ = record(emu.base_url, emulator="tests.echo")
    assert token not in text
    steps = parse(text, "rec.yaml").steps
    assert steps[0]["capture"] == {"token": "$.token"} and steps[0]["expect"]["json"] == {"token": {"$type": "string"}}
    assert steps[1]["request"]["headers"]["x-api-key"] == "${token}"
    out = tmp_path / "token.yaml"
    out.write_text(text, encoding="utf-8")
    assert [s.outcome for s in assert_scenario(out).steps] == ["passed", "passed"]  # another token in-process
    assert assert_scenario(out, target=emu.server.url).outcome == "passed"  # and in a fresh namespace


def test_record_then_replay_in_process_is_green(make_live_emulator: Make, tmp_path: Path) -> None:
    emu = make_live_emulator("tests.echo")
    _session(emu)
    out = tmp_path / "recorded.yaml"
    assert main(["record", "--from", emu.base_url, "--out", str(out), "--emulator", "tests.echo"]) == 0
    result = assert_scenario(out)
    assert [s.outcome for s in result.steps] == ["passed"] * 8


def test_record_from_an_exported_journal_fills_redacted_values(make_live_emulator: Make) -> None:
    emu = make_live_emulator("tests.echo")
    _session(emu)
    emulator, entries, rules = fetch(emu.base_url)
    assert emulator == "echo" and len(entries) == 7 and rules[0]["id"] == "f1"
    data = build("tests.echo", entries, rules, credentials={"x_api_key": "k"})
    assert data["vars"] == {"secret_user": "***"}  # no credential named like it: to fill in
    assert data["steps"][0]["request"]["query"] == {"user": "${secret_user}"}
    assert data["steps"][1]["request"]["headers"]["x-api-key"] == "${credentials.x_api_key}"
    assert parse(to_yaml(data), "x.yaml").steps


def test_record_loosens_time_stamps_unless_exact() -> None:
    entry = {
        "seq": 1,
        "method": "GET",
        "path": "/x",
        "query": {},
        "operation": "getX",
        "status": 200,
        "fault": None,
        "request": {"headers": {}, "body": None},
        "response": {
            "headers": {"content-type": "application/json"},
            "body": {"when": "2026-01-02T03:04:05.123Z", "day": "2026-01-02 10:00", "n": "x"},
        },
    }
    loose = build("tests.echo", [entry])["steps"][0]["expect"]["json"]
    assert loose["when"] == {"$date": "iso"} and loose["n"] == "x"
    assert loose["day"] == {"$date": "iso"}
    exact = build("tests.echo", [entry], exact=True)["steps"][0]["expect"]["json"]
    assert exact["when"] == "2026-01-02T03:04:05.123Z"


def test_record_of_an_empty_journal_is_still_valid() -> None:
    scenario = parse(to_yaml(build("tests.echo", [])), "x.yaml")
    assert scenario.steps == [{"reset": True}]


def test_cli_record_writes_a_file(make_live_emulator: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    emu = make_live_emulator("tests.echo")
    _session(emu)
    out = tmp_path / "sub" / "rec.yaml"
    assert (
        main(
            [
                "record",
                "--from",
                emu.base_url,
                "--out",
                str(out),
                "--emulator",
                "tests.echo",
                "--operation",
                "getItem",
                "--name",
                "gets",
            ]
        )
        == 0
    )
    assert "recorded 2 request(s)" in capsys.readouterr().err
    data: dict[str, Any] = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["name"] == "gets" and data["emulator"] == "tests.echo"
    assert [s["request"]["path"] for s in data["steps"]] == ["/items/banana1", "/items/fig"]
    assert main(["record", "--from", emu.base_url, "--limit", "1"]) == 0
    assert "/items/fig" in capsys.readouterr().out


def test_cli_record_from_something_that_is_no_emulator(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["record", "--from", "http://127.0.0.1:9"]) == 2
    assert "cannot read the journal of http://127.0.0.1:9" in capsys.readouterr().err


def test_record_of_hostile_traffic_is_still_a_valid_scenario(make_live_emulator: Make, tmp_path: Path) -> None:
    emu = make_live_emulator("tests.echo")
    c = emu.client
    c.put("/items/x", headers={**KEY, "Content-Type": "application/json"}, content=b'{"name": ')  # malformed
    c.put("/items/y", headers={**KEY, "Content-Type": "application/octet-stream"}, content=bytes(range(256)))
    c.put("/items/${z}", headers=KEY, json={"name": "${not a var}", "qty": 1})
    c.get("/items", headers=KEY, params={"limit": ["1", "2"]})
    c.get("/crash", headers=KEY)
    emu.faults.add(operation="listItems", disconnect=True, times=1)
    with pytest.raises(Exception):  # noqa: B017 - the connection drops, whatever httpx calls it
        c.get("/items", headers=KEY)
    text, n = record(emu.base_url, emulator="tests.echo")
    scenario = parse(text, "hostile.yaml")
    assert n == 6 and scenario.steps[-1]["expect"] == {"disconnected": True}
    put = next(s for s in scenario.steps if "request" in s and s["request"]["path"] == "/items/$${z}")
    assert put["request"]["json"] == {"name": "$${not a var}", "qty": 1}  # literal, not a variable


def test_record_of_a_long_journal_is_linear(make_emulator: Make) -> None:
    import time

    emu = make_emulator("tests.echo")
    for i in range(300):
        emu.client.put(f"/items/i{i}", headers=KEY, json={"name": f"i{i}", "qty": i})
    started = time.perf_counter()
    r = emu.client.get("/__emulator/requests", params={"format": "scenario"})
    elapsed = time.perf_counter() - started
    assert r.status_code == 200 and len(r.json()["steps"]) == 300
    assert elapsed < 5, f"{elapsed:.1f} s for 300 entries"


def _entry(seq: int, method: str, path: str, sent: dict[str, Any] | None, answer: dict[str, Any]) -> dict[str, Any]:
    json_ct = {"content-type": "application/json"}
    return {
        "seq": seq,
        "method": method,
        "path": path,
        "query": {},
        "operation": None,
        "status": 200,
        "fault": None,
        "request": {"headers": json_ct if sent else {}, "body": sent},
        "response": {"headers": json_ct, "body": answer},
    }


def test_record_takes_a_clock_value_from_the_latest_answer_that_minted_it() -> None:
    # the default entity's EndDate is the clock's second: answers 1 and 3 mint it, 2 and 4 echo a POST
    when = "2026-12-07T17:40:12"
    data = build(
        "tests.echo",
        [
            _entry(1, "GET", "/default", None, {"EndDate": when}),
            _entry(2, "POST", "/p", {"EndDate": when}, {"EndDate": when, "Id": 7}),
            _entry(3, "GET", "/default", None, {"EndDate": when}),
            _entry(4, "POST", "/p", {"EndDate": when}, {"EndDate": when, "Id": 8}),
        ],
    )
    steps = data["steps"]
    assert steps[0]["capture"] == {"EndDate": "$.EndDate"}
    assert steps[1]["request"]["json"] == {"EndDate": "${EndDate}"}
    assert steps[1]["expect"]["json"]["EndDate"] == "${EndDate}"  # the POST's answer echoes what it sent
    assert steps[2]["capture"] == {"EndDate_2": "$.EndDate"}  # minted anew: a tick on replay is no mismatch
    assert steps[2]["expect"]["json"]["EndDate"] == {"$type": "string"}
    assert steps[3]["request"]["json"] == {"EndDate": "${EndDate_2}"}
    assert steps[3]["expect"]["json"]["EndDate"] == "${EndDate_2}"


def test_record_expects_an_unsent_clock_value_by_its_shape_in_later_answers() -> None:
    when = "2026-12-07T17:40:12"
    data = build(
        "tests.echo",
        [
            _entry(1, "GET", "/default", None, {"EndDate": when}),
            _entry(2, "POST", "/p", {"EndDate": when}, {"Id": 7}),
            _entry(3, "GET", "/default", None, {"EndDate": when}),
        ],
    )
    assert data["steps"][1]["request"]["json"] == {"EndDate": "${EndDate}"}
    assert data["steps"][2]["expect"]["json"]["EndDate"] == {"$date": "iso"}
    assert "capture" not in data["steps"][2]

"""`emulators import har` (HAR 1.2 -> a portable scenario) and `emulators export postman` (collection v2.1).

The HAR inputs are checked against tests/testing/har.schema.json, the scenarios against the scenario
schema, and the collections against the published Postman collection v2.1.0 schema, vendored as
tests/testing/postman-collection-v2.1.0.schema.json (compiled from postmanlabs/schemas, see its $comment)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from emulators.cli import main
from emulators.scenarios.runner import Runner
from emulators.scenarios.scenario import load, parse
from emulators.testing.harness import Emulator
from tests.testing.sessions import SESSIONS

HERE = Path(__file__).parent
HAR = jsonschema.Draft202012Validator(json.loads((HERE / "har.schema.json").read_text(encoding="utf-8")))
POSTMAN_SCHEMA = json.loads((HERE / "postman-collection-v2.1.0.schema.json").read_text(encoding="utf-8"))
POSTMAN = jsonschema.Draft7Validator(POSTMAN_SCHEMA)


def _har(emu: Emulator, api: str) -> dict[str, Any]:
    SESSIONS[api](emu.client, emu.credentials)
    har: dict[str, Any] = emu.journal.har()
    HAR.validate(har)
    return har


@pytest.mark.parametrize("api", sorted(SESSIONS))
def test_import_har_of_our_redacted_export_replays_green(api: str, make_live_emulator: Any, tmp_path: Path) -> None:
    emu = make_live_emulator(api)
    har_file = tmp_path / "session.har"
    har_file.write_text(json.dumps(_har(emu, api)), encoding="utf-8")
    out = tmp_path / "imported.scenario.yaml"
    assert main(["import", "har", str(har_file), "--api", api, "--out", str(out)]) == 0
    scenario = load(out)
    assert "***" not in out.read_text(encoding="utf-8").split("vars:")[0] or "vars" in scenario.data
    lines: list[str] = []
    assert Runner(out=lines.append).run(scenario).outcome == "passed", "\n".join(lines)


def test_import_har_from_a_browser_names_credentials_and_captures_tokens(
    make_live_emulator: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = make_live_emulator("bouwsoft")
    har = _har(emu, "bouwsoft")
    creds = emu.credentials
    token = emu.client.get(
        "/api/v1/Authorize/AccessToken", headers={"Clientnr": "115", "RefreshToken": creds["refresh_token"]}
    ).json()["AccessToken"]
    for entry in har["log"]["entries"]:  # what dev tools record: the real values
        for h in entry["request"]["headers"]:
            if h["name"].lower() == "refreshtoken":
                h["value"] = creds["refresh_token"]
    har_file = tmp_path / "browser.har"
    har_file.write_text(json.dumps(har), encoding="utf-8")
    assert main(["import", "har", str(har_file), "--api", "bouwsoft"]) == 0
    text = capsys.readouterr().out
    assert creds["refresh_token"] not in text and token not in text
    data = parse(text, "stdout").data
    first = data["steps"][0]
    assert first["request"]["headers"]["refreshtoken"] == "${credentials.refresh_token}"
    assert first["capture"] == {"AccessToken": "$.AccessToken"}
    assert data["steps"][1]["request"]["headers"]["accesstoken"] == "${AccessToken}"


def test_import_har_of_something_else_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.har"
    bad.write_text('{"log": {"entries": [{"request": {}}]}}', encoding="utf-8")
    assert main(["import", "har", str(bad), "--api", "bouwsoft"]) == 2
    assert capsys.readouterr().err == f"error: {bad}: $.log.entries[0].response: missing or not dict\n"
    bad.write_text("not json", encoding="utf-8")
    assert main(["import", "har", str(bad), "--api", "bouwsoft"]) == 2
    assert "not JSON" in capsys.readouterr().err


@pytest.mark.parametrize("api", sorted(SESSIONS))
def test_export_postman_is_a_valid_v21_collection_of_every_operation(api: str, tmp_path: Path) -> None:
    from emulators.core.contract import Contract
    from emulators.testing.harness import resolve_spec

    out = tmp_path / "c.json"
    assert main(["export", "postman", api, "--out", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in POSTMAN.iter_errors(doc)]
    assert not errors, errors[:5]
    assert doc["info"]["schema"] == "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
    names = sorted(i["name"] for folder in doc["item"] for i in folder["item"])
    assert names == sorted(Contract.load(resolve_spec(api).contract).operations)
    assert doc["variable"][0]["key"] == "baseUrl"


def test_export_postman_auth_is_variables() -> None:
    from emulators.recording.postman import collection

    doc = collection("bouwsoft")
    items = {i["name"]: i["request"] for f in doc["item"] for i in f["item"]}
    headers = {h["key"]: h["value"] for h in items["getProject"]["header"]}
    assert headers["Clientnr"] == "{{clientnr}}" and headers["AccessToken"] == "{{access_token}}"
    assert {v["key"]: v["value"] for v in doc["variable"]}["clientnr"] == "115"
    aktion = {i["name"]: i["request"] for f in collection("aktion")["item"] for i in f["item"]}
    query = {q["key"]: q["value"] for q in aktion["getProject"]["url"]["query"]}
    assert query["Token"] == "{{Token}}"
    assert aktion["login"]["auth"] == {"type": "noauth"} and json.loads(aktion["login"]["body"]["raw"])


def test_postman_schema_rejects_a_broken_collection() -> None:
    assert list(POSTMAN.iter_errors({"info": {"name": "x"}, "item": [{"request": {"url": 5}}]}))

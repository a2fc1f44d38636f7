"""Auth (getToken, X-Auth-Token, tenancy), the contract itself, prefixes, alternative methods, the envelope."""

from __future__ import annotations

import re
from typing import Any

import yaml
from openapi_spec_validator import validate

from emulators.core.clock import parse_iso
from emulators.core.contract import Contract
from emulators.core.paths import contract_path
from emulators.twelvebuild import EMULATOR

from .helpers import CALCULATOR, MANAGER, OTHER_COMPANY, TB, error_of


def test_contract_is_valid_openapi() -> None:
    validate(yaml.safe_load(contract_path("twelvebuild").read_text(encoding="utf-8")))


def test_contract_operations_equal_handlers() -> None:
    ops = Contract.load(contract_path("twelvebuild")).operations
    assert set(ops) == set(EMULATOR.handlers)
    alternatives = {o for o in ops if o.endswith("Alt")}
    assert len(ops) - len(alternatives) == 64
    for alt in alternatives:
        assert EMULATOR.handlers[alt] is EMULATOR.handlers[alt[:-3]]


def test_contract_examples_validate_against_their_schemas() -> None:
    contract = Contract.load(contract_path("twelvebuild"))
    checked = 0
    for op in contract.operations.values():
        for status, resp in op.raw["responses"].items():
            for mt, media in (resp.get("content") or {}).items():
                if "example" in media:
                    assert op.response_validators[(status, mt)].issues(media["example"], "x") == [], op.operation_id
                    checked += 1
    assert checked >= 50


def test_credentials_endpoint_has_login_and_apiKey() -> None:
    assert TB().client.get("/__emulator/credentials").json() == MANAGER


def test_getToken_returns_the_same_token_until_it_expires() -> None:
    tb = TB()
    first = tb.client.get("/tokens", params=MANAGER).json()
    second = tb.client.get("/tokens", params=MANAGER).json()
    assert first == second
    assert re.fullmatch(r"[0-9a-f]{128}", first["token"])


def test_getToken_expireDate_is_one_hour_on_the_emulator_clock() -> None:
    tb = TB()
    tb.client.post("/__emulator/clock", json={"freeze": True})
    now = parse_iso(tb.client.get("/__emulator/clock").json()["now"]).timestamp()
    body = tb.client.get("/tokens", params={**MANAGER, "forceNew": "1"}).json()
    assert body["expireDate"] == str(int(now + 3600))


def test_getToken_forceNew_issues_a_new_token() -> None:
    tb = TB()
    first = tb.client.get("/tokens", params=MANAGER).json()["token"]
    second = tb.client.get("/tokens", params={**MANAGER, "forceNew": "1"}).json()["token"]
    assert first != second
    assert tb.client.get("/tokens", params={**MANAGER, "forceNew": "0"}).json()["token"] in (first, second)
    assert tb.get("/project/list", headers={"X-Auth-Token": second}, auth=False).status_code == 200


def test_getToken_expired_token_is_401_and_a_new_one_is_issued() -> None:
    tb = TB()
    token = tb.headers["X-Auth-Token"]
    tb.client.post("/__emulator/clock", json={"advance_seconds": 3601})
    r = tb.get("/project/list")
    assert error_of(r, 401, "Unauthorized")["message"] == "Token expired"
    fresh = tb.client.get("/tokens", params=MANAGER).json()["token"]
    assert fresh != token
    assert tb.get("/project/list", headers={"X-Auth-Token": fresh}, auth=False).status_code == 200


def test_getToken_wrong_apiKey_is_401() -> None:
    r = TB().client.get("/tokens", params={**MANAGER, "apiKey": "nope"})
    assert error_of(r, 401, "Unauthorized")["message"] == "Invalid login or apiKey"


def test_getToken_unknown_login_is_401() -> None:
    r = TB().client.get("/tokens", params={**MANAGER, "login": "nobody@example.nl"})
    error_of(r, 401, "Unauthorized")


def test_getProject_missing_token_message() -> None:
    r = TB().get("/project/1234567", auth=False)
    assert error_of(r, 401, "Unauthorized")["message"] == "Missing X-Auth-Token header"


def test_getProject_other_company_is_404() -> None:
    """A token acts for its user's company: another contractor does not see project 1234567."""
    tb = TB(OTHER_COMPANY)
    error_of(tb.get("/project/1234567"), 404, "NotFound")
    assert tb.get("/project/list").json() == []


def test_listProjects_served_under_rest_prefix() -> None:
    tb = TB()
    assert tb.get("/rest/1.1/project/list").json() == tb.get("/project/list").json()
    r = tb.client.get("/rest/1.1/tokens", params=CALCULATOR)
    assert r.status_code == 200


def test_closeProject_accepts_put_as_alternative() -> None:
    tb = TB()
    assert tb.put("/project/1234567/close").json()[0]["closedPhases"] == ["Calculatie", "Inkoop", "Uitvoering"]
    assert tb.put("/project/1234567/open").json()[0]["openPhases"] == ["Calculatie", "Inkoop", "Uitvoering"]


def test_closeProjectPhase_accepts_put_as_alternative() -> None:
    tb = TB()
    assert tb.put("/project/1234567/projectphase/close", {"phase": "Uitvoering"}).json()[0]["closedPhases"] == [
        "Uitvoering"
    ]
    assert tb.put("/project/1234567/projectphase/open", {"phase": "All"}).json()[0]["openPhases"] == [
        "Calculatie",
        "Inkoop",
        "Uitvoering",
    ]


def test_setExternalReference_accepts_post_as_alternative() -> None:
    r = TB().post("/document/6448805/externalreference", {"type": "erp", "referenceId": "X"})
    assert r.json()["reference"] == {"type": "erp", "referenceId": "X"}


def test_linkBudgetRow_accepts_put_and_unlinkBudgetRow_accepts_delete() -> None:
    tb = TB()
    assert tb.put("/budgetrow/link", {"budgetRowId": "16", "workCategoryId": "43"}).status_code == 200
    assert tb.delete("/budgetrow/unlink", {"budgetRowId": "16", "workCategoryId": "43"}).status_code == 200
    links = tb.get("/budgetrow/1").json()["data"][0]["links"]
    assert [link["objectId"] for link in links] == [30]


def test_getProject_wrong_method_is_405_in_the_envelope() -> None:
    r = TB().call("PATCH", "/project/1234567")
    error_of(r, 405, "MethodNotAllowed")


def test_unknown_path_is_404_in_the_envelope() -> None:
    error_of(TB().get("/nothing/here"), 404, "NotFound")


def test_addProject_params_in_form_body() -> None:
    """POST/PUT parameters may travel in a form-encoded body as well as in the query string."""
    tb = TB()
    r = tb.post("/project", data={"name": "Formulier project", "city": "Hengelo"})
    assert r.status_code == 200, r.text
    project = tb.get(f"/project/{r.json()['id']}").json()
    assert (project["name"], project["city"]) == ("Formulier project", "Hengelo")


def test_addProject_form_body_still_validated() -> None:
    r = TB().post("/project", data={"name": "x", "countryCode": "n1"})
    error_of(r, 400, "InvalidParameter", "countryCode")


def test_getToken_through_the_pytest_plugin_fixture(twelvebuild_emulator: Any) -> None:
    """The generic harness (emulators.testing) drives this API: credentials, client and clock."""
    emu = twelvebuild_emulator
    token = emu.client.get("/tokens", params=emu.credentials).json()["token"]
    assert emu.client.get("/project/list", headers={"X-Auth-Token": token}).status_code == 200
    emu.clock.advance(3601)
    r = emu.client.get("/project/list", headers={"X-Auth-Token": token})
    assert error_of(r, 401, "Unauthorized")["message"] == "Token expired"

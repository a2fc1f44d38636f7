"""The fixtures' session token (`fixture: true` in global.tokens, an emulator assumption): every reset issues it
again for John.Doo, valid token_seconds (20) from the reset on the emulator clock; POST login is unchanged."""

from __future__ import annotations

import copy

import httpx

from emulators import build_app
from emulators.core.app import load_fixtures
from emulators.core.paths import fixtures_path
from emulators.testing.harness import in_process
from emulators.testing.transport import client_for

from .conftest import GET, KEYS, UPDATE, assert_result

FIXTURE_TOKEN = "f1c7e5e0-0000-4000-8000-000000000001"  # fixtures/aktion/default.yaml, docs/pytest.md


def get_project(client: httpx.Client, token: str) -> httpx.Response:
    return client.get(GET, params={"Token": token, "Code": "CODE 1001"})


def test_getProject_with_fixture_token_after_reset_succeeds(client: httpx.Client) -> None:
    r = get_project(client, FIXTURE_TOKEN)
    assert r.status_code == 200, r.text
    assert r.json()["Request"][0]["Code"] == "CODE 1001"


def test_getProject_with_fixture_token_in_any_guid_spelling_succeeds(client: httpx.Client) -> None:
    assert get_project(client, "{" + FIXTURE_TOKEN.upper() + "}").status_code == 200


def test_getProject_with_fixture_token_20_seconds_after_reset_is_expired(client: httpx.Client) -> None:
    assert get_project(client, FIXTURE_TOKEN).status_code == 200
    client.post("/__emulator/clock", json={"advance_seconds": 20})
    assert_result(get_project(client, FIXTURE_TOKEN), 401, 1001, f"Token {FIXTURE_TOKEN} already expired")


def test_getProject_with_fixture_token_expiry_counts_from_the_reset_not_first_use(client: httpx.Client) -> None:
    client.post("/__emulator/clock", json={"advance_seconds": 21})  # before any request built the store
    assert_result(get_project(client, FIXTURE_TOKEN), 401, 1001, f"Token {FIXTURE_TOKEN} already expired")


def test_reset_with_expired_fixture_token_issues_it_again(client: httpx.Client) -> None:
    client.post("/__emulator/clock", json={"advance_seconds": 21})
    assert get_project(client, FIXTURE_TOKEN).status_code == 401
    assert client.post("/__emulator/reset", json={}).status_code == 200
    assert get_project(client, FIXTURE_TOKEN).status_code == 200


def test_state_with_fixture_token_shows_it_as_the_fixtures_give_it(client: httpx.Client) -> None:
    assert get_project(client, FIXTURE_TOKEN).status_code == 200  # using it writes nothing
    tokens = client.get("/__emulator/state").json()["global"]["tokens"]
    assert tokens == {FIXTURE_TOKEN: {"user": "John.Doo", "fixture": True}}


def test_updateProject_with_fixture_token_after_another_users_change_is_refused(client: httpx.Client) -> None:
    """The fixture token counts as issued at the reset: a change by another user since then is a conflict (4)."""
    jane = client.post("/api/login", json={"UserLogin": "Jane.Doe", "ApiKey": KEYS["Jane.Doe"]}).json()["Token"]
    body = {"Code": "CODE 1001", "City": "Brno"}
    assert client.post(UPDATE, params={"Token": jane}, json=body).status_code == 200
    r = client.post(UPDATE, params={"Token": FIXTURE_TOKEN}, json={"Code": "CODE 1001", "City": "Praha"})
    assert r.json()["Result"]["Code"] == 4, r.text


def test_login_with_fixture_tokens_issues_the_same_tokens_as_without() -> None:
    """The fixture token takes no id from the seeded sequence: login answers exactly as before."""
    plain = copy.deepcopy(load_fixtures(None, fixtures_path("aktion")))
    del plain["global"]["tokens"][FIXTURE_TOKEN]
    body = {"UserLogin": "John.Doo", "ApiKey": KEYS["John.Doo"]}
    frozen = {"set": "2019-01-01T07:00:00Z", "freeze": True}
    answers = []
    for app in (build_app("aktion"), build_app("aktion", fixtures=plain)):
        with client_for(app) as c:
            c.post("/__emulator/clock", json=frozen)
            answers.append([c.post("/api/login", json=body).json() for _ in range(2)])
    assert answers[0] == answers[1]
    assert FIXTURE_TOKEN not in {a["Token"] for a in answers[0]}


def test_getProject_without_fixture_tokens_in_fixtures_is_not_found() -> None:
    plain = copy.deepcopy(load_fixtures(None, fixtures_path("aktion")))
    del plain["global"]["tokens"][FIXTURE_TOKEN]
    with client_for(build_app("aktion", fixtures=plain)) as c:
        assert_result(get_project(c, FIXTURE_TOKEN), 401, 1000, f"Token {FIXTURE_TOKEN} not found")


def test_fixture_token_on_harness_is_the_documented_token() -> None:
    with in_process("aktion") as emu:
        assert emu.fixture_token == FIXTURE_TOKEN
        emu.reset()
        assert get_project(emu.client, emu.fixture_token).status_code == 200


def test_put_state_with_token_without_times_and_not_fixture_is_refused(client: httpx.Client) -> None:
    state = client.get("/__emulator/state").json()
    state["global"]["tokens"]["0e0e0e0e-0000-4000-8000-000000000002"] = {"user": "John.Doo"}
    r = client.put("/__emulator/state", json=state)
    assert r.status_code == 400, r.text
    assert r.json()["issues"][0]["message"].endswith("issued_at and expires_at are required unless fixture is true")

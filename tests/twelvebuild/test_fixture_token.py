"""The fixtures' session token (`fixture: true` in global.tokens, an emulator assumption): every reset issues
it again for the group manager, valid token_lifetime_seconds (3600) from the reset on the emulator clock;
getToken is unchanged."""

from __future__ import annotations

import copy

from emulators import build_app
from emulators.core.app import load_fixtures
from emulators.core.paths import fixtures_path
from emulators.testing.harness import in_process
from emulators.testing.transport import client_for

from .helpers import MANAGER, error_of

FIXTURE_TOKEN = "f1c7e5e0" * 16  # fixtures/twelvebuild/default.yaml, docs/pytest.md
HEADERS = {"X-Auth-Token": FIXTURE_TOKEN}


def test_getProject_with_fixture_token_after_reset_succeeds() -> None:
    with client_for(build_app("twelvebuild")) as c:
        r = c.get("/project/1234567", headers=HEADERS)
        assert r.status_code == 200, r.text
        assert r.json()["id"] == "1234567"


def test_listProjects_with_fixture_token_an_hour_after_reset_is_expired() -> None:
    with client_for(build_app("twelvebuild")) as c:
        assert c.get("/project/list", headers=HEADERS).status_code == 200
        c.post("/__emulator/clock", json={"advance_seconds": 3601})
        assert error_of(c.get("/project/list", headers=HEADERS), 401, "Unauthorized")["message"] == "Token expired"
        assert c.post("/__emulator/reset", json={}).status_code == 200  # the reset issues it again
        assert c.get("/project/list", headers=HEADERS).status_code == 200


def test_getToken_with_fixture_token_live_issues_the_same_tokens_as_without() -> None:
    """getToken never hands out the fixture token and takes the same ids as before: the first login's token,
    then the same one again until it expires."""
    plain = copy.deepcopy(load_fixtures(None, fixtures_path("twelvebuild")))
    del plain["global"]["tokens"][FIXTURE_TOKEN]
    answers = []
    for app in (build_app("twelvebuild"), build_app("twelvebuild", fixtures=plain)):
        with client_for(app) as c:
            c.post("/__emulator/clock", json={"set": "2026-01-01T00:00:00Z", "freeze": True})
            answers.append([c.get("/tokens", params=MANAGER).json() for _ in range(2)])
    assert answers[0] == answers[1]
    assert answers[0][0] == answers[0][1] and answers[0][0]["token"] != FIXTURE_TOKEN


def test_state_with_fixture_token_shows_it_as_the_fixtures_give_it() -> None:
    with client_for(build_app("twelvebuild")) as c:
        assert c.get("/project/list", headers=HEADERS).status_code == 200  # using it writes nothing
        tokens = c.get("/__emulator/state").json()["global"]["tokens"]
    assert tokens == {FIXTURE_TOKEN: {"login": MANAGER["login"], "fixture": True}}


def test_fixture_token_on_harness_is_the_documented_token() -> None:
    with in_process("twelvebuild") as emu:
        assert emu.fixture_token == FIXTURE_TOKEN
        assert emu.client.get("/project/1234567", headers={"X-Auth-Token": emu.fixture_token}).status_code == 200
    with in_process("bouwsoft") as emu:
        assert emu.fixture_token is None

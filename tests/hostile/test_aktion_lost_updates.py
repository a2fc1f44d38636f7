"""Issue 24 item 8: "already changed by another user" (403, Code 4) by a change counter, so a frozen clock
(every instant equal) loses no update: John's write from a token older than Jane's change is refused."""

from __future__ import annotations

import httpx
import pytest

from emulators import build_app
from emulators.testing.transport import client_for
from tests.aktion.conftest import login as _login
from tests.aktion.conftest import update


def _update(c: httpx.Client, token: str, city: str) -> httpx.Response:
    return update(c, token, {"Code": "CODE 1001", "City": city})


@pytest.mark.parametrize("clock", ["frozen", "running"])
def test_updateProject_stale_token_after_other_users_change_403_4_aktion(clock: str) -> None:
    with client_for(build_app("aktion")) as c:
        if clock == "frozen":
            c.post("/__emulator/clock", json={"freeze": True})
        lost = 0
        for i in range(100):
            johns = _login(c, "John.Doo")
            janes = _login(c, "Jane.Doe")
            assert _update(c, janes, f"Jane {i}").status_code == 200
            r = _update(c, johns, f"John {i}")
            if r.status_code == 200:
                lost += 1
            else:
                assert r.status_code == 403
                assert r.json()["Result"]["Code"] == 4
                assert r.json()["Result"]["Message"] == "Db operation failed, already changed by another user"
        assert lost == 0


def test_updateProject_token_after_change_frozen_clock_200_aktion() -> None:
    with client_for(build_app("aktion")) as c:
        c.post("/__emulator/clock", json={"freeze": True})
        assert _update(c, _login(c, "Jane.Doe"), "Jane").status_code == 200
        assert _update(c, _login(c, "John.Doo"), "John").status_code == 200


def test_state_round_trip_keeps_change_counter_aktion() -> None:
    with client_for(build_app("aktion")) as c:
        c.post("/__emulator/clock", json={"freeze": True})
        johns = _login(c, "John.Doo")
        assert _update(c, _login(c, "Jane.Doe"), "Jane").status_code == 200
        state = c.get("/__emulator/state").json()
        assert c.put("/__emulator/state", json=state).status_code == 200
        assert _update(c, johns, "John").json()["Result"]["Code"] == 4

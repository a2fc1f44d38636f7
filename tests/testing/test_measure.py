"""The per-test price of an emulator fixture: reset + one request in-process (target: median <= 1 ms)."""

from __future__ import annotations

import tests.echo as echo
from emulators import build_app
from emulators.testing.measure import reset_and_request_median_ms


def test_reset_and_request_median_ms_for_the_echo_api() -> None:
    ms = reset_and_request_median_ms("tests.echo", n=200)
    assert 0 < ms < 5  # the target is 1 ms (make bench); a loose bound keeps slow CI machines green


def test_reset_and_request_median_ms_accepts_an_app_and_a_request() -> None:
    app = build_app(echo.EMULATOR)
    ms = reset_and_request_median_ms(app, n=20, method="GET", path="/items/apple", headers={"X-Api-Key": "fixed-token"})
    assert ms > 0
    assert len(app.default_world.journal) == 1  # each round starts from a fresh world
    assert app.default_world.journal.entries()[0].status == 200


def test_reset_and_request_median_ms_accepts_a_spec() -> None:
    assert reset_and_request_median_ms(echo.EMULATOR, n=10) > 0

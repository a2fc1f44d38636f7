"""`python -m emulators.healthcheck`, the container's HEALTHCHECK, against a real server and empty ports."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from emulators import healthcheck


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _health_url(server: Any) -> str:
    origin = server.base_url.split("/__ns/")[0].rstrip("/")
    return f"{origin}/__emulator/health"


def test_default_urls_are_the_four_emulator_ports() -> None:
    assert healthcheck.default_urls({}) == [f"http://127.0.0.1:{p}/__emulator/health" for p in (8701, 8702, 8703, 8704)]


@pytest.mark.parametrize("var", ["EMULATORS_PORT", "EMULATORS_BASE_PORT"])
def test_default_urls_follow_the_port_variables(var: str) -> None:
    assert healthcheck.default_urls({var: "9000"})[-1] == "http://127.0.0.1:9003/__emulator/health"


def test_probe_without_listener_is_none() -> None:
    assert healthcheck.probe(f"http://127.0.0.1:{_free_port()}/__emulator/health") is None


def test_main_healthy_when_the_emulator_answers_ok(bouwsoft_server: Any, capsys: pytest.CaptureFixture[str]) -> None:
    url = _health_url(bouwsoft_server)
    assert healthcheck.main([url]) == 0
    assert capsys.readouterr().out == f"healthy: {url}\n"


def test_main_unhealthy_when_a_named_url_has_no_listener(
    bouwsoft_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = f"http://127.0.0.1:{_free_port()}/__emulator/health"
    assert healthcheck.main([_health_url(bouwsoft_server), dead]) == 1
    assert capsys.readouterr().out == f"unhealthy: {dead}\n"


def test_main_unhealthy_when_the_answer_is_not_ok(bouwsoft_server: Any, capsys: pytest.CaptureFixture[str]) -> None:
    url = _health_url(bouwsoft_server).replace("/health", "/no-such-route")
    assert healthcheck.main([url]) == 1
    assert capsys.readouterr().out == f"unhealthy: {url}\n"


def test_main_unhealthy_when_nothing_listens(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _free_port()
    monkeypatch.setenv("EMULATORS_BASE_PORT", str(port))
    monkeypatch.delenv("EMULATORS_PORT", raising=False)
    monkeypatch.delenv("EMULATORS_HEALTHCHECK_URLS", raising=False)
    assert healthcheck.main([]) == 1
    assert capsys.readouterr().out.startswith("unhealthy: no emulator answers on http://127.0.0.1:")

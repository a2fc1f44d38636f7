"""The control plane from a CI network (issue 28): other services reach it by name when
EMULATORS_CONTROL_HOSTS names it (and the 403 says so); with a control token the dashboard takes the
token once from its address into an HttpOnly, SameSite=Strict cookie."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from emulators import build_app
from emulators.core.sockets import Limits
from emulators.testing.transport import client_for

ROOT = Path(__file__).resolve().parents[2]


def test_control_plane_foreign_host_403_names_the_variable() -> None:
    with client_for(build_app("bouwsoft"), base_url="http://127.0.0.1:8701") as c:
        r = c.get("/__emulator/health", headers={"Host": "emulators:8701"})
    assert r.status_code == 403
    assert r.json()["error"] == (
        "Host 'emulators' is not allowed on the control plane: use localhost or the bound address, "
        "or name it in EMULATORS_CONTROL_HOSTS (comma-separated)"
    )


def test_control_plane_service_name_in_control_hosts_200(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATORS_CONTROL_HOSTS", "emulators,fleet")
    with client_for(build_app("bouwsoft"), base_url="http://127.0.0.1:8701") as c:
        assert c.get("/__emulator/health", headers={"Host": "emulators:8701"}).status_code == 200
        assert c.get("/__emulator/health", headers={"Host": "fleet"}).status_code == 200
        assert c.get("/__emulator/health", headers={"Host": "other:8701"}).status_code == 403


def test_compose_names_its_services_in_control_hosts() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    for name in ("emulators", "fleet"):
        hosts = str(services[name]["environment"]["EMULATORS_CONTROL_HOSTS"]).split(",")
        assert {"emulators", "fleet"} <= {h.strip() for h in hosts}, name


@pytest.mark.parametrize("prefix", ["", "/__ns/qa-1"])
def test_dashboard_token_in_address_becomes_a_strict_httponly_cookie(prefix: str) -> None:
    app = build_app("aktion", limits=Limits(control_token="s3cret"))
    with client_for(app) as c:
        assert c.get(f"{prefix}/__emulator/ui").status_code == 401
        handoff = c.get(f"{prefix}/__emulator/ui", params={"token": "s3cret"}, follow_redirects=False)
        assert handoff.status_code == 303
        assert handoff.headers["location"] == f"{prefix}/__emulator/ui"  # the token leaves the address
        assert handoff.headers["set-cookie"] == "emulators_control_token=s3cret; Path=/; HttpOnly; SameSite=Strict"
        assert handoff.headers["cache-control"] == "no-store"
        cookie = {"Cookie": "emulators_control_token=s3cret"}
        page = c.get(f"{prefix}/__emulator/ui", headers=cookie)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert c.get(f"{prefix}/__emulator/ui/data/requests", headers=cookie).status_code == 200
        assert c.get(f"{prefix}/__emulator/ui", headers={"Cookie": "emulators_control_token=nope"}).status_code == 401


def test_dashboard_wrong_token_in_address_401_and_no_cookie() -> None:
    app = build_app("aktion", limits=Limits(control_token="s3cret"))
    with client_for(app) as c:
        r = c.get("/__emulator/ui", params={"token": "wrong"}, follow_redirects=False)
    assert r.status_code == 401 and "set-cookie" not in r.headers


def test_token_in_address_opens_only_the_dashboard() -> None:
    app = build_app("aktion", limits=Limits(control_token="s3cret"))
    with client_for(app) as c:
        assert c.get("/__emulator/state", params={"token": "s3cret"}, follow_redirects=False).status_code == 401

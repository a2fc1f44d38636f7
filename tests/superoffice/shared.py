"""superoffice's answers to the shared tests (tests/properties/kit.py): credentials, the vendor's validation error and a
state machine over its project resource.

  superoffice  Authorization: Basic tje0:Tje0 (onsite, no prefix)
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, consumes, initialize, rule

from tests.properties.kit import NAMES, ApiMachine, Creds, Recipe


def _superoffice_creds(c: httpx.Client) -> Creds:
    cr = c.get("/__emulator/credentials").json()["basic"]
    raw = base64.b64encode(f"{cr['user']}:{cr['password']}".encode()).decode()
    return {"basic": ("header", "Authorization", f"Basic {raw}")}


def _superoffice_route_miss(status: int, body: Any) -> bool:
    """ASP.NET Web API route constraint `{id:int}`: an id that is no int32 matches no route -> 404
    HttpResponseException "No HTTP resource was found that matches the request URI" (what the emulator serves)."""
    return status == 404 and isinstance(body, dict) and body.get("ErrorType") == "HttpResponseException"


def _superoffice_validation(status: int, body: Any) -> bool:
    return (
        status == 400
        and isinstance(body, dict)
        and bool(body.get("Message") or body.get("message") or body.get("Error") or body.get("error"))
    )


RECIPE = Recipe(
    "superoffice",
    "",
    "onsite",
    _superoffice_creds,
    _superoffice_validation,
    location_answers={"path": _superoffice_route_miss},
)


class SuperOfficeMachine(ApiMachine):
    api = "superoffice"
    tenant = "onsite"
    name_field = "Name"
    projects = Bundle("projects")

    @initialize()
    def start(self) -> None:
        self.h = {"Authorization": "Basic " + base64.b64encode(b"tje0:Tje0").decode()}

    @rule(target=projects, name=NAMES)
    def create(self, name: str) -> Any:
        r = self.call("POST", "/api/v1/Project", json={"Name": name}, headers=self.h)
        assert r.status_code == 200, r.text
        pid = str(r.json()["ProjectId"])
        assert pid not in self.model
        self.model[pid] = name
        return pid

    @rule(pid=projects, name=NAMES)
    def update(self, pid: str, name: str) -> None:
        r = self.call("PUT", f"/api/v1/Project/{pid}", json={"Name": name}, headers=self.h)
        if pid in self.model:
            assert r.status_code == 200 and r.json()["Name"] == name, r.text
            self.model[pid] = name
        else:
            assert r.status_code == 404

    @rule(pid=projects)
    def read(self, pid: str) -> None:
        r = self.call("GET", f"/api/v1/Project/{pid}", headers=self.h)
        if pid in self.model:
            assert r.status_code == 200 and r.json()["Name"] == self.model[pid], r.text
        else:
            assert r.status_code == 404

    @rule(pid=consumes(projects))
    def delete(self, pid: str) -> None:
        r = self.call("DELETE", f"/api/v1/Project/{pid}", headers=self.h)
        assert r.status_code == (204 if pid in self.model else 404), r.text
        if self.model.pop(pid, None) is not None:
            self.deleted.add(pid)

    @rule(seconds=st.sampled_from([1, 3600, 86400]))
    def clock(self, seconds: int) -> None:  # Basic credentials never expire: the clock changes nothing
        self.advance(seconds)


MACHINE = SuperOfficeMachine

"""twelvebuild's answers to the shared tests (tests/properties/kit.py): credentials, the vendor's validation error and a
state machine over its project resource.

  twelvebuild  GET /tokens?login=&apiKey= -> token, sent as the X-Auth-Token header
"""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, initialize, rule

from tests.properties.kit import NAMES, ApiMachine, Creds, Recipe


def _twelvebuild_creds(c: httpx.Client) -> Creds:
    cr = c.get("/__emulator/credentials").json()
    r = c.get("/tokens", params={"login": cr["login"], "apiKey": cr["apiKey"]})
    assert r.status_code == 200, r.text
    return {"token": ("header", "X-Auth-Token", r.json()["token"])}


def _twelvebuild_validation(status: int, body: Any) -> bool:
    err = body.get("error") if isinstance(body, dict) else None
    return status == 400 and isinstance(err, dict) and err.get("code") == 400


RECIPE = Recipe("twelvebuild", "", "1234567", _twelvebuild_creds, _twelvebuild_validation)


class TwelveBuildMachine(ApiMachine):
    api = "twelvebuild"
    tenant = "1234567"
    lifetime = 3600  # "valid one hour" (contract securitySchemes.token)
    projects = Bundle("projects")

    @initialize()
    def start(self) -> None:
        self.issue()

    def issue(self) -> None:
        cr = self.client.get("/__emulator/credentials").json()
        r = self.call("GET", "/tokens", params={**cr, "forceNew": "1"})
        assert r.status_code == 200, r.text
        self.h = {"X-Auth-Token": r.json()["token"]}
        self.elapsed = 0

    @rule()
    def reissue(self) -> None:
        self.issue()

    @rule(target=projects, name=NAMES)
    def create(self, name: str) -> Any:
        r = self.call("POST", "/project", params={"name": name}, headers=self.h)
        if not self.expect_auth(r):
            return "999999"
        assert r.status_code == 200, r.text
        pid = str(r.json()["id"])
        assert pid not in self.model
        self.model[pid] = name
        return pid

    @rule(pid=projects, name=NAMES)
    def update(self, pid: str, name: str) -> None:
        r = self.call("PUT", f"/project/{pid}", params={"name": name}, headers=self.h)
        if self.expect_auth(r) and pid in self.model:
            assert r.status_code == 200, r.text
            self.model[pid] = name

    @rule(pid=projects)
    def read(self, pid: str) -> None:
        r = self.call("GET", f"/project/{pid}", headers=self.h)
        if self.expect_auth(r) and pid in self.model:
            assert r.status_code == 200 and r.json()["name"] == self.model[pid], r.text

    @rule(seconds=st.sampled_from([60, 1200, 3000]))
    def clock(self, seconds: int) -> None:
        self.advance(seconds)


MACHINE = TwelveBuildMachine

"""bouwsoft's answers to the shared tests (tests/properties/kit.py): credentials, the vendor's validation error and a
state machine over its project resource.

  bouwsoft     headers Clientnr + AccessToken (RefreshToken for getAccessToken, appkey for getRefreshToken),
               values from GET /__emulator/credentials
"""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, initialize, rule

from tests.properties.kit import NAMES, ApiMachine, Creds, Recipe


def _bouwsoft_creds(c: httpx.Client) -> Creds:
    cr = c.get("/__emulator/credentials").json()
    return {
        "Clientnr": ("header", "Clientnr", str(cr["clientnr"])),
        "AccessToken": ("header", "AccessToken", cr["access_token"]),
        "RefreshToken": ("header", "RefreshToken", cr["refresh_token"]),
        "appkey": ("header", "appkey", cr["appkey"]),
    }


def _bouwsoft_validation(status: int, body: Any) -> bool:
    """vendor-facts E1: {"RecordChanges":[{"Code":400,"Description","Message":"Bad Request","RequestId"}]}."""
    recs = body.get("RecordChanges") if isinstance(body, dict) else None
    rec = recs[0] if isinstance(recs, list) and len(recs) == 1 and isinstance(recs[0], dict) else {}
    return (
        status == 400
        and rec.get("Code") == 400
        and rec.get("Message") == "Bad Request"
        and isinstance(rec.get("Description"), str)
    )


RECIPE = Recipe("bouwsoft", "", "115", _bouwsoft_creds, _bouwsoft_validation)


class BouwsoftMachine(ApiMachine):
    api = "bouwsoft"
    tenant = "115"
    lifetime = 3600  # access_token_minutes: 60 (fixtures)
    projects = Bundle("projects")

    @initialize(target=projects)
    def start(self) -> Any:
        self.refresh = self.client.get("/__emulator/credentials").json()["refresh_token"]
        self.issue()
        r = self.call("GET", "/api/v1/Projects", params={"columns": "name"}, headers=self.h)
        self.model = {str(p["id"]): p["name"] for p in r.json()["Records"]}
        return sorted(self.model)[0]

    def issue(self) -> None:
        r = self.call("GET", "/api/v1/Authorize/AccessToken", headers={"Clientnr": "115", "RefreshToken": self.refresh})
        assert r.status_code == 200, r.text
        self.h = {"Clientnr": "115", "AccessToken": r.json()["AccessToken"]}
        self.elapsed = 0

    @rule(target=projects, name=NAMES)
    def create(self, name: str) -> Any:
        r = self.call(
            "POST",
            "/api/v1/Projects",
            params={"columns": f"name='{name}',client_addressid=3759,company_id=1"},
            headers=self.h,
        )
        if not self.expect_auth(r):
            return "999999"
        assert r.status_code == 201, r.text
        pid = str(r.json()["RecordChanges"][0]["id"])
        assert pid not in self.model
        self.model[pid] = name
        return pid

    @rule(pid=projects, name=NAMES)
    def update(self, pid: str, name: str) -> None:
        r = self.call("PUT", f"/api/v1/Projects/{pid}", params={"columns": f"name='{name}'"}, headers=self.h)
        if self.expect_auth(r) and pid in self.model:
            assert r.status_code == 200, r.text
            self.model[pid] = name

    @rule(pid=projects)
    def read(self, pid: str) -> None:
        r = self.call("GET", f"/api/v1/Projects/{pid}", headers=self.h)
        if self.expect_auth(r):
            if pid in self.model:
                assert r.json()["Records"][0]["name"] == self.model[pid]
            else:
                assert r.status_code == 404

    @rule()
    def list_all(self) -> None:
        r = self.call("GET", "/api/v1/Projects", params={"columns": "name"}, headers=self.h)
        if self.expect_auth(r):
            assert {str(p["id"]): p["name"] for p in r.json()["Records"]} == self.model

    @rule(seconds=st.sampled_from([60, 600, 1800, 3000]))
    def clock(self, seconds: int) -> None:
        self.advance(seconds)

    @rule()
    def reissue(self) -> None:
        self.issue()


MACHINE = BouwsoftMachine

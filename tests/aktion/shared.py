"""aktion's answers to the shared tests (tests/properties/kit.py): credentials, the vendor's validation error and a
state machine over its project resource.

  aktion       POST /api/login {"UserLogin", "ApiKey"} -> Token, sent as the `Token` query parameter (20 s life)
"""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, initialize, rule

from tests.properties.kit import NAMES, ApiMachine, Creds, Recipe


def _aktion_creds(c: httpx.Client) -> Creds:
    cr = c.get("/__emulator/credentials").json()
    r = c.post("/api/login", json={"UserLogin": cr["UserLogin"], "ApiKey": cr["ApiKey"]})
    assert r.status_code == 200, r.text
    return {"token": ("query", "Token", r.json()["Token"])}


def _aktion_validation(status: int, body: Any) -> bool:
    return status == 400 and isinstance(body, dict) and (body.get("Result") or {}).get("Code") == 1002


RECIPE = Recipe(
    "aktion",
    "/api",
    "default",
    _aktion_creds,
    _aktion_validation,
    not_errors={
        ("body", "type"): "contract x-binding: Newtonsoft binds JSON numbers/booleans to "
        "string properties, so a number where a string is declared is "
        "no error"
    },
)


class AktionMachine(ApiMachine):
    api = "aktion"
    tenant = "default"
    name_field = "Name"
    lifetime = 20  # "Expiration time of each token is 20 seconds" (seed 002)
    codes = Bundle("codes")

    @initialize()
    def start(self) -> None:
        self.login()
        self.model = {}

    @rule()
    def login(self) -> None:
        r = self.call("POST", "/api/login", json={"UserLogin": "John.Doo", "ApiKey": "hDn/LFXIPESM036W+s7VKg=="})
        assert r.status_code == 200 and r.json()["ExpireInSec"] == 20, r.text
        self.token = r.json()["Token"]
        self.elapsed = 0

    @rule(target=codes, n=st.integers(3000, 3999), name=NAMES)
    def create(self, n: int, name: str) -> Any:
        code = f"CODE {n}"
        r = self.call(
            "POST",
            "/api/project/createProject",
            params={"Token": self.token},
            json={"Code": code, "Name": name, "Type": "Internal"},
        )
        if self.expect_auth(r):
            if code in self.model:
                assert r.status_code == 403 and r.json()["Result"]["Code"] == 3, r.text  # Record duplicity
            else:
                assert r.status_code == 200, r.text
                self.model[code] = name
        return code

    @rule(code=codes, name=NAMES)
    def update(self, code: str, name: str) -> None:
        r = self.call(
            "POST", "/api/project/updateProject", params={"Token": self.token}, json={"Code": code, "Name": name}
        )
        if self.expect_auth(r):
            if code in self.model:
                assert r.status_code in (200, 202), r.text
                self.model[code] = name
            else:
                assert r.status_code == 404, r.text

    @rule(code=codes)
    def read(self, code: str) -> None:
        r = self.call("GET", "/api/project/getProject", params={"Token": self.token, "Code": code})
        if self.expect_auth(r) and code in self.model:
            assert r.status_code == 200 and r.json()["Request"][0]["Name"] == self.model[code], r.text

    @rule(seconds=st.sampled_from([1, 5, 10, 30]))
    def clock(self, seconds: int) -> None:
        self.advance(seconds)


MACHINE = AktionMachine

"""One RuleBasedStateMachine per API over its project resource: create / read / update / list / delete where
the API has them, and token issue + expiry driven by the emulator clock. After every step the emulator is
checked against a plain model (dicts of names, a token's issue time and lifetime)."""

from __future__ import annotations

import base64
from typing import Any

import httpx
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, invariant, rule

from emulators import build_app
from emulators.testing.transport import client_for

from .conftest import BUDGET, PROFILE_SETTINGS, count

NAMES = st.from_regex(r"\A[A-Za-z][A-Za-z0-9 ]{0,20}[A-Za-z0-9]\Z")
MARGIN = 5  # seconds either side of an expiry instant where the model makes no claim


class _Base(RuleBasedStateMachine):
    api = ""
    tenant = ""
    name_field = "name"
    lifetime = 0  # seconds; 0 = the credentials do not expire

    def __init__(self) -> None:
        super().__init__()
        self.client: httpx.Client = client_for(build_app(self.api))
        self.client.post("/__emulator/clock", json={"set": "2026-05-07T09:00:00Z", "freeze": True})
        self.model: dict[str, str] = {}
        self.elapsed = 0.0  # emulator seconds since the current token was issued
        self.deleted: set[str] = set()

    @invariant()
    def emulator_state_matches_model(self) -> None:
        """The stored records agree with the model after every step (control plane: no auth, no side effects)."""
        table = ((self.client.get("/__emulator/state").json().get("tenants") or {}).get(self.tenant) or {}).get(
            "projects") or {}
        for key, name in self.model.items():
            assert key in table and table[key].get(self.name_field) == name, f"{self.api}: {key} != model {name!r}"
        for key in self.deleted:
            assert key not in table, f"{self.api}: deleted {key} still stored"

    def teardown(self) -> None:
        self.client.close()

    def call(self, method: str, url: str, **kw: Any) -> httpx.Response:
        count(self.api)
        r = self.client.request(method, url, **kw)
        assert r.status_code < 500, f"{self.api} {method} {url}: {r.status_code} {r.text[:300]}"
        return r

    def token_state(self) -> str:
        if not self.lifetime:
            return "valid"
        if self.elapsed < self.lifetime - MARGIN:
            return "valid"
        if self.elapsed > self.lifetime + MARGIN:
            return "expired"
        return "unknown"

    def advance(self, seconds: int) -> None:
        self.call("POST", "/__emulator/clock", json={"advance_seconds": seconds})
        self.elapsed += seconds

    def expect_auth(self, r: httpx.Response) -> bool:
        """True when the call was authorised; asserts 401 exactly when the model says the token expired."""
        state = self.token_state()
        if state == "expired":
            assert r.status_code == 401, f"{self.api}: expired token accepted ({r.status_code})"
            return False
        if state == "valid":
            assert r.status_code != 401, f"{self.api}: live token refused: {r.text[:200]}"
            return True
        return r.status_code != 401


# bouwsoft --------------------------------------------------------------------------------------------
class BouwsoftMachine(_Base):
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
        r = self.call("POST", "/api/v1/Projects", params={"columns": f"name='{name}',client_addressid=3759,"
                                                                     "company_id=1"}, headers=self.h)
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


# superoffice -----------------------------------------------------------------------------------------
class SuperOfficeMachine(_Base):
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


# aktion ----------------------------------------------------------------------------------------------
class AktionMachine(_Base):
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
        r = self.call("POST", "/api/project/createProject", params={"Token": self.token},
                      json={"Code": code, "Name": name, "Type": "Internal"})
        if self.expect_auth(r):
            if code in self.model:
                assert r.status_code == 403 and r.json()["Result"]["Code"] == 3, r.text  # Record duplicity
            else:
                assert r.status_code == 200, r.text
                self.model[code] = name
        return code

    @rule(code=codes, name=NAMES)
    def update(self, code: str, name: str) -> None:
        r = self.call("POST", "/api/project/updateProject", params={"Token": self.token},
                      json={"Code": code, "Name": name})
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


# twelvebuild -----------------------------------------------------------------------------------------
class TwelveBuildMachine(_Base):
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


MACHINES = [BouwsoftMachine, SuperOfficeMachine, AktionMachine, TwelveBuildMachine]


def _run(machine: type[RuleBasedStateMachine]) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(machine, settings=settings(PROFILE_SETTINGS, max_examples=BUDGET["machine"],
                                                         stateful_step_count=BUDGET["machine_steps"]))


def test_bouwsoft_state_machine() -> None:
    _run(BouwsoftMachine)


def test_superoffice_state_machine() -> None:
    _run(SuperOfficeMachine)


def test_aktion_state_machine() -> None:
    _run(AktionMachine)


def test_twelvebuild_state_machine() -> None:
    _run(TwelveBuildMachine)


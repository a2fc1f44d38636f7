"""What the shared tests (tests/contract, tests/properties) need to know of one API, as types: each registered API
answers it in `tests/<api>/shared.py` with a `RECIPE` (credentials, ids, the vendor's validation error) and a
`MACHINE` (a state machine over its project resource). tests/properties/recipes.py finds them through the
registry, so a registered API without them fails collection and tests/contract/test_registry.py.

`ApiMachine`: the state machines' base. After every step the emulator is checked against a plain model (dicts
of names, a token's issue time and lifetime); the clock is the emulator's, driven through the control plane.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant

from emulators import build_app
from emulators.testing.transport import client_for

from .conftest import count

# scheme name -> (in, header/query name, value)
Creds = dict[str, tuple[str, str, str]]


@dataclass(frozen=True)
class Recipe:
    api: str
    prefix: str  # the path prefix generated requests use
    tenant: str  # the tenant whose records feed id parameters
    creds: Callable[[httpx.Client], Creds]
    is_validation_error: Callable[[int, Any], bool]  # the vendor's answer to a broken constraint
    # per location: another answer the vendor gives instead (e.g. a route constraint), documented as a quirk
    location_answers: dict[str, Callable[[int, Any], bool]] = field(default_factory=dict)
    # (where, kind) breakages the vendor does not treat as errors, each with the documented reason
    not_errors: dict[tuple[str, str], str] = field(default_factory=dict)


NAMES = st.from_regex(r"\A[A-Za-z][A-Za-z0-9 ]{0,20}[A-Za-z0-9]\Z")
MARGIN = 5  # seconds either side of an expiry instant where the model makes no claim


class ApiMachine(RuleBasedStateMachine):
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
            "projects"
        ) or {}
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

"""Per (api, operation), from the served contract:

- generated valid requests (authenticated, ids drawn from the current state) -> a documented status, a body
  valid against that status's schema, a documented Content-Type, never a 5xx;
- one constraint broken at a time -> the vendor's validation error, and no state change;
- no credentials -> 401 on every operation that requires auth.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulators.core.contract import Operation

from .conftest import BUDGET, PROFILE_SETTINGS, count
from .generate import Breakage, Request, apply, breakages, valid_request
from .known_gaps import BROKEN_GAPS, UNAUTH_GAPS, VALID_GAPS, gap
from .recipes import APIS, RECIPES, Creds, auth_parts, business_state, contract, id_pool, new_client


def _cases() -> list[Any]:
    out = []
    for api in APIS:
        for op in contract(api).operations.values():
            out.append(
                gap(VALID_GAPS, api, op.operation_id, pytest.param(api, op.operation_id, id=f"{api}-{op.operation_id}"))
            )
    return out


class Session:
    """One app per (api, worker process), reset to the fixtures at the start of every test."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.recipe = RECIPES[api]
        self.client = new_client(api)
        self.refresh()
        self.skip = frozenset(key.lower() for _, key, _ in self.creds.values())
        self.ids = id_pool(self.client, self.recipe)

    def refresh(self) -> None:
        """Back to the fixtures, new credentials (tokens may have expired or been revoked by a generated call)."""
        self.client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
        self.client.post("/__emulator/clock", json={"freeze": True})  # tokens (Aktion: 20 s) outlive a long run
        self.creds: Creds = self.recipe.creds(self.client)

    def send(self, op: Operation, req: Request, authenticated: bool = True) -> httpx.Response:
        count(self.api)
        auth = auth_parts(op, self.creds, contract(self.api).document.get("security")) if authenticated else ({}, {})
        return req.send(self.client, op, self.recipe.prefix, auth)


_SESSIONS: dict[str, Session] = {}


def session(api: str) -> Session:
    s = _SESSIONS.get(api)
    if s is None:
        s = _SESSIONS[api] = Session(api)
    else:
        s.refresh()
    return s


def check_documented(api: str, op: Operation, r: httpx.Response) -> None:
    status = str(r.status_code)
    assert r.status_code < 500, f"{api} {op.operation_id}: {r.status_code} {r.text[:400]}"
    responses = op.responses
    key = status if status in responses else "default" if "default" in responses else None
    assert key is not None, f"{api} {op.operation_id}: status {status} not documented ({sorted(responses)})"
    media = responses[key]
    if not media:
        assert not r.content, f"{api} {op.operation_id}: {status} documents no body, got {r.content[:200]!r}"
        return
    ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
    assert ctype in {m.lower() for m in media} or "*/*" in media, (
        f"{api} {op.operation_id}: {status} Content-Type {ctype!r} not in {sorted(media)}"
    )
    documented = next((m for m in media if m.lower() == ctype), None)
    validator = op.response_validators.get((key, documented)) if documented else None
    if validator is not None and "json" in ctype:
        issues = validator.issues(r.json(), "response")
        assert not issues, f"{api} {op.operation_id}: {status} body: {issues[0].name}: {issues[0].message}"


@pytest.mark.parametrize(("api", "operation_id"), _cases())
def test_operation_valid_requests_answer_as_documented(api: str, operation_id: str) -> None:
    s = session(api)
    op = contract(api).operations[operation_id]

    @settings(PROFILE_SETTINGS, max_examples=BUDGET["valid"])
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        req = data.draw(valid_request(op, s.ids, s.skip))
        check_documented(api, op, s.send(op, req))

    run()


def _broken_cases() -> list[Any]:
    out = []
    for api in APIS:
        skip = frozenset({"token", "x-auth-token", "authorization", "clientnr", "accesstoken"})
        for op in contract(api).operations.values():
            for b in breakages(op, skip):
                if (b.where, b.kind) in RECIPES[api].not_errors:
                    continue
                out.append(
                    gap(
                        BROKEN_GAPS,
                        api,
                        f"{op.operation_id}:{b.id}",
                        pytest.param(api, op.operation_id, b, id=f"{api}-{op.operation_id}-{b.id}"),
                    )
                )
    return out


@pytest.mark.parametrize(("api", "operation_id", "breakage"), _broken_cases())
def test_operation_one_broken_constraint_is_the_vendor_validation_error(
    api: str, operation_id: str, breakage: Breakage
) -> None:
    s = session(api)
    op = contract(api).operations[operation_id]

    @settings(PROFILE_SETTINGS, max_examples=BUDGET["broken"])
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        req = data.draw(valid_request(op, s.ids, s.skip, force_body=breakage.where == "body"))
        before = business_state(s.client, s.recipe)
        r = s.send(op, apply(req, breakage))
        other = s.recipe.location_answers.get(breakage.where)
        assert s.recipe.is_validation_error(r.status_code, _json(r)) or (
            other is not None and other(r.status_code, _json(r))
        ), f"{api} {operation_id} {breakage.id}={breakage.value!r}: {r.status_code} {r.text[:300]}"
        check_documented(api, op, r)
        assert business_state(s.client, s.recipe) == before, f"{api} {operation_id}: state changed"

    run()


def _unauth_cases() -> list[Any]:
    out = []
    for api in APIS:
        for op in contract(api).operations.values():
            if op.secured:
                out.append(
                    gap(
                        UNAUTH_GAPS,
                        api,
                        op.operation_id,
                        pytest.param(api, op.operation_id, id=f"{api}-{op.operation_id}"),
                    )
                )
    return out


@pytest.mark.parametrize(("api", "operation_id"), _unauth_cases())
def test_operation_without_credentials_is_401(api: str, operation_id: str) -> None:
    s = session(api)
    op = contract(api).operations[operation_id]

    @settings(PROFILE_SETTINGS, max_examples=BUDGET["unauth"])
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        req = data.draw(valid_request(op, s.ids, s.skip))
        r = s.send(op, req, authenticated=False)
        assert r.status_code == 401, f"{api} {operation_id}: {r.status_code} {r.text[:300]}"
        check_documented(api, op, r)

    run()


def _json(r: httpx.Response) -> Any:
    try:
        return r.json()
    except ValueError:
        return None

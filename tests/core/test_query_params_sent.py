"""The pipeline visits only the query parameters a request can give a value to: the same set, in the same
order, as visiting every declared one and keeping those that find a value."""

from __future__ import annotations

import random
from typing import Any

import pytest

from emulators import build_app
from emulators.core.call import Call


def _brute(call: Call, params: list[Any], case_insensitive: bool, form_params: bool) -> list[str]:
    lower_q = {k.lower(): k for k in call.query_multi} if case_insensitive else {}
    found = []
    for p in params:
        key = p.name if p.name in call.query_multi else lower_q.get(p.name.lower(), p.name)
        if key in call.query_multi or (form_params and p.name in call.form):
            found.append(p.name)
    return found


class _FakeCall:
    def __init__(self, query: dict[str, list[str]], form: dict[str, Any]) -> None:
        self.query_multi = query
        self.form = form


MANY = [("twelvebuild", "updateProject"), ("twelvebuild", "addProject"), ("twelvebuild", "createDocument")]


@pytest.mark.parametrize(("api", "operation"), [*MANY, ("superoffice", "getAll")])  # superoffice ignores case
def test_query_params_sent_equal_every_declared_one_that_finds_a_value(api: str, operation: str) -> None:
    app = build_app(api)
    pipeline = app.pipeline
    op = app.contract.operations[operation]
    params = op.params_in("query")
    assert len(params) > 6  # the indexed path is the one under test
    names = [p.name for p in params]
    rng = random.Random(5)
    spec = app.spec
    for _ in range(500):
        sent = rng.sample(names, rng.randint(0, min(8, len(names))))
        sent = [n.upper() if rng.random() < 0.3 else n for n in sent] + rng.sample(["x", "zz", "Name"], 1)
        query = {n: ["1"] for n in sent}
        form = {n: "v" for n in rng.sample(names, rng.randint(0, 3))}
        call: Any = _FakeCall(query, form)
        got = [p.name for p in pipeline._query_params_sent(call, op)]
        assert got == _brute(call, params, spec.case_insensitive_params, spec.form_params), (sent, form)

"""Schemathesis with every check it has (`--checks all`), over all four APIs, in-process.

Runs in `make test-deep` (HYPOTHESIS_PROFILE=deep) with BUDGET["all_checks"] examples per operation, the
largest share of its 50,000 requests; in `make test` a handful per operation. Positive cases are made valid the way
the vendors require: control characters are stripped from query, header and path values (every API refuses
them with a 400 before anything else, see core/request_io.check_characters), so "valid" really is valid.
Every registered check runs (14) except positive_data_acceptance (NOT_APPLICABLE_ALL: schema-valid is not
vendor-valid); one that cannot apply to an operation is excluded for that operation only, in
test_schemathesis.EXCLUDED (documented quirks) or NOT_APPLICABLE below, with the reason.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from emulators.testing.transport import client_for

from .conftest import BUDGET, PROFILE_SETTINGS, count
from .known_gaps import with_accepted
from .recipes import APIS, RECIPES, auth_parts, contract
from .test_schemathesis import EXCLUDED, _schema, schemathesis_given

load_all_checks()
ALL = {c.__name__: c for c in CHECKS.get_all()}

# check -> why it cannot apply to these APIs. positive_data_acceptance counts any 4xx but 401/403/404/409 on
# schema-valid data as a failure, but every vendor has rules a schema cannot state: Bouwsoft's `columns` names must
# be fields of the field table ("Unknown field body"), SuperOffice refuses an empty entity ("Entity to save is not
# in request body", seed), Aktion's XmlSerializer binds root <Request> only, 12Build's form fields carry JSON
# (`properties`, `budgetRows`) and its ids must exist in the right project. Those 400s are the vendor's answers.
NOT_APPLICABLE_ALL = {
    "positive_data_acceptance": "schema-valid is not vendor-valid (field tables, seed rules, XML root, form JSON)",
}
NOT_APPLICABLE: dict[tuple[str, str], dict[str, str]] = {}
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def _strip(value: Any) -> Any:
    if isinstance(value, str):
        return _CONTROLS.sub("", value)
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _valid(case: Any) -> Any:
    """Control characters out of URL and header values (the vendors forbid them)."""
    for attr in ("query", "headers", "path_parameters", "cookies"):
        values = getattr(case, attr, None)
        if isinstance(values, dict):
            for k in list(values):
                values[k] = _strip(values[k])
    return case


def _cases() -> list[Any]:
    return [pytest.param(api, op_id, id=f"{api}-{op_id}") for api in APIS for op_id in contract(api).operations]


@pytest.mark.parametrize(("api", "operation_id"), _cases())
def test_schemathesis_all_checks(api: str, operation_id: str) -> None:
    schema, app = _schema(api)
    operation = schema.find_operation_by_id(operation_id)
    op = contract(api).operations[operation_id]
    with client_for(app) as client:
        client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
        client.post("/__emulator/clock", json={"freeze": True})
        creds = RECIPES[api].creds(client)
    headers, query = auth_parts(op, creds, contract(api).document.get("security"))
    excluded = {
        **NOT_APPLICABLE_ALL,
        **NOT_APPLICABLE.get((api, operation_id), {}),
        **EXCLUDED.get((api, operation_id), {}),
    }
    checks = with_accepted(api, operation_id, [c for name, c in ALL.items() if name not in excluded])
    fixed: dict[str, Any] = {}
    if headers:
        fixed["headers"] = headers
    if query:
        fixed["query"] = query
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, **fixed).map(_valid),
        operation.as_strategy(GenerationMode.NEGATIVE, **fixed),
    )

    @settings(
        PROFILE_SETTINGS, max_examples=BUDGET["all_checks"], deadline=None, suppress_health_check=list(HealthCheck)
    )
    @schemathesis_given(strategy)
    def run(case: Any) -> None:
        count(api)
        case.call_and_validate(checks=checks)

    run()

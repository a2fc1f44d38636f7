"""Cases the generated tests found where an emulator or its contract is wrong. Each stays a test, marked
`xfail(strict=True)`: when the owner fixes the emulator, the test XPASSes, fails, and the entry is removed.

Keys: (api, operationId) for VALID_GAPS / UNAUTH_GAPS; (api, "operationId:where:name:kind") for BROKEN_GAPS.
"""

from __future__ import annotations

from typing import Any

import pytest

VALID_GAPS: dict[tuple[str, str], str] = {}
_SO_400 = ("superoffice: {op} declares a constraint on {name} and answers 400 when it is broken, but documents no "
           "400 response (status not documented)")
BROKEN_GAPS: dict[tuple[str, str], str] = {
    ("superoffice", "getProjectEntity:query:$select:maxLength"): _SO_400.format(op="getProjectEntity", name="$select"),
    ("superoffice", "getProjectEntity:query:fk:type"): _SO_400.format(op="getProjectEntity", name="fk"),
    ("superoffice", "getProjectEntity:header:If-Modified-Since:maxLength"):
        _SO_400.format(op="getProjectEntity", name="If-Modified-Since"),
    ("superoffice", "deleteProjectEntity:header:If-Unmodified-Since:maxLength"):
        _SO_400.format(op="deleteProjectEntity", name="If-Unmodified-Since"),
}
UNAUTH_GAPS: dict[tuple[str, str], str] = {}


def gap(table: dict[tuple[str, str], str], api: str, key: str, param: Any) -> Any:
    reason = table.get((api, key))
    if reason is None:
        return param
    return pytest.param(*param.values, id=param.id, marks=[*param.marks, pytest.mark.xfail(strict=True, reason=reason)])

_SO_CTRL = ("superoffice: {op}: a header over its maxLength (or a control character) is answered 400, but the "
            "operation documents no 400 (status_code_conformance); found by schemathesis")
# (api, operationId) -> (check it fails, reason, the failing input as Case(...) keyword arguments)
SCHEMATHESIS_GAPS: dict[tuple[str, str], tuple[str, str, dict[str, Any]]] = {
    ("superoffice", "getProjectEntity"): ("status_code_conformance", _SO_CTRL.format(op="getProjectEntity"),
                                          {"path_parameters": {"id": 104},
                                           "headers": {"If-Modified-Since": "x" * 101}}),
    ("superoffice", "deleteProjectEntity"): ("status_code_conformance", _SO_CTRL.format(op="deleteProjectEntity"),
                                             {"path_parameters": {"id": 104},
                                              "headers": {"If-Unmodified-Since": "x" * 101}}),
}

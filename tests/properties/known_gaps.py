"""Cases the generated tests found where an emulator or its contract is wrong. Each stays a test, marked
`xfail(strict=True)`: when the owner fixes the emulator, the test XPASSes, fails, and the entry is removed.

Keys: (api, operationId) for VALID_GAPS / UNAUTH_GAPS; (api, "operationId:where:name:kind") for BROKEN_GAPS.
"""

from __future__ import annotations

from typing import Any

import pytest

VALID_GAPS: dict[tuple[str, str], str] = {}
BROKEN_GAPS: dict[tuple[str, str], str] = {}
UNAUTH_GAPS: dict[tuple[str, str], str] = {}


def gap(table: dict[tuple[str, str], str], api: str, key: str, param: Any) -> Any:
    reason = table.get((api, key))
    if reason is None:
        return param
    return pytest.param(*param.values, id=param.id, marks=[*param.marks, pytest.mark.xfail(strict=True, reason=reason)])


# (api, operationId) -> (check it fails, reason, the failing input as Case(...) keyword arguments)
SCHEMATHESIS_GAPS: dict[tuple[str, str], tuple[str, str, dict[str, Any]]] = {}

"""Cases the generated tests found where an emulator or its contract is wrong. Each stays a test, marked
`xfail(strict=True)`: when the owner fixes the emulator, the test XPASSes, fails, and the entry is removed.

Keys: (api, operationId) for VALID_GAPS / UNAUTH_GAPS; (api, "operationId:where:name:kind") for BROKEN_GAPS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .recipes import contract

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


# Accepted deviations: inputs schemathesis counts as invalid that the vendor itself accepts. Narrower than
# test_schemathesis.EXCLUDED: the check still runs for the operation and only skips the cases `applies` picks.
# (api, operationId) -> {check name: [(reason, applies(case)), ...]}
def _blank_body(case: Any) -> bool:
    """A body of whitespace only (' ', '\\x0c', ...), which Newtonsoft reads as no value at all."""
    body = case.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    return isinstance(body, bytes) and body.isspace()


def _xml_body(case: Any) -> bool:
    return isinstance(case.media_type, str) and "xml" in case.media_type


_BLANK = (
    "Newtonsoft reads a whitespace-only JSON body (char.IsWhiteSpace: ' ', '\\x0c', ...) as no value, the same as "
    "an empty body; the operation's body is optional, so the vendor answers as without a body",
    _blank_body,
)
_XML_ARRAY = (
    "XML cannot tell an array wrapper from an object: schemathesis sends a non-array as child elements of the "
    "wrapper and a nested array as an empty wrapper (an empty list), both shapes of a valid layout in XML; the "
    "item fields are still converted and checked by the handler (400 on a bad UDefFieldId)",
    _xml_body,
)
ACCEPTED: dict[tuple[str, str], dict[str, list[tuple[str, Callable[[Any], bool]]]]] = {
    ("superoffice", "saveUdefLayout"): {"negative_data_rejection": [_XML_ARRAY]},
}

for _op in contract("superoffice").operations.values():  # every operation whose body is optional
    if _op.body_media and not _op.body_required:
        _checks = ACCEPTED.setdefault(("superoffice", _op.operation_id), {})
        _checks.setdefault("negative_data_rejection", []).append(_BLANK)


def with_accepted(api: str, operation_id: str, checks: list[Any]) -> list[Any]:
    """`checks`, with each one that has accepted cases for this operation skipping just those cases."""
    accepted = ACCEPTED.get((api, operation_id), {})
    return [_skipping(c, [a for _, a in accepted[c.__name__]]) if c.__name__ in accepted else c for c in checks]


def _skipping(check: Any, accepted: list[Callable[[Any], bool]]) -> Any:
    def skipping(ctx: Any, response: Any, case: Any) -> Any:
        if any(applies(case) for applies in accepted):
            return None
        return check(ctx, response, case)

    skipping.__name__ = check.__name__
    return skipping

"""The error envelope and messages.

Assumption (vendor-facts A5.1: the vendor's "possible answers" page was not found): every error
is `{"error": "<message>"}` with the documented status (400, 401, 404, 413, 415, 500). The one
client seen checking Bouwsoft errors looks for an `error` key (see SOURCE.md).
"""

from __future__ import annotations

from emulators.core.call import Call
from emulators.core.errors import (
    EmulatorError,
    ErrorBody,
    HandlerCrashed,
    InjectedFault,
    MethodNotAllowed,
    ResponseContractViolation,
    RouteNotFound,
    ValidationFailed,
)

CANT_PROCESS = "What you sent can't be processed"  # seed: "If what you sent can't be processed ... 500"
NO_AUTH = "Unauthorized"
NOT_FOUND = "There is no record that has the requested id"  # seed's 404 wording


def message_for(err: EmulatorError) -> str:
    if isinstance(err, ResponseContractViolation):
        return f"{CANT_PROCESS}: {err.message}"
    if isinstance(err, HandlerCrashed):
        return CANT_PROCESS
    if isinstance(err, InjectedFault):
        return CANT_PROCESS if err.message == InjectedFault.default_message else err.message
    if isinstance(err, ValidationFailed) and err.code is None and err.issues and err.message == err.issues[0].message:
        issue = err.issues[0]
        where = {"query": "query parameter", "path": "path parameter", "header": "header"}.get(
            issue.location, issue.location)
        return f"Invalid {where} {issue.name}: {issue.message}" if issue.name else issue.message
    if isinstance(err, RouteNotFound):
        return "No such API call"
    if isinstance(err, MethodNotAllowed):
        return "The HTTP method is not allowed for this API call"
    return err.message


def render_error(err: EmulatorError, call: Call | None) -> ErrorBody:
    return ErrorBody(err.status, {"error": message_for(err)})

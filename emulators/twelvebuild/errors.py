"""The one error envelope (12Build documents none — vendor-facts D6; an assumption):

    {"error": {"code": 400, "type": "InvalidParameter", "message": "...", "parameter": "login"}}

`parameter` is present when a request parameter is at fault (400). Every status uses this envelope.
"""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call
from emulators.core.errors import EmulatorError, ErrorBody, Issue, NotFound, ValidationFailed

TYPES = {
    400: "InvalidParameter",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    500: "InternalError",
}


def _vendor_pattern(call: Call | None, name: str) -> str | None:
    if call is None:
        return None
    for p in call.operation.raw.get("parameters", []):
        if p.get("name") == name:
            pattern: str | None = p.get("x-vendor-pattern") or (p.get("schema") or {}).get("pattern")
            return pattern
    return None


def issue_message(issue: Issue, call: Call | None) -> str:
    name = issue.name
    if issue.keyword == "required":
        return f"Parameter '{name}' is required" if name else "A required parameter is missing"
    if issue.keyword == "pattern":
        return f"Parameter '{name}' does not match pattern {_vendor_pattern(call, name)}"
    if issue.keyword == "enum":
        return f"Parameter '{name}' has an invalid value"
    if issue.keyword == "integer":  # Call.param_int
        return f"Parameter '{name}' must be a number"
    if issue.keyword in ("type", "minimum"):
        return f"Parameter '{name}' must be a positive integer"
    if issue.keyword == "invalid":
        return issue.message
    return f"Parameter '{name}' is invalid" if name else issue.message


def render_error(err: EmulatorError, call: Call | None) -> ErrorBody:
    status = err.status if 400 <= err.status <= 599 else 500
    body: dict[str, Any] = {"code": status, "type": TYPES.get(status, "Error"), "message": err.message}
    if err.issues:
        first = err.issues[0]
        body["message"] = issue_message(first, call)
        if first.name:
            body["parameter"] = first.name
    return ErrorBody(status, {"error": body})


def bad(name: str, message: str, location: str = "query") -> ValidationFailed:
    """A 400 naming the parameter (handler-side checks beyond the contract's patterns)."""
    return ValidationFailed(message, issues=[Issue(location, name, message, "invalid")])


def not_found(what: str, ident: Any) -> NotFound:
    return NotFound(f"{what} {ident} not found", resource=what)

"""The error envelope and messages (vendor-facts E1).

Every error answer is
    {"RecordChanges": [{"Code": <status>, "Description": "<what went wrong>",
                        "Message": "<reason phrase>", "RequestId": "<Clientnr>-<GUID>-<yymmdd>-<hhmmss>"}]}
Fact (E1, one 400 example on the vendor's POST ProjectContacts page): the envelope, the four member names,
Code = 400 with Message "Bad Request", the RequestId layout. Inference (SOURCE.md, assumption 1): the same
envelope for every 4xx and 5xx, Code = the HTTP status, Message = its .NET reason phrase, Description = the
emulator's own wording, ASCII `-` in the RequestId, the time part from the emulator clock (UTC).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

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

# HttpStatusCode reason phrases as ASP.NET sends them (413 keeps the old "Request Entity Too Large")
REASONS: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    408: "Request Timeout",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
REQUEST_TIME = "%y%m%d-%H%M%S"  # E1: "...-250212-142620"


def reason_phrase(status: int) -> str:
    if status in REASONS:
        return REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def message_for(err: EmulatorError) -> str:
    """The Description: what went wrong, in the emulator's words (the seed's sentences where it has them)."""
    if isinstance(err, ResponseContractViolation):
        return f"{CANT_PROCESS}: {err.message}"
    if isinstance(err, HandlerCrashed):
        return CANT_PROCESS
    if isinstance(err, InjectedFault):
        return CANT_PROCESS if err.message == InjectedFault.default_message else err.message
    if isinstance(err, ValidationFailed) and err.code is None and err.issues and err.message == err.issues[0].message:
        issue = err.issues[0]
        where = {"query": "query parameter", "path": "path parameter", "header": "header"}.get(
            issue.location, issue.location
        )
        return f"Invalid {where} {issue.name}: {issue.message}" if issue.name else issue.message
    if isinstance(err, RouteNotFound):
        return "No such API call"
    if isinstance(err, MethodNotAllowed):
        return "The HTTP method is not allowed for this API call"
    return err.message


def _clientnr(err: EmulatorError, call: Call | None) -> str:
    """The Clientnr part: the authenticated client, else the Clientnr header when it is a number, else 0."""
    if call is not None and call.tenant:
        return str(call.tenant)
    headers: Any = call.headers if call is not None else err.extra.get("headers")
    raw = (headers.get("clientnr") if headers is not None else None) or ""
    text = raw.strip()
    return text if text.isascii() and text.isdigit() and len(text) < 10 else "0"


def request_id(err: EmulatorError, call: Call | None) -> str:
    """`<Clientnr>-<GUID>-<yymmdd>-<hhmmss>` (E1): GUID from the seeded id source, time from the clock."""
    world = call.world if call is not None else err.extra.get("world")
    if world is None:  # not reached through the pipeline (defensive)
        return f"{_clientnr(err, call)}-00000000-0000-4000-8000-000000000000-000101-000000"
    return f"{_clientnr(err, call)}-{world.ids.uuid()}-{world.clock.now().strftime(REQUEST_TIME)}"


def envelope(status: int, description: str, rid: str) -> dict[str, Any]:
    return {
        "RecordChanges": [
            {"Code": status, "Description": description, "Message": reason_phrase(status), "RequestId": rid}
        ]
    }


def render_error(err: EmulatorError, call: Call | None) -> ErrorBody:
    return ErrorBody(err.status, envelope(err.status, message_for(err), request_id(err, call)))

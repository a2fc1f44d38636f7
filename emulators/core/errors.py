"""The `EmulatorError` tree.

Every failure inside the pipeline or a handler is an `EmulatorError`. The API's
`render_error` hook turns it into the vendor's own envelope and status; nothing
else in the kernel knows what a vendor's error body looks like.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Issue:
    """One validation problem: where it is, which field, and what is wrong."""

    location: str  # "path" | "query" | "header" | "body" | "form" | "file"
    name: str  # the parameter or JSON pointer of the field ("" for the whole body)
    message: str
    keyword: str = ""  # the JSON Schema keyword that failed ("required", "maxLength", ...)
    value: Any = None


class EmulatorError(Exception):
    """Base of every error the emulators raise.

    status     -- the HTTP status the vendor would send
    message    -- human text (vendor wording where the catalogue has it)
    code       -- the vendor's own error number / type, if it has one
    issues     -- validation problems, best first
    headers    -- extra response headers
    extra      -- free-form data for the API's renderer
    """

    status: int = 500
    default_message: str = "Internal server error"

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        code: Any = None,
        issues: list[Issue] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if status is not None:
            self.status = status
        self.code = code
        self.issues = issues or []
        self.headers = headers or {}
        self.extra = extra
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status}, {self.message!r}, code={self.code!r})"


class BadRequest(EmulatorError):
    status = 400
    default_message = "Bad request"


class ValidationFailed(BadRequest):
    """The request broke the contract; `issues` holds every problem, best first."""

    default_message = "Request validation failed"


class MalformedBody(BadRequest):
    """The body could not be decoded (bad JSON, bad XML, bad UTF-8, entity bombs)."""

    default_message = "Malformed request body"


class BadCharacters(BadRequest):
    """Control characters in a header or query value."""

    default_message = "Control characters are not allowed in headers or query values"


class Unauthorized(EmulatorError):
    status = 401
    default_message = "Unauthorized"


class Forbidden(EmulatorError):
    status = 403
    default_message = "Forbidden"


class NotFound(EmulatorError):
    status = 404
    default_message = "Not found"


class RouteNotFound(NotFound):
    """No operation matches the path."""

    default_message = "No such resource"


class MethodNotAllowed(EmulatorError):
    status = 405
    default_message = "Method not allowed"


class Conflict(EmulatorError):
    status = 409
    default_message = "Conflict"


class PreconditionFailed(EmulatorError):
    status = 412
    default_message = "Precondition failed"


class PayloadTooLarge(EmulatorError):
    status = 413
    default_message = "Request body too large"


class UnsupportedMediaType(EmulatorError):
    status = 415
    default_message = "Unsupported media type"


class InternalError(EmulatorError):
    status = 500
    default_message = "Internal server error"


class InjectedFault(EmulatorError):
    """A status produced by a fault rule; rendered in the vendor's envelope like any error."""

    default_message = "Injected fault"


class HandlerCrashed(InternalError):
    """An unexpected exception in a handler; `extra['traceback']` has the trace."""


class ResponseContractViolation(InternalError):
    """Strict mode: the handler produced a body the contract does not allow (our bug)."""

    default_message = "Response does not match the contract"


@dataclass
class ErrorBody:
    """What an API's `render_error` returns: status, body and headers (encoded like any reply)."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    xml_root: str | None = None

"""The SuperOffice error envelope and catalogue (vendor-facts B1).

Every error is `{"Error": true, "ErrorType": ..., "ErrorMessage": ..., "ErrorSource": ...}`
(B1.1, documented for 404). The same envelope for the other statuses is inferred (B1.4).
`ErrorType` is the .NET exception name the real service would report.
"""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call
from emulators.core.errors import (
    BadCharacters,
    EmulatorError,
    ErrorBody,
    MalformedBody,
    MethodNotAllowed,
    PayloadTooLarge,
    RouteNotFound,
    UnsupportedMediaType,
    ValidationFailed,
)
from emulators.core.wording import shown

SERVICES = "SuperOffice.Services.Implementation"  # B1.1
WEBAPI = "SuperOffice.WebApi"  # assumption: the HTTP layer's errors name the WebAPI assembly

# status -> (ErrorType, ErrorSource) when the raising code gave none
DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("ArgumentException", WEBAPI),
    401: ("UnauthorizedAccessException", WEBAPI),
    403: ("SoAccessDeniedException", SERVICES),
    404: ("SoNotFoundException", SERVICES),
    405: ("HttpResponseException", WEBAPI),
    409: ("JsonPatchTestFailedException", WEBAPI),
    412: ("PreconditionFailedException", WEBAPI),
    413: ("HttpResponseException", WEBAPI),
    415: ("UnsupportedMediaTypeException", WEBAPI),
    429: ("HttpResponseException", WEBAPI),
    500: ("SoException", SERVICES),
    502: ("HttpResponseException", WEBAPI),
    503: ("HttpResponseException", WEBAPI),
    504: ("HttpResponseException", WEBAPI),
}

# fixed messages (seed / Swagger wording where it exists)
NO_ENTITY = "Entity to save is not in request body"  # seed: "Bad request. Entity to save is not in request body."
PUT_PRECONDITION = ("Update stopped because ProjectEntity has changed since the requested "
                    "If-Unmodified-Since timestamp.")  # seed 412 row
DELETE_PRECONDITION = ("Delete aborted because ProjectEntity has changed since the requested "
                       "If-Unmodified-Since timestamp.")  # Swagger DELETE 412
UNAUTHORIZED = "Authorization has been denied for this request."  # assumption: ASP.NET Web API wording


def envelope(error_type: str, message: str, source: str) -> dict[str, Any]:
    return {"Error": True, "ErrorType": error_type, "ErrorMessage": message, "ErrorSource": source}


def project_not_found(project_id: Any) -> EmulatorError:
    """B1.1 pattern: 'Contact id 99999 not found' -> 'Project id 42 not found'."""
    return EmulatorError(f"Project id {project_id} not found", status=404, code="SoNotFoundException",
                         source=SERVICES)


def bad_request(message: str, error_type: str = "ArgumentException") -> EmulatorError:
    return EmulatorError(message, status=400, code=error_type, source=WEBAPI)


def _route_message(call: Call | None, err: EmulatorError) -> str:
    uri = err.extra.get("uri") or (call.path if call is not None else "")
    if not uri:  # the kernel does not pass the request to render_error for routing errors
        return "No HTTP resource was found that matches the request URI."
    return f"No HTTP resource was found that matches the request URI '{uri}'."


def render_error(err: EmulatorError, call: Call | None) -> ErrorBody:
    status = err.status
    error_type, source = DEFAULTS.get(status, ("HttpResponseException", WEBAPI))
    message = err.message
    if isinstance(err, RouteNotFound):
        error_type, message = "HttpResponseException", _route_message(call, err)
        source = WEBAPI
    elif isinstance(err, MethodNotAllowed):
        message = (f"The requested resource does not support http method '{call.method}'." if call is not None
                   else "The requested resource does not support this http method.")
    elif isinstance(err, ValidationFailed) and err.issues:
        issue = err.issues[0]
        if issue.location == "path":
            # an {id} that is not an int32 does not match the route constraint: 404 as IIS/Web API do
            status, error_type, source = 404, "HttpResponseException", WEBAPI
            message = _route_message(call, err)
        elif issue.location == "body":
            error_type = "JsonSerializationException"
            where = f" Path '{issue.name.replace('/', '.')}'." if issue.name else ""
            message = f"Error converting value {shown(issue.value)}: {issue.message}.{where}"
        else:
            message = f"The value of {issue.location} parameter '{issue.name}' is not valid: {issue.message}"
    elif isinstance(err, MalformedBody):
        reason = err.extra.get("reason", "")
        error_type = "XmlException" if str(reason).startswith("xml") else "JsonReaderException"
        message = str(err.extra.get("detail") or message)  # Json.NET wording, without the kernel's prefix
    elif isinstance(err, BadCharacters):
        error_type = "HttpRequestValidationException"
    elif isinstance(err, UnsupportedMediaType):
        mt = err.extra.get("media_type")
        message = (f"The request entity's media type '{mt}' is not supported for this resource."
                   if mt else "The request contains an entity body but no Content-Type header.")
    elif isinstance(err, PayloadTooLarge):
        message = "Maximum request length exceeded."
    if err.code and not (isinstance(err, ValidationFailed) and err.issues):
        error_type = str(err.code)
    source = str(err.extra.get("source", source))
    body = envelope(error_type, message, source)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="SuperOffice", SOTicket, Bearer'
    return ErrorBody(status, body, headers, xml_root="Error")

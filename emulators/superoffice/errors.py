"""The SuperOffice error envelope and catalogue (vendor-facts B1).

Every error is `{"Error": true, "ErrorType": ..., "ErrorMessage": ..., "ErrorSource": ...}`
(B1.1, documented for 404). The same envelope for the other statuses is inferred (B1.4).
`ErrorType` is the .NET exception name the real service would report.
"""

from __future__ import annotations

import re
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
PUT_PRECONDITION = (
    "Update stopped because ProjectEntity has changed since the requested "
    "If-Unmodified-Since timestamp."
)  # seed 412 row
PATCH_PRECONDITION = (
    "Update aborted because ProjectEntity has changed since the requested "
    "If-Unmodified-Since timestamp."
)  # PATCH page (E8)
DELETE_PRECONDITION = (
    "Delete aborted because ProjectEntity has changed since the requested "
    "If-Unmodified-Since timestamp."
)  # Swagger DELETE 412
UNAUTHORIZED = "Authorization has been denied for this request."  # assumption: ASP.NET Web API wording


def envelope(error_type: str, message: str, source: str) -> dict[str, Any]:
    return {"Error": True, "ErrorType": error_type, "ErrorMessage": message, "ErrorSource": source}


def project_not_found(project_id: Any) -> EmulatorError:
    """B1.1 pattern: 'Contact id 99999 not found' -> 'Project id 42 not found'."""
    return EmulatorError(f"Project id {project_id} not found", status=404, code="SoNotFoundException", source=SERVICES)


def bad_request(message: str, error_type: str = "ArgumentException") -> EmulatorError:
    return EmulatorError(message, status=400, code=error_type, source=WEBAPI)


def net_literal(value: Any) -> str:
    """A JSON value as Newtonsoft.Json prints it in its messages: "text", True, 12, {null}."""
    if value is None:
        return "{null}"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def conversion_message(value: Any, path: str, net_type: str | None = None) -> str:
    """Newtonsoft's wording for a value that does not fit its property (never a Python repr)."""
    where = f" Path '{path}'." if path else ""
    if isinstance(value, dict | list):
        bracket = "{" if isinstance(value, dict) else "["
        return f"Unexpected character encountered while parsing value: {bracket}.{where}"
    target = f" to type '{net_type}'" if net_type else ""
    return f"Error converting value {net_literal(value)}{target}.{where}"


def conversion_error(value: Any, net_type: str, path: str) -> EmulatorError:
    return bad_request(conversion_message(value, path, net_type), "JsonSerializationException")


_LINE_COL = re.compile(r"line (\d+),? (?:column|position) (\d+)", re.IGNORECASE)


def malformed_message(reason: str, kernel_text: str) -> str:
    """An unreadable body in the wording of the .NET readers (Newtonsoft, XmlReader, ASP.NET's MIME reader),
    whatever the kernel's own text; line/position are taken over when the kernel names them."""
    if reason in ("depth", "number") or (reason == "encoding" and "surrogate" in kernel_text):
        return kernel_text.removeprefix("Malformed JSON: ")  # the kernel's limits (core/limits.py), vendor-neutral
    m = _LINE_COL.search(kernel_text)
    where = f" line {m.group(1)}, position {m.group(2)}." if m else ""
    if reason == "json":
        return (
            f"Unexpected character encountered while parsing value. Path '',{where}"
            if m
            else "Unexpected character encountered while parsing value. Path ''."
        )
    if reason == "xml":
        return "Data at the root level is invalid." + (f" Line {m.group(1)}, position {m.group(2)}." if m else "")
    if reason == "xml-entities":
        return "For security reasons DTD is prohibited in this XML document."
    if reason == "multipart":
        return "Unexpected end of MIME multipart stream. MIME multipart message is not complete."
    if reason == "form":
        return "The request body could not be read as form data."
    if reason == "encoding":
        return "The request body could not be decoded with its character set."
    return "The request body could not be read."


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
        method = call.method if call is not None else err.extra.get("method")
        message = (
            f"The requested resource does not support http method '{method}'."
            if method
            else "The requested resource does not support this http method."
        )
    elif isinstance(err, ValidationFailed) and err.issues:
        issue = err.issues[0]
        if issue.location == "path":
            # an {id} that is not an int32 does not match the route constraint: 404 as IIS/Web API do
            status, error_type, source = 404, "HttpResponseException", WEBAPI
            message = _route_message(call, err)
        elif issue.location == "body":
            error_type = "JsonSerializationException"
            message = conversion_message(issue.value, issue.name.replace("/", "."))
        else:  # ASP.NET Web API model binding wording
            shown = "" if issue.value is None else issue.value
            if issue.keyword == "required":
                message = f"The {issue.location} parameter '{issue.name}' is required."
            else:
                message = f"The value '{shown}' is not valid for {issue.name}."
    elif isinstance(err, MalformedBody):
        reason = str(err.extra.get("reason", ""))
        error_type = "XmlException" if reason.startswith("xml") else "JsonReaderException"
        message = malformed_message(reason, err.message)
    elif isinstance(err, BadCharacters):
        error_type = "HttpRequestValidationException"
    elif isinstance(err, UnsupportedMediaType):
        mt = err.extra.get("media_type")
        message = (
            f"The request entity's media type '{mt}' is not supported for this resource."
            if mt
            else "The request contains an entity body but no Content-Type header."
        )
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

"""The Aktion.NEXT result catalogue and the `{"Result": {...}, "Request": ...}` envelope.

Messages are copied verbatim from the help pages (typos included: "bindigs", "priviliges", "occured");
`{0}` is filled in. A few numbers read differently per action (getProject: "Project code [{0}] not found",
getType: "ProjectType [{0}] not found"), hence the per-operation overrides.
"""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call
from emulators.core.errors import (
    BadRequest,
    EmulatorError,
    ErrorBody,
    InjectedFault,
    Issue,
    MethodNotAllowed,
    RouteNotFound,
    UnsupportedMediaType,
)
from emulators.core.wording import shown

from .binding import echo_request
from .formats import DATE_FIELDS, XML, schema_props

MESSAGES: dict[int, tuple[int, str]] = {
    1002: (400, "Entry parameter missing or parameter bindigs failed"),
    1000: (401, "Token {0} not found"),
    1001: (401, "Token {0} already expired"),
    1003: (401, "UserLogin or ApiKey are unknown"),
    1004: (401, "ApiKey is invalid"),
    1006: (401, "Ip filter violated for ip client address [{0}]"),
    1007: (401, "Ip filter [{0}] parsing failed"),
    1008: (401, "Request rate policy violated for [{0}]"),
    1260: (403, "Privilege View of agenda Projects.Project types violated"),
    1269: (403, "Record permission View of agenda Projects.Project types violated for [{0}]"),
    1280: (403, "Privilege View of agenda Projects violated for [{0}]"),
    1289: (403, "Privilege Edit of agenda Projects.Project types violated for [{0}]"),
    1296: (403, "Record permission Edit of agenda Projects violated for [{0}]"),
    1297: (403, "Record permission View of agenda Projects violated for [{0}]"),
    1: (403, "Db operation failed, agenda missing priviliges"),
    2: (403, "Db operation failed, record missing priviliges"),
    3: (403, "Db operation failed, Record duplicity"),
    4: (403, "Db operation failed, already changed by another user"),
    5: (403, "Db operation failed, already deleted by another user"),
    6: (403, "Db operation failed, database data consistence violation"),
    7: (403, "Db operation failed, operation can not be executed because another problems occured"),
    8: (403, "Db operation failed, licence violation"),
    1100: (404, "PersonId [{0}] not found"),
    1281: (404, "Project [{0}] not found"),
    1261: (404, "Project type [{0}] not found"),
    1240: (403, "Privilege View of agenda Projects.Items violated for [{0}]"),  # getAllItems (E5 page)
    1241: (404, "ProjectItem [{0}] not found"),  # getAllItems (E5 page)
}
OVERRIDES: dict[str, dict[int, str]] = {
    "getProject": {1281: "Project code [{0}] not found"},
    "getType": {1261: "ProjectType [{0}] not found"},
}
MSG_415 = (
    "The request entity has a media type which the server or resource does not support. "
    "Only application/json and application/xml are supported"
)
# an injected status without a vendor number gets the catalogue's closest row
INJECTED_CODES = {400: 1002, 401: 1000, 403: 7, 404: 1281}
SUCCESS = {"login": "success", "getProject": "Successfully done", "getType": "Successfully done"}
# the help pages' Availability line; the answer of a disabled action was not read (SOURCE.md, assumption 22)
DISABLED = "Method disabled by configuration"
DISABLED_STATUS = 403
EXEC_OK = "Processed with result: ExecOK"
UNCHANGED = "Processed with results: All identifier states remain unchanged"


def result(message: str, code: int = 0, model_state: list[str] | None = None) -> dict[str, Any]:
    return {"Message": message, "Code": code, "ModelStateErr": model_state}


def aktion_error(code: int, *args: Any, operation: str | None = None) -> EmulatorError:
    """The catalogue row `code` as an EmulatorError (status and message with {0} filled in)."""
    status, template = MESSAGES[code]
    template = OVERRIDES.get(operation or "", {}).get(code, template)
    return EmulatorError(template.format(*[str(a) for a in args]), status=status, code=code)


# model-state wording (ASP.NET Web API + DataAnnotations + Newtonsoft / XmlSerializer) -----------------
_TOKENS = {dict: "StartObject", list: "StartArray", bool: "Boolean", int: "Integer", float: "Float"}


def _field_schema(call: Call | None, name: str) -> dict[str, Any]:
    if call is None:
        return {}
    for schema in call.operation.body_media.values():
        props = schema_props(schema)
        if name in props:
            return props[name]
    return {}


def issue_message(issue: Issue, call: Call | None) -> str:
    name, kw, value = issue.name, issue.keyword, issue.value
    xml = call is not None and call.media_type == XML
    if issue.location in ("query", "path", "header"):
        if kw == "required":
            return f"The {name} field is required."
        return f"The value '{value}' is not valid for {name}."
    if name == "" and kw == "required":
        return "A non-empty request body is required."
    if name == "" and kw == "type":
        title = next((s.get("title") for s in (call.operation.body_media.values() if call else [])), "object")
        if isinstance(value, list):
            return (
                f"Cannot deserialize the current JSON array (e.g. [1,2,3]) into type '{title}' because the "
                'type requires a JSON object (e.g. {"name":"value"}) to deserialize correctly.'
            )
        return f"Error converting value {shown(value)} to type '{title}'. Path ''."
    if (
        kw in ("required", "minLength")
        or (kw == "type" and value is None)
        or (kw == "pattern" and name not in DATE_FIELDS)
    ):
        return f"The {name} field is required."
    if kw == "maxLength":
        limit = _field_schema(call, name).get("maxLength")
        return f"The field {name} must be a string with a maximum length of {limit}."
    if name in DATE_FIELDS:
        if isinstance(value, str):
            if xml:
                return f"The string '{value}' is not a valid AllXsd value."
            return f"Could not convert string to DateTime: {value}. Path '{name}'."
        return f"Error reading date. Unexpected token: {_TOKENS.get(type(value), 'Undefined')}. Path '{name}'."
    if kw == "type":
        if xml:
            return f"There is an error in XML document: element '{name}' is not a string."
        return f"Error reading string. Unexpected token: {_TOKENS.get(type(value), 'Undefined')}. Path '{name}'."
    return f"The value '{value}' is not valid for {name}."


def model_state(err: EmulatorError, call: Call | None) -> list[str]:
    if not err.issues:
        return [err.message]
    out: list[str] = []
    for issue in err.issues:
        text = issue_message(issue, call)
        if text not in out:
            out.append(text)
    return out


# render_error --------------------------------------------------------------------------------------
def _request_part(call: Call | None) -> Any:
    """What stands under "Request" in an error answer (see SOURCE.md: assumptions)."""
    if call is None:
        return None
    if "echo" in call.scratch:
        return call.scratch["echo"]
    if call.operation_id in ("updateProject", "createProject") and isinstance(call.body, dict):
        return echo_request(call.body)
    return None


def _envelope(call: Call | None, res: dict[str, Any]) -> dict[str, Any]:
    """Every error, login's included: {"Result", "Request"} (LoginResp has no Result member, E4)."""
    return {"Result": res, "Request": _request_part(call)}


def disabled_error() -> EmulatorError:
    """An action the install disabled by configuration (fixtures `settings.disabled_actions`)."""
    return EmulatorError(DISABLED, status=DISABLED_STATUS, code="disabled")


def render_error(err: EmulatorError, call: Call | None) -> ErrorBody:
    status = err.status
    if isinstance(err.code, int) and err.code in MESSAGES:
        res = result(err.message, err.code)
    elif err.code == "disabled":
        res = result(DISABLED, DISABLED_STATUS)
    elif isinstance(err, UnsupportedMediaType):
        res = result(MSG_415, 415)
    elif isinstance(err, RouteNotFound):
        res = result("No HTTP resource was found that matches the request URI.", 404)
    elif isinstance(err, MethodNotAllowed):
        allowed = ", ".join(err.extra.get("allowed") or [])
        res = result(f"The requested resource does not support this http method (allowed: {allowed}).", 405)
    elif isinstance(err, InjectedFault) and status in INJECTED_CODES:
        code = INJECTED_CODES[status]
        res = result(MESSAGES[code][1].format(""), code)
    elif isinstance(err, BadRequest) or status == 400:
        status = 400
        res = result(MESSAGES[1002][1], 1002, model_state(err, call))
    else:
        res = result(err.message, status)
    return ErrorBody(status, _envelope(call, res))

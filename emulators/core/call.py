"""What a handler receives (`Call`) and what it returns (`Reply`).

Handlers never touch HTTP: they get a `Call` with the request already routed,
authenticated, decoded and validated, and return a `Reply` that the pipeline
encodes for the client's Accept header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import Issue, ValidationFailed
from .http import Headers, UploadedFile
from .intparse import parse_digits

__all__ = ["Call", "Headers", "Reply", "UploadedFile", "no_content"]

if TYPE_CHECKING:
    from .clock import Clock
    from .contract import Operation
    from .ids import Ids
    from .store import Store
    from .world import World


@dataclass
class Call:
    """One request as a handler sees it.

    path_params / query / header_params are already coerced to the contract's types.
    `query_multi` keeps every raw value of repeated query names. `body` is the decoded body
    (dict/list/str for JSON, dict for XML/form, None when absent); `form` holds form or
    multipart text fields, `files` multipart files. `principal` is what the API's
    authenticate hook returned; `tenant` selects `store`. `xml_root` is the root element of an XML
    body; `schema_media` the media type whose schema validates the body when it is not the request's
    own (XML validated against the JSON schema). `scratch` is for an API's own per-request notes
    between its hooks; the kernel keeps nothing there.
    """

    operation: Operation
    method: str
    path: str  # the path as received, without namespace prefix
    path_params: dict[str, Any]
    query: dict[str, Any]
    query_multi: dict[str, list[str]]
    headers: Headers
    body: Any
    raw_body: bytes
    media_type: str | None  # request Content-Type without parameters, lower case
    form: dict[str, Any]
    files: dict[str, UploadedFile]
    world: World
    base_url: str  # scheme://host[:port][/__ns/<name>] as the client addressed us
    client_ip: str
    response_media_type: str  # what the client will get unless the reply overrides it
    tenant: str | None = None
    principal: Any = None
    cookies: dict[str, str] = field(default_factory=dict)
    header_params: dict[str, Any] = field(default_factory=dict)
    xml_root: str | None = None
    schema_media: str | None = None
    scratch: dict[str, Any] = field(default_factory=dict)  # an API's per-request notes between its hooks

    @property
    def operation_id(self) -> str:
        return self.operation.operation_id

    @property
    def store(self) -> Store:
        """The store of this request's tenant (built lazily from the fixtures)."""
        return self.world.store(self.tenant)

    @property
    def clock(self) -> Clock:
        return self.world.clock

    @property
    def ids(self) -> Ids:
        return self.world.ids

    def param(self, name: str, default: Any = None) -> Any:
        """A request parameter by name, first found: path, query, form body, declared header.

        Path, query and declared header values are already coerced to the contract's types; a
        repeated form field gives its first value. `default` when the name is in none of them.
        """
        if name in self.path_params:
            return self.path_params[name]
        if name in self.query:
            return self.query[name]
        if name in self.form:
            value = self.form[name]
            return value[0] if isinstance(value, list) and value else value
        return self.header_params.get(name, default)

    def param_int(self, name: str) -> int | None:
        """`param(name)` as a whole number written in ASCII digits (ids, counts, timestamps).

        None when absent or empty; anything else that is not all digits (a sign, a decimal point,
        'x1') raises ValidationFailed with one Issue of keyword "integer" for the API to word.
        """
        raw = self.param(name)
        if raw is None or raw == "":
            return None
        text = str(raw).strip()
        number = parse_digits(text)
        if number is not None:
            return number
        location = (
            "path"
            if name in self.path_params
            else "header"
            if name not in self.query and name not in self.form
            else "query"
        )
        message = f"Parameter '{name}' must be a number"
        raise ValidationFailed(message, issues=[Issue(location, name, message, "integer", raw)])


@dataclass
class Reply:
    """A handler's answer. `body` is JSON-able (or bytes with `media_type` set for raw content).

    xml_root -- root element name when the client asked for XML
    media_type -- force this Content-Type (e.g. "application/pdf"); otherwise by Accept
    """

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str | None = None
    xml_root: str | None = None
    empty: bool = False  # send no body at all (e.g. 204, or a documented empty body)


def no_content(status: int = 204) -> Reply:
    return Reply(status=status, empty=True)

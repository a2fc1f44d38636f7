"""What a handler receives (`Call`) and what it returns (`Reply`).

Handlers never touch HTTP: they get a `Call` with the request already routed,
authenticated, decoded and validated, and return a `Reply` that the pipeline
encodes for the client's Accept header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .http import Headers, UploadedFile

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
        """A parameter by name from path, query, form body or headers (first found)."""
        for src in (self.path_params, self.query, self.form):
            if name in src:
                return src[name]
        return self.headers.get(name, default)


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

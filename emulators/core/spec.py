"""`EmulatorSpec`: everything the kernel needs to know about one vendor API.

An API package exposes `EMULATOR = EmulatorSpec(...)` in its `__init__.py` and the
registry lists it. The kernel does the rest: routing from the contract, the pipeline,
the control plane, namespaces. Hooks are plain functions; only `handlers` and
`render_error` are mandatory.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .call import Call, Reply
from .errors import EmulatorError, ErrorBody

Handler = Callable[[Call], Reply]
Authenticate = Callable[[Call], None]  # sets call.tenant / call.principal or raises
RenderError = Callable[[EmulatorError, "Call | None"], ErrorBody]
Encoder = Callable[[Any, Reply, "Call | None"], bytes]  # (body, reply, call) -> bytes


class HandlerTable(dict[str, Handler]):
    """operationId -> handler, as `handler_table` built it (tests/contract/test_package_convention.py looks)."""


def handler_table(*tables: Mapping[str, Handler]) -> HandlerTable:
    """An API's `EmulatorSpec.handlers`: its modules' tables merged; an operationId served twice is refused
    (ValueError naming it), so one module cannot silently replace another's handler."""
    merged = HandlerTable()
    for table in tables:
        for operation, handler in table.items():
            if operation in merged:
                raise ValueError(f"operationId {operation!r} has two handlers")
            merged[operation] = handler
    return merged


@dataclass(frozen=True)
class AuthSlot:
    """A place a credential travels: `where` is header | query | body (a JSON, form or XML key), `name`
    matched case-insensitively; `scheme` is the Authorization scheme word (Basic: the request's
    `basic_auth`, user and password)."""

    where: str
    name: str
    credential: str
    scheme: str = ""


@dataclass
class EmulatorSpec:
    """One API.

    name            -- registry name ("bouwsoft", ...); also the control plane's `emulator`
    contract        -- path to contracts/<api>/openapi.yaml
    fixtures        -- path to fixtures/<api>/default.yaml
    handlers        -- operationId -> handler (`handler_table(...)`); must equal the contract's operationIds
    render_error    -- EmulatorError -> ErrorBody in the vendor's envelope
    authenticate    -- called for every operation whose contract `security` is not empty;
                       sets call.tenant and call.principal, raises Unauthorized/Forbidden
    resolve_tenant  -- called for operations without security (e.g. login) to pick a tenant
    prefixes        -- path prefixes that may stand before every contract path, e.g.
                       ["", "/rest/1.1"] or ["/api", "/AktionNEXT/API"]; templates allowed
                       ("/{CustomerId}") and their values join path_params
    case_insensitive_paths -- IIS-style routing (static segments compared case-insensitively)
    trailing_slash  -- tolerate one trailing slash
    case_insensitive_params -- query parameter names match case-insensitively (ASP.NET binding)
    form_params     -- declared query parameters may also travel in a form / multipart body
    default_media_type -- the answer when Accept says nothing we can serve
    produces        -- response media types this API can serve (by Accept)
    consumes        -- request media types accepted when an operation's contract names none
    encoders        -- media type -> encoder, overriding the generic JSON / XML encoders
    decoders        -- media type -> (bytes, call) -> body, overriding the generic decoders
    credentials     -- fixtures -> the dict served by GET /__emulator/credentials
    tenants         -- fixtures -> tenant keys known up front (for state dumps)
    build_tenant    -- (fixtures, tenant, world) -> initial state of that tenant's Store
                       (None: unknown tenant). Default: deep copy of fixtures["tenants"][tenant]
    build_global    -- (fixtures, world) -> initial state of the tenant-less store (tokens, ...)
    redact_headers / redact_query / redact_body_keys -- credentials blanked in the journal
    auth_slots      -- where each credential travels (AuthSlot): a recording writes what it finds
                       there as ${credentials.<name>}, whatever the value
    response_media_type -- (call, negotiated) -> media type; e.g. Aktion answers in the
                       request's format when Accept says nothing
    max_body_bytes  -- request bodies above this -> 413
    control_routes  -- extra control actions: name -> (world, json body) -> JSON answer, served at
                       POST /__emulator/actions/{name} (e.g. approve a pending activation)
    on_change       -- (world, tenant, table, key, old, new) -> None: told of every record a store puts or
                       deletes (old/new None for created/deleted); an API raises its outbound events here
                       (e.g. SuperOffice webhooks), so every write path raises them
    webhook_view    -- world -> the API's subscriptions as JSON (the dashboard's Webhooks tab)
    fixtures_model  -- module with the pydantic models FIXTURES / TENANT / GLOBAL of the fixture file
                       (e.g. "emulators.bouwsoft.fixtures_model"); validates fixture files and, the one
                       path for it, every PUT /__emulator/state body
    """

    name: str
    contract: Path
    fixtures: Path
    handlers: Mapping[str, Handler]
    render_error: RenderError
    authenticate: Authenticate | None = None
    resolve_tenant: Callable[[Call], None] | None = None
    prefixes: list[str] = field(default_factory=lambda: [""])
    case_insensitive_paths: bool = False
    trailing_slash: bool = True
    case_insensitive_params: bool = False
    form_params: bool = False
    default_media_type: str = "application/json"
    produces: list[str] = field(default_factory=lambda: ["application/json"])
    consumes: list[str] = field(
        default_factory=lambda: ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
    )
    encoders: dict[str, Encoder] = field(default_factory=dict)
    decoders: dict[str, Callable[[bytes, Call], Any]] = field(default_factory=dict)
    credentials: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    tenants: Callable[[dict[str, Any]], list[str]] | None = None
    build_tenant: Callable[[dict[str, Any], str, Any], dict[str, Any] | None] | None = None
    build_global: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None
    redact_headers: frozenset[str] = frozenset({"authorization", "cookie", "x-xsrf-token"})
    redact_query: frozenset[str] = frozenset()
    redact_body_keys: frozenset[str] = frozenset()
    response_media_type: Callable[[Call, str], str] | None = None
    max_body_bytes: int = 10 * 1024 * 1024
    control_routes: dict[str, Callable[[Any, Any], Any]] = field(default_factory=dict)
    fixtures_model: str | None = None
    on_change: Callable[[Any, str | None, str, str, Any, Any], None] | None = None
    webhook_view: Callable[[Any], list[dict[str, Any]]] | None = None
    auth_slots: tuple[AuthSlot, ...] = ()

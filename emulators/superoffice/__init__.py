"""SuperOffice CRM WebAPI emulator: the Project entity (seeds 001 / 003, vendor-facts section B).

Served as /api/v1/Project/... (onsite) and /{CustomerId}/api/v1/Project/... (Online); every customer
id is its own tenant. IIS-style case-insensitive routing; JSON or XML by Accept (JSON when Accept is
not understood).
"""

from __future__ import annotations

from emulators.core.paths import contract_path, fixtures_path
from emulators.core.spec import AuthSlot, EmulatorSpec

from .auth import authenticate, credentials, tenant_keys
from .errors import render_error
from .handlers import HANDLERS
from .jsoncodec import encode_json_answer
from .webhooks import on_change, webhook_view
from .xmlcodec import encode_xml

PRODUCES = [
    "application/json",
    "text/json",
    "application/xml",
    "text/xml",
    "application/json-patch+json",
    "application/merge-patch+json",
]

EMULATOR = EmulatorSpec(
    name="superoffice",
    fixtures_model="emulators.superoffice.fixtures_model",
    contract=contract_path("superoffice"),
    fixtures=fixtures_path("superoffice"),
    handlers=HANDLERS,
    render_error=render_error,
    authenticate=authenticate,
    prefixes=["", "/{CustomerId}"],
    case_insensitive_paths=True,
    case_insensitive_params=True,
    produces=PRODUCES,
    default_media_type="application/json",
    encoders={
        "application/xml": encode_xml,
        "text/xml": encode_xml,
        "application/json": encode_json_answer,
        "text/json": encode_json_answer,
    },
    credentials=credentials,
    tenants=tenant_keys,
    redact_headers=frozenset({"authorization", "cookie", "x-xsrf-token", "so-apptoken"}),
    on_change=on_change,
    webhook_view=webhook_view,
    auth_slots=(
        AuthSlot("header", "authorization", "basic", scheme="Basic"),
        AuthSlot("header", "authorization", "ticket", scheme="SOTicket"),
        AuthSlot("header", "authorization", "bearer", scheme="Bearer"),
        AuthSlot("header", "so-apptoken", "app_token"),
    ),
)

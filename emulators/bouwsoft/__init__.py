"""Visma Bouwsoft API v1 emulator: the token flow and Projects (seed 000, vendor-facts A and E).

    emulators serve bouwsoft            # http://127.0.0.1:8701/api/v1/...

Control action: POST /__emulator/actions/approveActivation {"RequestId": "..."} approves a
pending activation request (GET /api/v1/Authorize/RefreshToken).
"""

from __future__ import annotations

from emulators.core.paths import contract_path, fixtures_path
from emulators.core.spec import AuthSlot, EmulatorSpec

from .auth import approve_activation, authenticate, credentials
from .errors import render_error
from .handlers import HANDLERS
from .handlers.upload import MAX_UPLOAD_BYTES
from .models import build_tenant

EMULATOR = EmulatorSpec(
    name="bouwsoft",
    fixtures_model="emulators.bouwsoft.fixtures_model",
    contract=contract_path("bouwsoft"),
    fixtures=fixtures_path("bouwsoft"),
    handlers=HANDLERS,
    render_error=render_error,
    authenticate=authenticate,
    case_insensitive_paths=True,
    case_insensitive_params=True,
    build_tenant=build_tenant,
    credentials=credentials,
    tenants=lambda fixtures: [str(k) for k in (fixtures.get("tenants") or {})],
    redact_headers=frozenset({"authorization", "cookie", "accesstoken", "refreshtoken", "appkey"}),
    redact_body_keys=frozenset({"accesstoken", "refreshtoken", "appkey"}),  # tokens in responses too
    auth_slots=(
        AuthSlot("header", "refreshtoken", "refresh_token"),
        AuthSlot("header", "accesstoken", "access_token"),
        AuthSlot("header", "appkey", "appkey"),
    ),
    max_body_bytes=MAX_UPLOAD_BYTES,
    control_routes={"approveActivation": approve_activation},
)

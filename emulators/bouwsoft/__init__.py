"""Visma Bouwsoft API v1 emulator: the token flow and Projects (seed 000, vendor-facts A).

    emulators serve bouwsoft            # http://127.0.0.1:8701/api/v1/...

Control action: POST /__emulator/actions/approveActivation {"RequestId": "..."} approves a
pending activation request (GET /api/v1/Authorize/RefreshToken).
"""

from __future__ import annotations

from typing import Any

from emulators.core.paths import contract_path, fixtures_path
from emulators.core.spec import EmulatorSpec

from .auth import approve_activation, authenticate, getAccessToken, getRefreshToken
from .errors import render_error
from .models import build_tenant
from .projects import (
    approveProject,
    assignProjectGroup,
    assignProjectList,
    createProject,
    unassignProjectGroup,
    unassignProjectList,
    updateProject,
)
from .queries import getProject, getProjectFieldInfo, listProjects
from .upload import uploadProjectFile

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # assumption: the vendor's limit is not documented


def credentials(fixtures: dict[str, Any]) -> dict[str, Any]:
    creds = fixtures.get("credentials") or {}
    return {"clientnr": creds.get("clientnr"), "refresh_token": creds.get("refresh_token"),
            "access_token": creds.get("access_token"), "appkey": creds.get("appkey")}


EMULATOR = EmulatorSpec(
    name="bouwsoft",
    port=8701,
    contract=contract_path("bouwsoft"),
    fixtures=fixtures_path("bouwsoft"),
    handlers={
        "getAccessToken": getAccessToken,
        "getRefreshToken": getRefreshToken,
        "listProjects": listProjects,
        "createProject": createProject,
        "getProjectFieldInfo": getProjectFieldInfo,
        "getProject": getProject,
        "updateProject": updateProject,
        "approveProject": approveProject,
        "assignProjectGroup": assignProjectGroup,
        "assignProjectList": assignProjectList,
        "unassignProjectGroup": unassignProjectGroup,
        "unassignProjectList": unassignProjectList,
        "uploadProjectFile": uploadProjectFile,
    },
    render_error=render_error,
    authenticate=authenticate,
    case_insensitive_paths=True,
    case_insensitive_params=True,
    build_tenant=build_tenant,
    credentials=credentials,
    tenants=lambda fixtures: [str(k) for k in (fixtures.get("tenants") or {})],
    redact_headers=frozenset({"authorization", "cookie", "accesstoken", "refreshtoken", "appkey"}),
    redact_body_keys=frozenset({"accesstoken", "refreshtoken", "appkey"}),  # tokens in responses too
    max_body_bytes=MAX_UPLOAD_BYTES,
    control_routes={"approveActivation": approve_activation},
)

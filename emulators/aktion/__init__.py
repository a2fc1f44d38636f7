"""Aktion.NEXT Web API emulator (seed 002; vendor facts C).

Served under /api/... (cloud.aktion.cz) and /AktionNEXT/API/... (self-hosted installs); ASP.NET Web
API routing and binding: paths and query names case-insensitive. Tokens from POST login live 20 s;
a fixture session token is issued again by every reset (auth.fixture_issue).
"""

from __future__ import annotations

from emulators.core.paths import contract_path, fixtures_path
from emulators.core.spec import AuthSlot, EmulatorSpec

from .auth import authenticate, credentials
from .errors import render_error
from .formats import JSON, PRODUCES, XML, decode_json, decode_xml_body, encode_json, encode_xml, response_media_type
from .handlers import HANDLERS

EMULATOR = EmulatorSpec(
    name="aktion",
    fixtures_model="emulators.aktion.fixtures_model",
    contract=contract_path("aktion"),
    fixtures=fixtures_path("aktion"),
    handlers=HANDLERS,
    render_error=render_error,
    authenticate=authenticate,
    prefixes=["/api", "/AktionNEXT/API"],
    case_insensitive_paths=True,
    case_insensitive_params=True,
    produces=list(PRODUCES),
    consumes=[JSON, XML],
    default_media_type=JSON,
    encoders={JSON: encode_json, XML: encode_xml},
    decoders={JSON: decode_json, XML: decode_xml_body},
    response_media_type=response_media_type,
    credentials=credentials,
    redact_query=frozenset({"token"}),
    redact_body_keys=frozenset({"apikey", "token"}),
    auth_slots=(AuthSlot("body", "userlogin", "UserLogin"), AuthSlot("body", "apikey", "ApiKey")),
)

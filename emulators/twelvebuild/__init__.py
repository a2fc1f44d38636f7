"""12Build REST contractor API v1.1 emulator (seed 004, vendor-facts D); served at the root
and under /rest/1.1; parameters in the query string or (POST/PUT) a form / multipart body."""

from __future__ import annotations

from emulators.core.paths import contract_path, fixtures_path
from emulators.core.spec import AuthSlot, EmulatorSpec

from .auth import authenticate, credentials, decode_form_folded, decode_json_or_file
from .errors import render_error
from .handlers import HANDLERS

EMULATOR = EmulatorSpec(
    name="twelvebuild",
    fixtures_model="emulators.twelvebuild.fixtures_model",
    contract=contract_path("twelvebuild"),
    fixtures=fixtures_path("twelvebuild"),
    handlers=HANDLERS,
    render_error=render_error,
    authenticate=authenticate,
    prefixes=["", "/rest/1.1"],
    form_params=True,
    decoders={"application/x-www-form-urlencoded": decode_form_folded, "application/json": decode_json_or_file},
    credentials=credentials,
    redact_headers=frozenset({"authorization", "cookie", "x-auth-token"}),
    redact_query=frozenset({"apikey"}),
    redact_body_keys=frozenset({"apikey", "token"}),
    auth_slots=(
        AuthSlot("query", "login", "login"),
        AuthSlot("query", "apikey", "apiKey"),
        AuthSlot("body", "login", "login"),
        AuthSlot("body", "apikey", "apiKey"),
    ),
)

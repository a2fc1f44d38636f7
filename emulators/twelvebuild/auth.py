"""The X-Auth-Token check, the users behind the tokens and what they may see, and PHP-style bracket parameters
(getToken itself is in handlers/tokens.py).

Tokens (vendor-facts D1/D2): GET /tokens?login=..&apiKey=.. answers a 128-hex token valid one hour on
the emulator clock; the same token comes back until it expires unless forceNew=1. Every other call
needs header X-Auth-Token; the token acts for its user and the user's company (the tenant).
"""

from __future__ import annotations

import json
import re
from typing import Any

from emulators.core.call import Call
from emulators.core.errors import Unauthorized
from emulators.core.intparse import is_digits, parse_digits
from emulators.core.negotiation import decode_form, decode_json, media_type_of

TOKENS = "tokens"  # the TokenBook's table in the global store (handlers/tokens.py issues them)
_BRACKET = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])+)$")


def users(fixtures: dict[str, Any]) -> list[dict[str, Any]]:
    users: list[dict[str, Any]] = fixtures.get("users") or []
    return users


def credentials(fixtures: dict[str, Any]) -> dict[str, Any]:
    """GET /__emulator/credentials: the first (group-manager) user."""
    first = users(fixtures)[0]
    return {"login": first["login"], "apiKey": first["apiKey"]}


def token_expiry(issued_at: float, fixtures: dict[str, Any]) -> float:
    """When a token issued at `issued_at` expires: `token_lifetime_seconds` later, in whole seconds."""
    return float(int(issued_at + float(fixtures.get("token_lifetime_seconds", 3600))))


def authenticate(call: Call) -> None:
    """X-Auth-Token: missing, unknown or expired -> 401. Sets tenant (company) and principal (user)."""
    token = call.headers.get("x-auth-token")
    if not token:
        raise Unauthorized("Missing X-Auth-Token header")
    key = token.strip()
    # the TokenBook's record read in place (TokenBook.find copies it into a TokenState first)
    rec = call.world.store(None).get(TOKENS, key) if key else None
    if rec is None:
        raise Unauthorized("Invalid token")
    expires_at = rec.get("expires_at")
    if rec.get("fixture") is True:
        # a fixture session token (an assumption: SOURCE.md) is issued again by every reset, as if its user
        # asked GET /tokens then: it expires token_lifetime_seconds after the reset, in whole seconds like those
        expires_at = token_expiry(call.world.reset_at, call.world.fixtures)
    if expires_at is not None and call.clock.time() >= expires_at:
        raise Unauthorized("Token expired")
    login = rec.get("login")
    user = next((u for u in users(call.world.fixtures) if u["login"] == login), None)
    if user is None:
        raise Unauthorized("Invalid token")
    call.principal = user
    call.tenant = str(user["company"])
    query_multi = call.query_multi
    if any("[" in name for name in query_multi):  # only bracket names fold (`_BRACKET` needs a "[")
        folded = fold_brackets([(k, v) for k, vs in query_multi.items() for v in vs])
        for name, value in folded.items():
            query_multi.setdefault(name, [value])
            call.query.setdefault(name, value)


def fold_brackets(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """PHP form arrays -> one JSON string per base name:
    properties[name]=x&properties[unit]=m -> properties='{"name":"x","unit":"m"}';
    ids[]=1&ids[]=2 -> ids='["1","2"]'; rows[0][rowNumber]=2 -> rows='[{"rowNumber":"2"}]'."""
    roots: dict[str, Any] = {}
    for key, value in pairs:
        m = _BRACKET.match(key)
        if m is None:
            continue
        base, rest = m.group(1), re.findall(r"\[([^\[\]]*)\]", m.group(2))
        node = roots.setdefault(base, {})
        for i, part in enumerate(rest):
            last = i == len(rest) - 1
            if part == "":
                part = str(sum(1 for k in node if is_digits(k)))
            if last:
                node[part] = value
            else:
                nxt = node.get(part)
                if not isinstance(nxt, dict):
                    nxt = node[part] = {}
                node = nxt
    return {base: json.dumps(_listify(tree)) for base, tree in roots.items()}


def _listify(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(parse_digits(k) is not None for k in node):
            return [_listify(node[k]) for k in sorted(node, key=int)]
        return {k: _listify(v) for k, v in node.items()}
    return node


def decode_form_folded(raw: bytes, call: Call) -> dict[str, Any]:
    """application/x-www-form-urlencoded with PHP bracket names folded like the query string."""
    form = decode_form(raw, media_type_of(call.headers.get("content-type"))[1].get("charset"))
    pairs: list[tuple[str, str]] = []
    for k, v in form.items():
        for item in v if isinstance(v, list) else [v]:
            pairs.append((k, item))
    for name, value in fold_brackets(pairs).items():
        form.setdefault(name, value)
    call.form = form
    return form


def decode_json_or_file(raw: bytes, call: Call) -> Any:
    """JSON bodies decode as usual, except on addDocumentToDocumentGroup, where the body is the file itself."""
    if call.operation.operation_id.startswith("addDocumentToDocumentGroup"):
        return raw
    return decode_json(raw, media_type_of(call.headers.get("content-type"))[1].get("charset"))


# who may see what -------------------------------------------------------------------------------
def user(call: Call) -> dict[str, Any]:
    principal: dict[str, Any] = call.principal or {}
    return principal


def can_see(call: Call, project: dict[str, Any]) -> bool:
    """Hidden projects (companyGroupId > 0) are visible to group managers and that group's members."""
    group = int(project.get("companyGroupId") or 0)
    if group == 0:
        return True
    u = user(call)
    return bool(u.get("groupManager")) or group in (u.get("companyGroupIds") or [])

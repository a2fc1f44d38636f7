"""getToken (vendor-facts D1/D2): GET /tokens?login=..&apiKey=.. answers a 128-hex token valid one hour on the
emulator clock; the same live token comes back until it expires unless forceNew=1."""

from __future__ import annotations

from emulators.core.auth import TokenBook
from emulators.core.call import Call, Reply
from emulators.core.errors import Unauthorized
from emulators.core.spec import Handler

from ..auth import token_expiry, users


def getToken(call: Call) -> Reply:
    """getToken — the same live token is returned until it expires, unless forceNew=1."""
    login, api_key = str(call.param("login", "")), str(call.param("apiKey", ""))
    match = next((u for u in users(call.world.fixtures) if u["login"] == login and u["apiKey"] == api_key), None)
    if match is None:
        raise Unauthorized("Invalid login or apiKey")
    book = TokenBook(call.world.store(None))
    now = call.clock.time()
    force = str(call.param("forceNew", "0")).strip().endswith("1")
    # fixture=None: a fixture session token (auth.authenticate) is never the one getToken hands out
    state = None if force else book.live(now, login=login, fixture=None)
    if state is None:
        token = call.ids.hex(128)
        state = book.issue(token, token_expiry(now, call.world.fixtures), login=login)
    return Reply(body={"token": state.token, "expireDate": str(int(state.expires_at or 0))})


HANDLERS: dict[str, Handler] = {"getToken": getToken}

"""Last-resort error handling, websocket refusal, and the control plane's guard (Host, Content-Type, token).

- `unexpected(exc)`: any exception that escaped the pipeline's own handling becomes an EmulatorError the API's
  `render_error` can put in the vendor's envelope; the traceback goes to the journal and the log, never the body.
- `refuse_websocket`: websocket scopes (an `Upgrade: websocket` request, when the server hands one over) are
  closed before accepting, which servers answer with a plain 403; nothing reaches a handler.
- `ControlGuard`: the `/__emulator` plane only answers a loopback Host (or the bound address, or a name in
  `EMULATORS_CONTROL_HOSTS`; with a control token, any Host carrying the token), takes a state-changing call
  (POST/PUT/PATCH/DELETE) only when sent as `Content-Type: application/json`, even with an empty body, and
  never from a page of another site (`Sec-Fetch-Site: cross-site`, or an `Origin` that is neither the Host's
  own name, loopback nor a control host): a cross-site form, `sendBeacon` or `fetch(..., {mode: "no-cors"})`
  cannot send that content type without a CORS preflight we never grant. With a control token configured,
  only a request carrying it (`Authorization: Bearer <token>`, `X-Emulator-Token: <token>`, or the
  dashboard's cookie). A browser cannot send a header with a page load, so the dashboard takes the token
  once as `/__emulator/ui?token=<token>`: the answer is a redirect that drops the token from the address and
  sets it as an HttpOnly, SameSite=Strict cookie (scripts cannot read it; no other site's page or form sends it).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import traceback
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .errors import EmulatorError, Forbidden, HandlerCrashed, Unauthorized, UnsupportedMediaType
from .intparse import is_digits
from .limits import too_deep

log = logging.getLogger("emulators")

TOKEN_COOKIE = "emulators_control_token"
UI_PATH = "/__emulator/ui"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def unexpected(exc: BaseException, method: str = "", path: str = "") -> EmulatorError:
    """An exception nothing else handled, as an EmulatorError with the traceback in `extra`."""
    if isinstance(exc, RecursionError):
        return too_deep()
    tb = "".join(traceback.format_exception(exc))
    log.error("unexpected error in %s %s:\n%s", method, path, tb)
    return HandlerCrashed(traceback=tb, method=method, path=path)


async def refuse_websocket(receive: Any, send: Any) -> None:
    message = await receive()
    if message.get("type") == "websocket.connect":
        await send({"type": "websocket.close", "code": 1003})


def host_name(host_header: str) -> str:
    """'LOCALHOST:8701' -> 'localhost'; '[::1]:80' -> '::1'."""
    host = host_header.strip().lower()
    if host.startswith("["):
        inner, _, rest = host[1:].partition("]")
        if rest == "" or (rest[:1] == ":" and is_digits(rest[1:])):
            return inner
        return host  # "[::1].evil.example" is a name, not ::1 (and not loopback)
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def is_loopback(name: str) -> bool:
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class ControlGuard:
    """Checks one control-plane request. `allowed_hosts`: extra Host names (the bound address)."""

    def __init__(self, token: str | None = None, allowed_hosts: Iterable[str] = ()) -> None:
        self.token = token or None
        self.allowed_hosts = {host_name(h) for h in allowed_hosts if h}

    def allow_host(self, host: str) -> None:
        self.allowed_hosts.add(host_name(host))

    def check(self, scope: dict[str, Any]) -> EmulatorError | None:
        host = ""
        ctype = ""
        auth = ""
        token_header = ""
        origin: str | None = None
        fetch_site = ""
        for k, v in scope.get("headers", ()):
            if k == b"host":
                host = v.decode("latin-1")
            elif k == b"content-type":
                ctype = v.decode("latin-1")
            elif k == b"authorization":
                auth = v.decode("latin-1")
            elif k == b"x-emulator-token":
                token_header = v.decode("latin-1")
            elif k == b"cookie" and self.token is not None and not token_header:
                token_header = _cookie(v.decode("latin-1"))
            elif k == b"origin":
                origin = v.decode("latin-1").strip()
            elif k == b"sec-fetch-site":
                fetch_site = v.decode("latin-1").strip().lower()
        if host and self.token is None:  # with a token, the token decides (a rebinding page cannot know it)
            name = host_name(host)
            server = scope.get("server")
            bound = {host_name(str(server[0]))} if server else set()
            if not (is_loopback(name) or name in self.allowed_hosts or name in bound):
                return Forbidden(
                    f"Host {name!r} is not allowed on the control plane: use localhost or the bound address, "
                    f"or name it in EMULATORS_CONTROL_HOSTS (comma-separated)",
                    reason="host",
                )
        if self.token is not None:
            given = token_header.strip()
            if auth[:7].lower() == "bearer ":
                given = auth[7:].strip()
            if not given or not hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
                return Unauthorized(
                    "The control plane needs the control token (Authorization: Bearer <token> or X-Emulator-Token)",
                    reason="token",
                    headers={"WWW-Authenticate": 'Bearer realm="emulator-control"'},
                )
        if scope.get("method") in STATE_CHANGING:
            return self._check_same_site(scope, host, origin, fetch_site, ctype)
        return None

    def _check_same_site(
        self, scope: dict[str, Any], host: str, origin: str | None, fetch_site: str, ctype: str
    ) -> EmulatorError | None:
        """A state-changing call: from this site only, and as JSON (which no cross-site page can send unasked)."""
        if fetch_site == "cross-site":
            return Forbidden("Cross-site requests may not change the control plane (Sec-Fetch-Site: cross-site)")
        if origin is not None and not self._own_origin(origin, host, scope):
            return Forbidden(
                f"Origin {origin[:200]!r} may not change the control plane: only the emulator's own origin, "
                "localhost or EMULATORS_CONTROL_HOSTS"
            )
        mt = ctype.split(";", 1)[0].strip().lower()
        if mt != "application/json" and not mt.endswith("+json"):
            return UnsupportedMediaType(
                "Control-plane calls that change state need Content-Type: application/json, even with an empty body",
                media_type=mt or None,
            )
        return None

    def _own_origin(self, origin: str, host: str, scope: dict[str, Any]) -> bool:
        """`Origin` names this emulator (its Host), loopback or a control host; `null` (a sandboxed or file
        page) names none of them."""
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not parts.netloc or "@" in parts.netloc:
            return False
        name = host_name(parts.netloc)  # not .hostname, which reads "[::1].evil.example" as ::1
        server = scope.get("server")
        own = {host_name(host)} if host else set()
        if server:
            own.add(host_name(str(server[0])))
        return is_loopback(name) or name in own or name in self.allowed_hosts

    def token_handoff(self, scope: dict[str, Any], path: str) -> list[tuple[bytes, bytes]] | None:
        """`GET /__emulator/ui?token=<the token>`: the headers of a redirect to the page without the token
        that sets the dashboard's cookie; None for anything else (a wrong token then meets `check`)."""
        if self.token is None or scope.get("method") != "GET" or not path.startswith(UI_PATH):
            return None
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in pairs if k == "token"), None)
        if given is None or not hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
            return None
        rest = "&".join(f"{k}={v}" for k, v in pairs if k != "token")
        location = scope.get("root_path", "") + scope["path"] + ("?" + rest if rest else "")
        cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        return [
            (b"location", location.encode("latin-1", "replace")),
            (b"set-cookie", cookie.encode("latin-1", "replace")),
            (b"cache-control", b"no-store"),
            (b"referrer-policy", b"no-referrer"),
            (b"content-length", b"0"),
        ]


def _cookie(header: str) -> str:
    # imported here: only a control request carrying a cookie reads one, and start-up skips ~2 ms of http.cookies
    from http.cookies import CookieError, SimpleCookie

    try:
        jar: SimpleCookie = SimpleCookie(header)
    except CookieError:
        return ""
    morsel = jar.get(TOKEN_COOKIE)
    return morsel.value if morsel is not None else ""

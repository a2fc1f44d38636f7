"""Redacted places in a portable recording: which names are credentials, and what fills a place an export
blanked (a capture of an earlier answer's field of that name, a credential, or a `secret_*` variable)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..core.journal import REDACTED, Redaction
from .captures import _CaptureNames
from .views import _norm, _walk

# Credential names a vendor, or a gateway in front of one, may use beyond what our four APIs name: a proxy
# records whatever passes, so it blanks these too (headers apply to answers as well: Set-Cookie, X-Api-Key).
GENERIC_REDACTION = Redaction(
    frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token"}),
    frozenset({"token", "apikey", "api_key", "password", "access_token", "refresh_token", "client_secret"}),
    frozenset({"apikey", "api_key", "password", "client_secret", "refresh_token", "access_token"}),
)


def every_redaction() -> Redaction:
    """The union of every registered API's credential names and GENERIC_REDACTION (what a proxy blanks)."""
    from .. import registry

    parts = [GENERIC_REDACTION, *(redaction_of(name) for name in registry.APIS)]
    return Redaction(
        frozenset().union(*(r.headers for r in parts)),
        frozenset().union(*(r.query for r in parts)),
        frozenset().union(*(r.body_keys for r in parts)),
    )


def redaction_of(emulator: Any) -> Redaction:
    """The redaction rules of a registered emulator (none when it cannot be loaded)."""
    from ..registry import EmulatorUnavailable, resolve_spec

    try:
        spec = resolve_spec(emulator)
    except (EmulatorUnavailable, ImportError):
        return Redaction()
    return Redaction(
        frozenset(h.lower() for h in spec.redact_headers),
        frozenset(q.lower() for q in spec.redact_query),
        frozenset(k.lower() for k in spec.redact_body_keys),
    )


class _RedactStep(_CaptureNames):
    """Step 5 of a `_Builder` (portable.py): what still sits in a redacted place is named."""

    reqs: list[dict[str, Any]]
    red: Redaction
    creds: list[tuple[str, str | int]]
    cred_names: dict[str, str]
    secrets: dict[str, str]
    _links: dict[str, tuple[int, str | None]]  # key -> (answers scanned up to, placeholder)

    def _secret(self, name: str) -> str:
        var = "secret_" + re.sub(r"\W", "_", name.lower())
        self.secrets[var] = REDACTED
        return "${" + var + "}"

    def _link(self, i: int, key: str) -> str | None:
        """A capture of the newest earlier response field named like `key` (an export redacted the value)."""
        want = _norm(key)
        scanned, before = self._links.get(want, (-1, None))
        found = self._link_scan(i, want, scanned) or before  # only the answers not scanned yet
        self._links[want] = (max(i - 1, scanned), found)
        return found

    def _link_scan(self, i: int, want: str, stop: int) -> str | None:
        for j in range(i - 1, stop, -1):
            for source, value in _walk(self.resps[j].get("json")):
                last = _norm(re.split(r"[.\[]", source)[-1])
                if isinstance(value, str) and len(last) >= 4 and (last == want or want.endswith(last)):
                    for var, src in (self.captures.get(j) or {}).items():
                        if src == source:
                            return "${" + var + "}"
                    var = self._var(source)
                    self.captures.setdefault(j, {})[var] = source
                    self.typed.setdefault(j, {})[source] = "string"
                    return "${" + var + "}"
        return None

    def _fill(self, i: int, key: str) -> str:
        linked = self._link(i, key)
        if linked:
            return linked
        cred = self.cred_names.get(_norm(key))
        if cred is None:
            cred = next((n for k, n in self.cred_names.items() if len(k) >= 4 and _norm(key).endswith(k)), None)
        return "${credentials." + cred + "}" if cred else self._secret(key)

    def redacted_places(self) -> None:
        red = self.red
        for i, req in enumerate(self.reqs):
            for k, v in list((req.get("headers") or {}).items()):
                if k.lower() in red.headers and "${" not in str(v):
                    scheme = re.match(r"^(Bearer|Basic|SOTicket|SOToken|Token) ", str(v), re.I)
                    if k.lower() == "authorization":
                        req["headers"][k] = self._authorization(i, scheme.group(1) if scheme else None)
                        continue
                    req["headers"][k] = (scheme.group(0) if scheme else "") + self._fill(i, k)
            for k, v in list((req.get("query") or {}).items()):
                if k.lower() in red.query and "${" not in str(v):
                    req["query"][k] = self._fill(i, k)
            self._redact_bodies(i, req)

    def _redact_bodies(self, i: int, req: dict[str, Any]) -> None:
        keys = self.red.body_keys
        if not keys:
            return

        def fill(key: str) -> str:
            return self._fill(i, key)

        def xml_value(m: re.Match[str]) -> str:
            return m.group(1) + fill(m.group(2)) + m.group(4)

        def text_value(m: re.Match[str]) -> str:
            if m.group(1).lower() in keys and "${" not in m.group(2):
                return f"{m.group(1)}={fill(m.group(1))}"
            return m.group(0)

        for kind in ("json", "form"):
            if kind in req:
                req[kind] = self._redact_keys(req[kind], keys, fill)
        if "xml" in req:
            for key in keys:
                req["xml"] = re.sub(rf"(<({key})>)([^<$]*)(</{key}>)", xml_value, req["xml"], flags=re.I)
        if "body" in req:
            req["body"] = re.sub(r"(?<![\w$])([\w.-]+)=([^&\s]*)", text_value, req["body"])

    def _authorization(self, i: int, scheme: str | None) -> str:
        """An Authorization header whose value is not a known credential (or was exported as `***`):
        the credential of its scheme (assumption: an export that hid the scheme used a bearer token,
        else a ticket)."""
        names = {n.lower(): n for n, _ in self.creds}
        wanted = (scheme or "").lower()
        for kind, label in (("bearer", "Bearer"), ("ticket", "SOTicket"), ("token", "Token")):
            if kind in names and (not wanted or wanted == label.lower() or (kind == "ticket" and wanted == "soticket")):
                return f"{label} " + "${credentials." + names[kind] + "}"
        return (f"{scheme} " if scheme else "") + self._fill(i, "authorization")

    @staticmethod
    def _redact_keys(value: Any, keys: frozenset[str], fill: Callable[[str], str]) -> Any:
        if isinstance(value, dict):
            return {
                k: (
                    fill(str(k))
                    if str(k).lower() in keys
                    and not (isinstance(v, str) and "${" in v)
                    and not isinstance(v, dict | list)
                    else _RedactStep._redact_keys(v, keys, fill)
                )
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [_RedactStep._redact_keys(v, keys, fill) for v in value]
        return value

"""Portable recordings: raw exchanges (journal, proxy, HAR) -> a scenario that replays anywhere.

The rules, applied to the *unredacted* exchanges, in this order:

1. literal `${` in recorded data is escaped (`$${`), so only our placeholders are substituted;
2. credentials (values of `GET /__emulator/credentials`) become `${credentials.<name>}`;
3. values minted by a response (first seen there, never sent by the client before) and sent back by a
   later request become captures: `capture: {AccessToken: $.AccessToken}` and `${AccessToken}` in
   every later request and expectation; found by value across JSON bodies, headers, paths, query
   strings and text bodies;
4. what still travels in one of the API's auth slots (its `auth_slots`: the Authorization scheme,
   a token header, a key query parameter, a login body key) is that slot's `${credentials.<name>}`,
   whatever the value (a recording made with other credentials, or exported with `***`, replays);
   HTTP Basic becomes the request's `basic_auth: ${credentials.<name>}`;
5. what still sits in a redacted place (a credential header, query parameter or body key) becomes a
   capture of an earlier response field of the same name, a credential of the same name, or a
   `secret_*` variable to fill in: a recorded file never holds a credential;
6. clock-dependent values (date shapes the client did not send, `Date`/`Last-Modified`/`Expires`)
   become `{$date: <shape>}`, random-looking tokens and GUIDs `{$type: string}`.

`build_scenario` returns the scenario as a dict; `to_yaml` writes it (validated).
"""

from __future__ import annotations

import base64
import bisect
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import yaml

from ..core.journal import REDACTED, Entry, Redaction
from ..core.negotiation import pairs_to_dict
from ..core.spec import AuthSlot
from ..scenarios.matching import date_shape
from ..scenarios.scenario import ScenarioError, validate
from .auth_slots import apply_auth_slots, auth_slots_of

# request headers a client library sets by itself (replaying sets its own)
SKIP_REQUEST_HEADERS = {
    "host",
    "content-length",
    "connection",
    "accept-encoding",
    "user-agent",
    "transfer-encoding",
    "keep-alive",
    "te",
    "upgrade",
    "proxy-connection",
    "cookie",
}
# response headers the server / transport adds (uvicorn: date, server); not part of an API's answer
SKIP_RESPONSE_HEADERS = {
    "date",
    "server",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "via",
    "alt-svc",
    "strict-transport-security",
    "set-cookie",
    "x-powered-by",
    "x-aspnet-version",
    "x-request-id",
    "age",
    "cf-ray",
    "report-to",
    "nel",
}
CLOCK_HEADERS = {"date", "last-modified", "expires", "retry-after"}
MIN_SUBSTRING = 6  # shorter values are only matched whole (an exact header / query / JSON value / segment)
CLOCK_KEY = re.compile(r"date|time|expir|valid|until|stamp|created|modified|updated|_at$|At$", re.I)
TOKEN_LIKE = re.compile(
    r"^(?!.*://)(?:(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9+/=_\-.:]{16,}|(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9+/=_\-.:]{20,})$"
)
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _clock_value(value: Any, key: str | None) -> str | None:
    shape = date_shape(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
    if shape == "epoch" and not (key and CLOCK_KEY.search(key)):
        return None
    return shape


@dataclass
class Exchange:
    """One request and its answer, unredacted (held in memory only)."""

    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    req_headers: list[tuple[str, str]] = field(default_factory=list)
    req_body: bytes = b""
    status: int = 0
    resp_headers: list[tuple[str, str]] = field(default_factory=list)
    resp_body: bytes = b""
    operation: str | None = None
    fault: str | None = None

    @classmethod
    def from_entry(cls, e: Entry) -> Exchange:
        return cls(
            e.method,
            e.path,
            parse_qsl(e.query, keep_blank_values=True),
            list(e.req_headers),
            e.req_body,
            e.status,
            e.resp_headers,
            e.resp_body,
            e.operation,
            e.fault,
        )


def _ct(headers: Iterable[tuple[str, str]]) -> str:
    for k, v in headers:
        if k.lower() == "content-type":
            return v.split(";")[0].strip().lower()
    return ""


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _esc(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("${", "$${")
    if isinstance(value, dict):
        return {k: _esc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_esc(v) for v in value]
    return value


# A recording walks and dumps bodies recursively: JSON nested deeper is kept as text (a hostile client's
# 50,000-deep body must not break the recording, nor the journal exports, for everyone after it).
RECORD_DEPTH = 100


def _loads(text: str) -> Any:
    """json.loads for a recording: ValueError for what is not JSON or is nested deeper than RECORD_DEPTH."""
    from ..core.errors import EmulatorError
    from ..core.limits import check_depth

    try:
        obj = json.loads(text)
        check_depth(obj, RECORD_DEPTH)
    except (RecursionError, EmulatorError) as exc:
        raise ValueError(str(exc)) from None
    return obj


def decode_body(raw: bytes, content_type: str) -> tuple[str, Any] | None:
    """("json" | "xml" | "form" | "body" | "body_base64", value) for a request body."""
    if not raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "body_base64", base64.b64encode(raw).decode("ascii")
    if "json" in content_type or (not content_type and text.lstrip()[:1] in ("{", "[")):
        try:
            return "json", _loads(text)
        except ValueError:
            return "body", text
    if content_type == "application/x-www-form-urlencoded":
        return "form", pairs_to_dict(parse_qsl(text, keep_blank_values=True))
    if content_type.startswith("multipart/"):
        return "body_base64", base64.b64encode(raw).decode("ascii")
    if "xml" in content_type:
        return "xml", text
    return "body", text


def response_view(raw: bytes, content_type: str) -> tuple[str, Any] | None:
    """("json" | "xml" | "body", value) of a response body for the expectation."""
    if not raw:
        return None
    text = raw.lstrip(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    stripped = text.strip()
    if "json" in content_type or stripped[:1] in ("{", "["):
        try:
            return "json", _loads(stripped)
        except ValueError:
            pass
    if stripped.startswith("<"):
        from ..core.errors import EmulatorError
        from ..core.negotiation import decode_xml

        try:
            root, content = decode_xml(raw)
            return "xml", {root: content}
        except EmulatorError:
            pass
    return "body", text


# walking ------------------------------------------------------------------------------------------
Leaf = tuple[str, Any]  # (capture source, value)


def _walk(value: Any, path: str = "$") -> Iterable[Leaf]:
    if isinstance(value, dict):
        for k, v in value.items():
            if _IDENT.fullmatch(str(k)):
                yield from _walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    elif isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        yield path, value


def _map(value: Any, fn: Callable[[Any, str | None], Any], key: str | None = None) -> Any:
    """fn(leaf, its key) on every leaf (and on whole dicts/lists first: fn may return a replacement)."""
    if isinstance(value, dict):
        return {k: _map(v, fn, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_map(v, fn, key) for v in value]
    return fn(value, key)


def _contains(hay: Any, needle: str | int, whole_only: bool) -> bool:
    """Does `hay` (a request or expectation) hold the value, whole or (long strings) as a substring?"""
    sv = str(needle)
    found = False

    def look(v: Any, _key: str | None) -> Any:
        nonlocal found
        if found:
            return v
        if isinstance(v, str | int) and not isinstance(v, bool):
            s = str(v)
            if s == sv or (not whole_only and sv in s) or (whole_only and isinstance(v, str) and sv in s.split("/")):
                found = True
        return v

    _map(hay, look)
    return found


_SPLIT = re.compile(r"[\s/?&=,;#\"'()<>]+")


def _tokens(view: Any) -> set[str]:
    """Every leaf value of a request / answer view, whole and split at URL, header and text separators."""
    out: set[str] = set()

    def add(v: Any, _key: str | None) -> Any:
        if isinstance(v, str | int) and not isinstance(v, bool):
            text = str(v)
            out.add(text)
            if isinstance(v, str) and len(text) > 1:
                out.update(p for p in _SPLIT.split(text) if p)
        return v

    _map(view, add)
    return out


Sub = tuple[str | int, str, bool]  # (value, its placeholder, whole values only)


def _replace(hay: Any, needle: str | int, placeholder: str, whole_only: bool) -> Any:
    return _replace_all(hay, [(needle, placeholder, whole_only)])


def _replace_all(hay: Any, subs: list[Sub]) -> Any:
    """Every substitution in turn on every leaf of `hay`, in one walk."""
    todo = [(str(needle), placeholder, whole_only) for needle, placeholder, whole_only in subs]

    def rep(v: Any, _key: str | None) -> Any:
        for sv, placeholder, whole_only in todo:
            if isinstance(v, str | int) and not isinstance(v, bool):
                s = str(v)
                if s == sv:
                    v = placeholder
                elif isinstance(v, str):
                    if not whole_only and sv in s:
                        v = s.replace(sv, placeholder)
                    elif whole_only and sv in s.split("/"):
                        v = "/".join(placeholder if part == sv else part for part in s.split("/"))
        return v

    return _map(hay, rep)


def _flat_credentials(creds: dict[str, Any], prefix: str = "") -> list[tuple[str, str | int]]:
    out: list[tuple[str, str | int]] = []
    for k, v in (creds or {}).items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            out += _flat_credentials(v, name + ".")
        elif isinstance(v, str | int) and not isinstance(v, bool) and str(v) and str(v) != REDACTED:
            out.append((name, v))
    return sorted(out, key=lambda kv: -len(str(kv[1])))


def _json_type(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    return "number" if isinstance(v, float) else "string"


@dataclass
class Carried:
    """What the final steps of a recording appended per exchange leave to the steps after them."""

    captures: dict[str, tuple[str, bool]] = field(default_factory=dict)  # value -> (variable, whole values only)
    var_names: set[str] = field(default_factory=set)
    secrets: dict[str, str] = field(default_factory=dict)


def _whole(value: Any) -> bool:
    """Short values and numbers are only ever matched whole (an exact leaf or a path segment)."""
    return isinstance(value, int) or len(str(value)) < MIN_SUBSTRING


def _leaf_key(source: str) -> str | None:
    """The key a capture source ends in (`$.a.EndDate` -> EndDate, `header:x-time` -> x-time)."""
    if source.startswith("header:"):
        return source.split(":", 1)[1]
    found = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", source)
    return found[-1] if found else None


@dataclass
class _Indexes:
    """Where each token occurs, and the substitutions waiting per view (see _Builder.captures_by_value)."""

    reqs: dict[str, list[int]] = field(default_factory=dict)  # token -> requests that hold it
    resps: dict[str, list[int]] = field(default_factory=dict)  # token -> answers that hold it
    req_subs: dict[int, list[Sub]] = field(default_factory=dict)
    resp_subs: dict[int, list[Sub]] = field(default_factory=dict)
    # answer -> {clock value: the requests that take it from there}, with the binding to fall back to
    plans: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    fallback: dict[tuple[int, str], Sub] = field(default_factory=dict)

    def bind(self, value: str | int, ph: str, requests: Iterable[int]) -> None:
        """`requests` send the placeholder; so do their answers where they echo it."""
        sv, whole = str(value), _whole(value)
        echoes = set(self.resps.get(sv, []))
        for j in requests:
            self.req_subs.setdefault(j, []).append((value, ph, whole))
            if j in echoes:
                self.resp_subs.setdefault(j, []).append((value, ph, whole))

    def bind_clock(self, sv: str, value: str | int, start: int, ph: str, whole: bool) -> None:
        """Each request after `start` that sends clock value `sv` takes it from the latest answer before
        it that held it on its own (not echoing its request): `start`'s placeholder, or a plan there."""
        users = self.reqs.get(sv, [])
        requests = users[bisect.bisect_right(users, start) :]
        if not requests:
            return
        sent = set(requests)
        answers = self.resps.get(sv, [])
        anew = [k for k in answers[bisect.bisect_right(answers, start) :] if k not in sent]
        mine: list[int] = []
        for j in requests:
            pos = bisect.bisect_left(anew, j)
            if not pos:
                mine.append(j)
                continue
            k = anew[pos - 1]
            self.plans.setdefault(k, {}).setdefault(sv, []).append(j)
            self.fallback[(k, sv)] = (value, ph, whole)
        self.bind(value, ph, mine)

    def leftover_req_subs(self) -> dict[int, list[Sub]]:
        """The request substitutions, with the plans no answer took up (the value was no whole leaf
        there) bound to the placeholder they would have replaced."""
        for k, waiting in self.plans.items():
            for sv, requests in waiting.items():
                value, ph, _whole_only = self.fallback[(k, sv)]
                self.bind(value, ph, requests)
        self.plans.clear()
        return self.req_subs


# the builder ------------------------------------------------------------------------------------
class _Builder:
    def __init__(
        self,
        exchanges: list[Exchange],
        credentials: dict[str, Any],
        red: Redaction,
        exact: bool,
        carried: Carried | None = None,
    ) -> None:
        self.x = exchanges
        self.carried = carried or Carried()
        self.red = red
        self.exact = exact
        self.creds = _flat_credentials(credentials)
        self.cred_names = {_norm(n.split(".")[-1]): n for n, _ in self.creds}
        self.secrets: dict[str, str] = dict(self.carried.secrets)
        self.reqs = [self._request(e) for e in exchanges]
        self.resps = [self._response(e) for e in exchanges]
        self.captures: dict[int, dict[str, str]] = {}
        self.typed: dict[int, dict[str, str]] = {}  # step -> {capture source: JSON type} (minting answer)
        self.var_names: set[str] = set(self.carried.var_names)
        self._var_next: dict[str, int] = {}  # base -> the n of the last `base_n` handed out (see _var)
        self.minted: dict[int, list[tuple[str, str, bool]]] = {}  # step -> (value, variable, whole) captured
        self.bases: list[str] = []
        self._links: dict[str, tuple[int, str | None]] = {}  # key -> (answers scanned up to, placeholder)

    # views (all strings escaped) ------------------------------------------------------------
    def _request(self, e: Exchange) -> dict[str, Any]:
        req: dict[str, Any] = {"method": e.method, "path": _esc(e.path)}
        if e.query:
            req["query"] = _esc(pairs_to_dict(list(e.query)))
        headers = {k: _esc(v) for k, v in e.req_headers if k.lower() not in SKIP_REQUEST_HEADERS}
        if headers:
            req["headers"] = headers
        body = decode_body(e.req_body, _ct(e.req_headers))
        if body is not None:
            req[body[0]] = _esc(body[1])
        return req

    def _response(self, e: Exchange) -> dict[str, Any]:
        view = response_view(e.resp_body, _ct(e.resp_headers))
        out: dict[str, Any] = {"headers": {}}
        for k, v in e.resp_headers:
            low = k.lower()
            if low in SKIP_RESPONSE_HEADERS and low not in CLOCK_HEADERS - {"date"}:
                continue
            out["headers"][low] = _esc(v)
        if view is not None:
            out[view[0]] = _esc(view[1])
        return out

    # 2. credentials ---------------------------------------------------------------------------
    def credentials(self) -> None:
        subs = [
            (value, "${credentials." + name + "}", len(str(value)) < MIN_SUBSTRING or isinstance(value, int))
            for name, value in self.creds
        ]
        if subs:  # one walk per view for all of them (in this order), not one per credential
            self.reqs = [_replace_all(r, subs) for r in self.reqs]
            self.resps = [_replace_all(r, subs) for r in self.resps]

    # 3. captures ------------------------------------------------------------------------------
    def _var(self, source: str) -> str:
        base = source.rsplit(":", 1)[-1] if source.startswith("header:") else re.split(r"[.\[]", source)[-1]
        if source.startswith("$") and not _IDENT.fullmatch(base or ""):
            base = next((p for p in reversed(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", source)) if p), "v")
        base = re.sub(r"\W", "_", base or "v")
        if not _IDENT.fullmatch(base) or base in ("credentials", "env"):
            base = "v_" + base
        # names are only ever added, so the first free `base_n` is never below the last one handed out:
        # starting there keeps this linear when thousands of answers mint the same field (`ProjectId_5000`)
        n = self._var_next.get(base, 1)
        name = base if n == 1 else f"{base}_{n}"
        while name in self.var_names:
            n += 1
            name = f"{base}_{n}"
        self._var_next[base] = n
        self.var_names.add(name)
        return name

    def _candidates(self, i: int) -> list[Leaf]:
        resp = self.resps[i]
        out: list[Leaf] = []
        if "json" in resp:
            out += list(_walk(resp["json"]))
        for k, v in resp["headers"].items():
            if k not in CLOCK_HEADERS and k != "content-type":
                out.append((f"header:{k}", v))
        if (
            isinstance(resp.get("body"), str)
            and 0 < len(resp["body"].strip()) <= 500
            and "\n" not in resp["body"].strip()
        ):
            out.append(("body", resp["body"].strip()))
        return out

    def captures_by_value(self) -> None:
        """Linear in the traffic: every value is looked up in token indexes, never searched for.

        A clock value (a date or a time stamp) is minted anew by every answer that holds it without its
        request having sent it (`Project/default`'s EndDate is the clock's second): a request takes it
        from the latest such answer before it, and only an answer to a request that sent it (an echo)
        expects the captured value; the others are matched by their shape, so a tick on replay passes.
        """
        clock_carried: dict[str, tuple[str, bool]] = {}
        for value, (var, whole_only) in self.carried.captures.items():  # captured by a final step already
            if _clock_value(value, None):
                clock_carried[value] = (var, whole_only)
                continue
            ph = "${" + var + "}"
            self.reqs = [_replace(r, value, ph, whole_only) for r in self.reqs]
            self.resps = [_replace(r, value, ph, whole_only) for r in self.resps]
        n = len(self.x)
        req_tokens = [_tokens(r) for r in self.reqs]
        resp_tokens = [_tokens(r) for r in self.resps]
        first: dict[str, tuple[int, int]] = {}  # token -> (exchange, 0: the request / 1: the answer)
        idx = _Indexes()
        for j in range(n):
            for t in req_tokens[j]:
                first.setdefault(t, (j, 0))
                idx.reqs.setdefault(t, []).append(j)
            for t in resp_tokens[j]:
                first.setdefault(t, (j, 1))
                idx.resps.setdefault(t, []).append(j)
        for sv, (var, whole) in clock_carried.items():
            idx.bind_clock(sv, sv, -1, "${" + var + "}", whole)
        minted: set[str] = set()
        # replacements wait per view and are made in one walk: a request's before the end, an answer's
        # before its own candidates are read (the same order as one walk per value, at a walk per view)
        for i in range(n):
            if i in idx.resp_subs:
                self.resps[i] = _replace_all(self.resps[i], idx.resp_subs.pop(i))
            for source, value in self._candidates(i):
                sv = str(value)
                if not sv or "${" in sv or sv == REDACTED:
                    continue
                again = idx.plans.get(i, {}).pop(sv, None)
                if again is not None:  # a clock value minted anew by this answer, taken by the requests after it
                    ph = self._capture(i, source, value)
                    idx.bind(value, ph, again)
                    continue
                if sv in minted or first.get(sv) != (i, 1):
                    continue  # the client sent it first (or an earlier answer had it): not minted here
                users = idx.reqs.get(sv, [])
                later = users[bisect.bisect_right(users, i) :]
                if not later:
                    continue
                minted.add(sv)
                ph = self._capture(i, source, value)
                if _clock_value(value, _leaf_key(source)):
                    idx.bind_clock(sv, value, i, ph, _whole(value))
                    continue
                idx.bind(value, ph, later)
                answers = idx.resps.get(sv, [])
                for j in answers[bisect.bisect_right(answers, i) :]:
                    idx.resp_subs.setdefault(j, []).append((value, ph, _whole(value)))
        for j, subs in idx.leftover_req_subs().items():
            self.reqs[j] = _replace_all(self.reqs[j], subs)

    def _capture(self, i: int, source: str, value: Any) -> str:
        """A capture of answer i's `source` (its variable is new); its placeholder."""
        var = self._var(source)
        self.captures.setdefault(i, {})[var] = source
        self.typed.setdefault(i, {})[source] = _json_type(value)
        self.minted.setdefault(i, []).append((str(value), var, _whole(value)))
        return "${" + var + "}"

    # 4. auth slots (auth_slots.py) --------------------------------------------------------------
    def auth_slots(self, slots: Iterable[AuthSlot]) -> None:
        apply_auth_slots(self.reqs, slots, self._link)

    # 5. redacted places -------------------------------------------------------------------------
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
                    else _Builder._redact_keys(v, keys, fill)
                )
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [_Builder._redact_keys(v, keys, fill) for v in value]
        return value

    # 6. expectations ------------------------------------------------------------------------------
    def _sent(self, value: str) -> bool:
        return any(_contains(self._raw_req(e), value, True) for e in self.x)

    def _raw_req(self, e: Exchange) -> dict[str, Any]:
        return {
            "q": [v for _, v in e.query],
            "h": [v for _, v in e.req_headers],
            "b": decode_body(e.req_body, _ct(e.req_headers)),
        }

    def _loosen(self, value: Any, key: str | None, sent: set[str]) -> Any:
        if isinstance(value, str):
            for base in self.bases:  # a link to the recorded server: any host (and namespace) will do
                if value.startswith(base) and (len(value) == len(base) or value[len(base)] in "/?#"):
                    rest = "".join(
                        part if part.startswith("${") else re.escape(part)
                        for part in re.split(r"(\$\{[^}]+\})", value[len(base) :])
                    )
                    return {"$regex": "^https?://[^/]+(/__ns/[^/]+)?" + rest + "$"}
        if self.exact:
            return value
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and _clock_value(value, key) == "epoch"
            and str(value) not in sent
        ):
            return {"$date": "epoch"}
        if isinstance(value, str) and "${" not in value:
            if key is not None and key.lower() in self.red.body_keys:
                return {"$any": True}
            if value == REDACTED:
                return {"$any": True}
            shape = _clock_value(value, key)
            if shape and value not in sent:
                return {"$date": shape}
            if (GUID.match(value) or TOKEN_LIKE.match(value)) and value not in sent:
                return {"$type": "string"}
        return value

    def expectation(self, i: int) -> dict[str, Any]:
        e, resp = self.x[i], self.resps[i]
        sent = self._sent_values()
        expect: dict[str, Any] = {"status": e.status}
        typed = self.typed.get(i, {})
        for kind in ("json", "xml"):
            if kind in resp:
                body = _map(resp[kind], lambda v, k: self._loosen(v, k, sent))
                for source, t in typed.items():
                    if source.startswith("$"):
                        body = _set_path(body, source, {"$type": t})
                expect[kind] = body
                break
        else:
            text = resp.get("body")
            if isinstance(text, str) and text.strip():
                if "body" in typed:
                    pass
                elif (
                    len(text) <= 2000
                    and isinstance(self._loosen(text.strip(), None, sent), str)
                    and not any(date_shape(w) not in (None, "epoch") for w in re.findall(r"[\w:./+-]{8,}", text))
                ):
                    expect["body"] = text
        headers: dict[str, Any] = {}
        for k, v in resp["headers"].items():
            if k == "content-type":
                headers[k] = {"$regex": "^" + re.escape(v.split(";")[0].strip())}
            elif k in CLOCK_HEADERS:
                shape = date_shape(v)
                headers[k] = {"$date": shape} if shape and not self.exact else {"$any": True}
            elif k in self.red.headers or f"header:{k}" in typed or "${" in v:
                headers[k] = {"$any": True}
            else:
                headers[k] = {"$any": True} if TOKEN_LIKE.match(v) or GUID.match(v) else v
        if headers:
            expect["headers"] = headers
        if not e.fault and e.operation:
            expect["contract"] = True
        return expect

    def _sent_values(self) -> set[str]:
        """Values the client chose: sent in a request before any answer had them."""
        if not hasattr(self, "_sent_cache"):
            values: set[str] = set()
            answered: set[str] = set()
            for e in self.x:
                sent = {v for _, v in e.query} | {v for _, v in e.req_headers}
                body = decode_body(e.req_body, _ct(e.req_headers))
                if body is not None and body[0] in ("json", "form"):
                    sent.update(str(v) for _, v in _walk(body[1]))
                values.update(sent - answered)
                view = response_view(e.resp_body, _ct(e.resp_headers))
                if view is not None and view[0] in ("json", "xml"):
                    answered.update(str(v) for _, v in _walk(view[1]))
            self._sent_cache = values
        return self._sent_cache


def _set_path(doc: Any, path: str, value: Any) -> Any:
    parts = re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]", path[1:])
    if not parts:
        return value
    cur = doc
    try:
        for key, idx in parts[:-1]:
            cur = cur[int(idx)] if idx else cur[key]
        key, idx = parts[-1]
        if idx:
            cur[int(idx)] = value
        else:
            cur[key] = value
    except (KeyError, IndexError, TypeError):
        pass
    return doc


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


def built(
    exchanges: list[Exchange],
    credentials: dict[str, Any],
    redaction: Redaction,
    exact: bool,
    base_urls: Iterable[str],
    carried: Carried | None = None,
    slots: Iterable[AuthSlot] = (),
) -> _Builder:
    """The portable views of `exchanges`: credentials named, minted values captured, redacted places filled."""
    b = _Builder(exchanges, credentials, redaction, exact, carried)
    b.bases = sorted({u.rstrip("/") for u in base_urls if u}, key=len, reverse=True)
    b.credentials()
    b.captures_by_value()
    b.auth_slots(slots)
    b.redacted_places()
    return b


def portable_steps(b: _Builder, rules: list[dict[str, Any]] | None = None, first: int = 1) -> list[dict[str, Any]]:
    """The steps of a built recording; `first` numbers the first exchange's step (`getProject #1`)."""
    rules_by_id = {r["id"]: r for r in rules or []}
    steps: list[dict[str, Any]] = []
    seen_faults: set[str] = set()
    for i, e in enumerate(b.x):
        if e.fault and e.fault not in seen_faults and e.fault in rules_by_id:
            seen_faults.add(e.fault)
            rule = {k: v for k, v in rules_by_id[e.fault].items() if k not in ("id", "fired")}
            steps.append({"name": f"fault {e.fault} was active", "fault": rule})
        op = e.operation or f"{e.method} {e.path}"
        expect = b.expectation(i) if 100 <= e.status <= 599 else {"disconnected": True}  # 0: connection dropped
        step: dict[str, Any] = {
            "name": f"{op} #{i + first}" + (f" (fault {e.fault})" if e.fault else ""),
            "request": b.reqs[i],
            "expect": expect,
        }
        if i in b.captures:
            step["capture"] = b.captures[i]
        steps.append(step)
    return steps


def build_scenario(
    emulator: str,
    exchanges: list[Exchange],
    *,
    credentials: dict[str, Any] | None = None,
    redaction: Redaction | None = None,
    rules: list[dict[str, Any]] | None = None,
    name: str | None = None,
    source: str = "",
    exact: bool = False,
    tool: str = "emulators record",
    base_urls: Iterable[str] = (),
    slots: Iterable[AuthSlot] | None = None,
) -> dict[str, Any]:
    """The portable scenario (a dict) for `exchanges` of `emulator`; links to `base_urls` (the recorded
    server as its clients saw it) are matched whatever the host."""
    exchanges = [e for e in exchanges if e.path.startswith("/")]  # `OPTIONS *` is no step of a scenario
    slots = auth_slots_of(emulator) if slots is None else slots
    b = built(exchanges, credentials or {}, redaction or Redaction(), exact, base_urls, slots=slots)
    steps = portable_steps(b, rules)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    scenario: dict[str, Any] = {
        "name": name or f"{emulator} session recorded {stamp}",
        "description": f"Recorded by `{tool}` from {source or 'a running emulator'} at {stamp}.",
        "emulator": emulator,
    }
    if b.secrets:
        scenario["vars"] = b.secrets
    scenario["steps"] = steps or [{"reset": True}]
    return scenario


def to_yaml(scenario: dict[str, Any], tool: str = "emulators record") -> str:
    head = [f"# Recorded by `{tool}`; replay with `emulators replay FILE` (or compare: `emulators parity FILE`)."]
    if scenario.get("vars"):
        head.append("# Credentials that could not be named: set the secret_* vars (e.g. to ${env:NAME}).")
    # libyaml when present (PyYAML's C emitter and parser: the pure-Python pair takes seconds per 100 steps)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(scenario, Dumper=dumper, sort_keys=False, allow_unicode=True, width=110)
    out = "\n".join(head) + "\n" + text
    problems = validate(yaml.load(out, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), "<recorded>")
    if problems:  # what we write must be a valid scenario
        raise ScenarioError("<recorded>", problems)
    return out

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

The pieces: views.py (exchanges and their decoded bodies), captures.py (where values occur, capture
names), redacting.py (redacted places), loosening.py (what an expectation lets vary); this module walks
the views with its substitutions and puts the steps together. A test counts the walk by replacing this
module's `_map` and `_Builder`, so both, and every walk that goes through `_map`, are defined here.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import yaml

from ..core.journal import REDACTED, Redaction
from ..core.negotiation import pairs_to_dict
from ..core.spec import AuthSlot
from ..scenarios.matching import date_shape
from ..scenarios.scenario import ScenarioError, validate
from .auth_slots import apply_auth_slots, auth_slots_of
from .captures import Sub, _Indexes, _leaf_key, _whole
from .loosening import _Loosening, _set_path
from .redacting import GENERIC_REDACTION, _RedactStep, every_redaction, redaction_of
from .views import (
    CLOCK_HEADERS,
    CLOCK_KEY,
    GUID,
    MIN_SUBSTRING,
    RECORD_DEPTH,
    SKIP_REQUEST_HEADERS,
    SKIP_RESPONSE_HEADERS,
    TOKEN_LIKE,
    Carried,
    Exchange,
    Leaf,
    _clock_value,
    _ct,
    _esc,
    _flat_credentials,
    _norm,
    decode_body,
    response_view,
)

__all__ = [
    "CLOCK_HEADERS",
    "CLOCK_KEY",
    "GENERIC_REDACTION",
    "GUID",
    "MIN_SUBSTRING",
    "RECORD_DEPTH",
    "SKIP_REQUEST_HEADERS",
    "SKIP_RESPONSE_HEADERS",
    "TOKEN_LIKE",
    "Carried",
    "Exchange",
    "Leaf",
    "Sub",
    "build_scenario",
    "built",
    "decode_body",
    "every_redaction",
    "portable_steps",
    "redaction_of",
    "response_view",
    "to_yaml",
]


def _map(value: Any, fn: Callable[[Any, str | None], Any], key: str | None = None) -> Any:
    """fn(leaf, its key) on every leaf (and on whole dicts/lists first: fn may return a replacement)."""
    if isinstance(value, dict):
        return {k: _map(v, fn, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_map(v, fn, key) for v in value]
    return fn(value, key)


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


# the builder ------------------------------------------------------------------------------------
class _Builder(_RedactStep, _Loosening):
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
        self.secrets = dict(self.carried.secrets)
        self.reqs = [self._request(e) for e in exchanges]
        self.resps = [self._response(e) for e in exchanges]
        self.captures = {}
        self.typed = {}
        self.var_names = set(self.carried.var_names)
        self._var_next = {}
        self.minted = {}
        self.bases = []
        self._links = {}

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

    # 4. auth slots (auth_slots.py) --------------------------------------------------------------
    def auth_slots(self, slots: Iterable[AuthSlot]) -> None:
        apply_auth_slots(self.reqs, slots, self._link)

    # 6. expectations ------------------------------------------------------------------------------
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

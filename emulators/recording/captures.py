"""The capture bookkeeping of a portable recording: where each value occurs, which requests take it from
which answer, and the variables that name it (the walk that finds them is `_Builder.captures_by_value`)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .views import _IDENT, CLOCK_HEADERS, MIN_SUBSTRING, Leaf, _json_type, _walk

Sub = tuple[str | int, str, bool]  # (value, its placeholder, whole values only)


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


class _CaptureNames:
    """The captures of a `_Builder` (portable.py): variables named, what each answer's captures are."""

    resps: list[dict[str, Any]]
    captures: dict[int, dict[str, str]]
    typed: dict[int, dict[str, str]]  # step -> {capture source: JSON type} (minting answer)
    minted: dict[int, list[tuple[str, str, bool]]]  # step -> (value, variable, whole) captured
    var_names: set[str]
    _var_next: dict[str, int]  # base -> the n of the last `base_n` handed out (see _var)

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

    def _capture(self, i: int, source: str, value: Any) -> str:
        """A capture of answer i's `source` (its variable is new); its placeholder."""
        var = self._var(source)
        self.captures.setdefault(i, {})[var] = source
        self.typed.setdefault(i, {})[source] = _json_type(value)
        self.minted.setdefault(i, []).append((str(value), var, _whole(value)))
        return "${" + var + "}"

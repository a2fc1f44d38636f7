"""`emulators parity FILE.scenario.yaml [--target URL] [--json PATH] [--junit PATH]`.

Replays a recording (typically made through `emulators proxy` in front of the real vendor) against the
emulator, in-process by default, and reports per step where the emulator's answer differs from the
recorded one:

- `status`   -- another status code;
- `envelope` -- a top-level body key missing or extra (`keys` for the same deeper down);
- `type`     -- a value of another JSON type (or a body that is not JSON / XML at all);
- `value`    -- another value, except where the recording holds a matcher (clock values, minted ids
                and tokens: `$date`, `$type`, `$any`, captures);
- `header`   -- a response header present on one side only (server/transport headers aside), or
                another content type.

Every step runs, whatever the step before found. Exit 0 means no difference.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ..scenarios.checks import extract, response_json, response_xml
from ..scenarios.matching import MISSING, date_shape, match
from ..scenarios.runner import Answer, Runner, ScenarioResult
from .portable import SKIP_RESPONSE_HEADERS

KINDS = ("status", "envelope", "keys", "type", "value", "header")


@dataclass
class Difference:
    step: int
    name: str
    kind: str
    where: str
    recorded: Any
    emulator: Any


@dataclass
class ParityReport:
    scenario: str
    source: str
    target: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    result: ScenarioResult | None = None

    @property
    def ok(self) -> bool:
        return not self.differences and not self.errors

    def as_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "source": self.source,
            "target": self.target,
            "differences": len(self.differences),
            "errors": self.errors,
            "by_kind": {k: sum(1 for d in self.differences if d.kind == k) for k in KINDS},
            "steps": [
                {**s, "differences": [asdict(d) for d in self.differences if d.step == s["index"]]} for s in self.steps
            ],
        }


def _type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int | float):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


def _is_matcher(v: Any) -> bool:
    return isinstance(v, dict) and len(v) == 1 and str(next(iter(v))).startswith("$")


def _short(v: Any) -> Any:
    if v is MISSING:
        return "(missing)"
    text = json.dumps(v, ensure_ascii=False, default=str)
    return v if len(text) <= 80 else text[:77] + "..."


def compare_body(expected: Any, actual: Any, where: str = "$") -> list[tuple[str, str, Any, Any]]:
    """(kind, where, recorded, emulator) for every difference between a recorded body and an answer."""
    out: list[tuple[str, str, Any, Any]] = []
    if _is_matcher(expected):
        op, arg = next(iter(expected.items()))
        if isinstance(actual, dict) and op in actual:  # a literal "$type" key (JSON.NET)
            return compare_body(arg, actual[op], f"{where}.{op}")
        if op in ("$any", "$absent"):
            return []
        if op == "$type":
            if match(expected, actual):
                out.append(("type", where, arg, _type(actual)))
            return out
        if op == "$date":
            if arg == "epoch" and _type(actual) in ("string", "number") and date_shape(actual) == "epoch":
                return out
            if not isinstance(actual, str):
                out.append(("type", where, "string (a date)", _type(actual)))
            elif arg is not True and date_shape(actual) != arg:
                out.append(("value", where, f"a date ({arg})", _short(actual)))
            return out
        if match(expected, actual):
            out.append(("value", where, _short(expected), _short(actual)))
        return out
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [("type", where, "object", _type(actual))]
        kind = "envelope" if where == "$" else "keys"
        for k in expected:
            if k not in actual and not (_is_matcher(expected[k]) and "$absent" in expected[k]):
                out.append((kind, f"{where}.{k}", "present", "missing"))
        for k in actual:
            if k not in expected:
                out.append((kind, f"{where}.{k}", "missing", "present"))
        for k, v in expected.items():
            if k in actual:
                out += compare_body(v, actual[k], f"{where}.{k}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [("type", where, "array", _type(actual))]
        if len(expected) != len(actual):
            out.append(("value", f"{where}.length", len(expected), len(actual)))
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            out += compare_body(e, a, f"{where}[{i}]")
        return out
    if _type(expected) != _type(actual):
        return [("type", where, f"{_type(expected)} {_short(expected)}", f"{_type(actual)} {_short(actual)}")]
    if expected != actual:
        return [("value", where, _short(expected), _short(actual))]
    return []


def compare_headers(expected: dict[str, Any], response: httpx.Response) -> list[tuple[str, str, Any, Any]]:
    out: list[tuple[str, str, Any, Any]] = []
    want = {k.lower(): v for k, v in (expected or {}).items()}
    have = {k.lower() for k in response.headers if k.lower() not in SKIP_RESPONSE_HEADERS}
    for name in sorted(set(want) - {k for k in want if k in SKIP_RESPONSE_HEADERS}):
        if name not in {k.lower() for k in response.headers}:
            out.append(("header", name, "present", "missing"))
        elif name == "content-type" and match(want[name], response.headers[name]):
            out.append(("header", name, _short(want[name]), response.headers[name]))
    for name in sorted(have - set(want)):
        out.append(("header", name, "missing", "present"))
    return out


class ParityCheck:
    """The runner's step hook for parity: never fails a step at a difference, collects them instead."""

    def __init__(self) -> None:
        self.found: list[Difference] = []
        self.step_info: list[dict[str, Any]] = []

    def __call__(self, answer: Answer) -> None:
        if answer.response is None:  # a dropped connection is an error of the step, not a difference
            raise answer.dropped or httpx.RemoteProtocolError("the connection dropped")
        sr, expect, response = answer.result, answer.expect, answer.response
        diffs: list[tuple[str, str, Any, Any]] = []
        want = expect.get("status")
        if want is not None and response.status_code not in (want if isinstance(want, list) else [want]):
            diffs.append(("status", "status", want, response.status_code))
        if "json" in expect:
            body = response_json(response)
            diffs += (
                compare_body(expect["json"], body)
                if body is not MISSING
                else [("type", "$", "a JSON body", "not JSON")]
            )
        elif "xml" in expect:
            doc = response_xml(response)
            diffs += (
                compare_body(expect["xml"], doc) if doc is not MISSING else [("type", "$", "an XML body", "not XML")]
            )
        elif "body" in expect and response.text != expect["body"]:
            diffs.append(("value", "body", _short(expect["body"]), _short(response.text)))
        if "headers" in expect:
            diffs += compare_headers(expect["headers"], response)
        for kind, where, rec, emu in diffs:
            self.found.append(Difference(sr.index, sr.name, kind, where, rec, emu))
        self.step_info.append(
            {
                "index": sr.index,
                "name": sr.name,
                "request": f"{answer.method} {answer.path}",
                "status": {"recorded": want, "emulator": response.status_code},
            }
        )
        if diffs:
            sr.message = "\n".join(
                f"{k} {w}: recorded {json.dumps(r, default=str)}, emulator {json.dumps(e, default=str)}"
                for k, w, r, e in diffs
            )
        for var, how in (answer.step.get("capture") or {}).items():
            got = extract(how, response)
            if got is MISSING:
                raise KeyError(f"capture {var}: {how} is not in the emulator's answer")
            answer.variables[var] = got


def run_parity(
    path: str | Path,
    target: str | None = None,
    *,
    out: Callable[[str], None] | None = None,
    timeout: float = 30.0,
    skip_control: bool = False,
    credentials: dict[str, Any] | None = None,
) -> ParityReport:
    lines: list[str] = []
    check = ParityCheck()
    runner = Runner(
        target,
        out=out or lines.append,
        timeout=timeout,
        step_hook=check,
        skip_control=skip_control,
        credentials=credentials,
    )
    result = runner.run_file(path)
    report = ParityReport(result.name, str(path), target or "in-process", check.step_info, check.found, result=result)
    for s in result.steps:
        if s.outcome == "error":
            report.errors.append(f"step {s.index} {s.name}: {s.message}")
        if s.outcome in ("passed", "failed") and any(d.step == s.index for d in check.found):
            s.outcome = "failed"  # for JUnit: a step with differences is a failed test case
    if result.outcome == "error" and not result.steps:
        report.errors.append(result.message)
    return report


def table(report: ParityReport) -> str:
    head = f"parity: {report.scenario} ({report.source}) vs {report.target}"
    if report.ok:
        return head + f"\n  no difference in {len(report.steps)} step(s)"
    rows = [("step", "name", "kind", "where", "recorded", "emulator")]
    for d in report.differences:
        rows.append((str(d.step), d.name[:28], d.kind, d.where[:40], str(d.recorded)[:30], str(d.emulator)[:30]))
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    text = [head] + ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    text += [f"  ERROR {e}" for e in report.errors]
    steps = len({d.step for d in report.differences})
    text.append(
        f"{len(report.differences)} difference(s) in {steps} of {len(report.steps)} step(s)"
        + (f"; {len(report.errors)} error(s)" if report.errors else "")
    )
    return "\n".join(text)

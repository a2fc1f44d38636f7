"""Runs scenarios: in-process (`build_app` + SyncASGITransport) by default, or against a base URL.

Against a URL that answers `/__emulator/health` (a running emulator) each scenario runs in a fresh
`/__ns/replay-.../` namespace; any other URL (e.g. the real vendor) gets plain requests and control
steps fail (or are skipped with `skip_control=True`, which makes no control call at all, not even the
probe). `${credentials.*}` come from the emulator's `/__emulator/credentials`; against anything else
from `credentials=` (`--credentials FILE`) or the environment variable `EMULATORS_CREDENTIALS_<API>`
(YAML / JSON text, or the path of such a file).
"""

from __future__ import annotations

import base64
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from ..core.spec import EmulatorSpec
from ..registry import EmulatorUnavailable, UnknownEmulator, resolve_spec
from ..testing.harness import Emulator, in_process
from ..testing.live import unique_namespace
from .checks import check_response, extract
from .matching import UnresolvedVariable, resolver, substitute
from .scenario import Scenario, ScenarioError, known_emulator, load, load_data_file
from .webhook_checks import check_webhook, delivered


@dataclass
class StepResult:
    index: int
    name: str
    line: int
    outcome: str  # passed | failed | error | skipped
    summary: str = ""  # "GET /items -> 200"
    message: str = ""
    details: str = ""
    duration_ms: float = 0.0


@dataclass
class ScenarioResult:
    name: str
    source: str
    outcome: str  # passed | failed | error | skipped
    steps: list[StepResult] = field(default_factory=list)
    message: str = ""
    duration_ms: float = 0.0
    mode: str = "in-process"

    @property
    def ok(self) -> bool:
        return self.outcome in ("passed", "skipped")


class ControlUnavailable(RuntimeError):
    pass


@dataclass
class _Target:
    emulator: Emulator
    spec: EmulatorSpec | None
    has_control: bool


@dataclass
class Answer:
    """A request step as sent, for the step hook: its answer, or the error that dropped the connection."""

    step: dict[str, Any]  # as written (its `capture:` unresolved)
    method: str
    path: str
    expect: dict[str, Any]  # variables substituted
    response: httpx.Response | None
    dropped: httpx.TransportError | None
    target: _Target
    result: StepResult  # the hook sets its outcome, message and details
    variables: dict[str, Any]  # captures go here


StepHook = Callable[[Answer], None]


class Runner:
    """`Runner().run_file("fixtures/scenarios/x.scenario.yaml") -> ScenarioResult`.

    target: None (in-process), a base URL for every emulator, or {emulator: base URL}.
    step_hook: judges each request step's Answer (default `check_answer`, the step's `expect:`); parity
    passes one that collects differences instead."""

    def __init__(
        self,
        target: str | dict[str, str] | None = None,
        *,
        skip_control: bool = False,
        namespace: bool = True,
        out: Callable[[str], None] | None = None,
        timeout: float = 30.0,
        step_hook: StepHook | None = None,
        credentials: dict[str, Any] | None = None,
    ) -> None:
        self.target = target
        self.credentials = credentials
        self.skip_control = skip_control
        self.namespace = namespace
        write = out if out is not None else (lambda line: print(line, file=sys.stdout, flush=True))
        self.out: Callable[[str], None] = lambda line: write(shown(line))  # names from files: escapes shown
        self.timeout = timeout
        self.step_hook: StepHook = step_hook if step_hook is not None else self.check_answer

    # entry points ----------------------------------------------------------------------------
    def run_file(self, path: str | Path) -> ScenarioResult:
        try:
            scenario = load(path)
        except ScenarioError as exc:
            self.out(f"scenario {path}: INVALID")
            for problem in exc.problems:
                self.out(f"  {problem}")
            return ScenarioResult(name=str(path), source=str(path), outcome="error", message=str(exc))
        return self.run(scenario)

    def run(self, scenario: Scenario) -> ScenarioResult:
        started = time.perf_counter()
        mode = "in-process" if self.target is None else "target"
        result = ScenarioResult(scenario.name, scenario.source, "passed", mode=mode)
        try:
            targets = self._targets(scenario)
        except UnknownEmulator as exc:
            result.outcome, result.message = "error", str(exc)
            self.out(f"scenario {scenario.name} ({scenario.source}): ERROR - {exc}")
            return result
        except EmulatorUnavailable as exc:
            result.outcome, result.message = "skipped", str(exc)
            self.out(f"scenario {scenario.name} ({scenario.source}): SKIPPED - {exc}")
            return result
        except (httpx.HTTPError, OSError, ValueError) as exc:
            result.outcome, result.message = "error", f"set-up failed: {exc}"
            self.out(f"scenario {scenario.name} ({scenario.source}): ERROR - {result.message}")
            return result
        where = ", ".join(t.emulator.base_url for t in targets.values())
        self.out(f"scenario {scenario.name} ({scenario.source}) [{mode}: {where}]")
        try:
            self._steps(scenario, targets, result)
        finally:
            for t in targets.values():
                t.emulator.close()
        result.duration_ms = (time.perf_counter() - started) * 1000
        bad = [s for s in result.steps if s.outcome in ("failed", "error")]
        if bad:
            result.outcome = "failed"
            result.message = f"{len(bad)} of {len(result.steps)} steps failed"
        self.out(
            f"  => {result.outcome.upper()}"
            + (f" ({result.message})" if result.message else "")
            + f" in {result.duration_ms:.0f} ms"
        )
        return result

    # set-up ------------------------------------------------------------------------------------
    def _target_url(self, name: str) -> str | None:
        if self.target is None or isinstance(self.target, str):
            return self.target
        return self.target.get(name)

    def _targets(self, scenario: Scenario) -> dict[str, _Target]:
        targets: dict[str, _Target] = {}
        for name in scenario.emulators:
            if not known_emulator(name):  # never import a module a scenario file names (scenario.py)
                from .. import registry

                raise UnknownEmulator(f"unknown emulator {str(name)[:100]!r}; known: {', '.join(registry.APIS)}")
            url = self._target_url(name)
            if url is None:
                local = resolve_spec(name)
                fixtures = scenario.fixtures_for(name)
                targets[name] = _Target(in_process(local, fixtures=fixtures, timeout=self.timeout), local, True)
                continue
            spec: EmulatorSpec | None
            try:
                spec = resolve_spec(name)
            except UnknownEmulator:
                raise
            except EmulatorUnavailable:
                spec = None  # contract checks report it; plain requests still run
            url = url.rstrip("/")
            client = httpx.Client(timeout=self.timeout)
            has_control = False if self.skip_control else self._probe(client, url)
            base = f"{url}/__ns/{unique_namespace('replay')}" if has_control and self.namespace else url
            client.base_url = httpx.URL(base)
            emu = Emulator(spec.name if spec else name, client, base)
            if has_control and not self.namespace:
                emu.reset()
            if scenario.fixtures_for(name) is not None:
                self.out(f"  note: fixtures of {name} are not loaded into a --target (its own fixtures apply)")
            targets[name] = _Target(emu, spec, has_control)
        state = scenario.data.get("state")
        if state is not None:
            first = targets[scenario.emulator]
            data = load_data_file(scenario.resolve(state)) if isinstance(state, str) else state
            if not first.has_control:
                raise ValueError("`state` needs an emulator (the target has no /__emulator control plane)")
            first.emulator.state.load(data)
        return targets

    @staticmethod
    def _probe(client: httpx.Client, url: str) -> bool:
        try:
            r = client.get(url + "/__emulator/health")
        except httpx.TransportError as exc:
            reason = str(exc) or type(exc).__name__
            raise ConnectionError(f"cannot reach the target {url}: {reason}") from None
        try:
            return r.status_code == 200 and r.json().get("status") == "ok"
        except ValueError:
            return False

    def _credentials(self, api: str, target: _Target) -> Any:
        """An emulator's own credentials; else those given (`--credentials`, EMULATORS_CREDENTIALS_<API>)."""
        if target.has_control:
            return target.emulator.credentials
        env = "EMULATORS_CREDENTIALS_" + api.upper()
        data: Any = self.credentials
        if data is None and os.environ.get(env):
            text = os.environ[env]
            try:
                data = load_data_file(Path(text)) if Path(text).is_file() else yaml.safe_load(text)
            except (ValueError, OSError, yaml.YAMLError) as exc:
                raise UnresolvedVariable(f"{env}: not YAML / JSON credentials ({exc})") from None
        if data is None:
            raise UnresolvedVariable(
                f"${{credentials}} of {api}: {target.emulator.base_url} is not an emulator; "
                f"pass --credentials FILE or set {env}"
            )
        if isinstance(data, dict) and isinstance(data.get(api), dict):
            data = data[api]  # one file for several APIs: {superoffice: {...}, aktion: {...}}
        if not isinstance(data, dict):
            raise UnresolvedVariable(f"credentials of {api}: expected a mapping of names to values")
        return data

    # steps -------------------------------------------------------------------------------------
    def _steps(self, scenario: Scenario, targets: dict[str, _Target], result: ScenarioResult) -> None:
        variables: dict[str, Any] = {}
        default = targets[scenario.emulator]
        resolve = resolver(variables, {"credentials": lambda: self._credentials(scenario.emulator, default)})
        failed = False
        for name, value in (scenario.data.get("vars") or {}).items():  # vars may use ${credentials.x}, ${env:X}
            try:
                variables[name] = substitute(value, resolve)
            except KeyError as exc:
                sr = StepResult(0, f"vars.{name}", 0, "error", message=str(exc.args[0] if exc.args else exc))
                result.steps.append(sr)
                self._report(sr, scenario)
                failed = True
        for i, step in enumerate(scenario.steps):
            line = scenario.step_lines[i] if i < len(scenario.step_lines) else 0
            sr = StepResult(i + 1, scenario.step_name(i), line, "passed")
            result.steps.append(sr)
            if failed:
                sr.outcome, sr.message = "skipped", "an earlier step failed"
                self._report(sr, scenario)
                continue
            target = targets[step.get("emulator") or scenario.emulator]
            t0 = time.perf_counter()
            try:
                if "request" in step:
                    self._request(step, target, resolve, variables, sr, scenario)
                else:
                    self._control(step, target, resolve, sr, scenario)
            except ControlUnavailable as exc:
                sr.outcome, sr.message = ("skipped" if self.skip_control else "error"), str(exc)
            except KeyError as exc:  # UnresolvedVariable and friends
                sr.outcome, sr.message = "error", str(exc.args[0] if exc.args else exc)
            except (httpx.HTTPError, OSError, ValueError, AssertionError) as exc:
                sr.outcome, sr.message = "error", f"{type(exc).__name__}: {exc}"
            sr.duration_ms = sr.duration_ms or (time.perf_counter() - t0) * 1000
            failed = sr.outcome in ("failed", "error")
            self._report(sr, scenario)

    def _request(
        self,
        step: dict[str, Any],
        target: _Target,
        resolve: Callable[[str], Any],
        variables: dict[str, Any],
        sr: StepResult,
        scenario: Scenario,
    ) -> None:
        """Send the step's request and hand its answer (or the dropped connection) to the step hook."""
        req = substitute(step["request"], resolve)
        expect = substitute(step.get("expect") or {}, resolve)
        method, path = req["method"], req["path"]
        kwargs = _request_kwargs(req, scenario)
        seen = self._webhooks_seen(step, target, sr)
        t0 = time.perf_counter()
        try:
            response = target.emulator.client.request(method, path, **kwargs)
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            sr.duration_ms = (time.perf_counter() - t0) * 1000
            self.step_hook(Answer(step, method, path, expect, None, exc, target, sr, variables))
            return
        sr.duration_ms = (time.perf_counter() - t0) * 1000
        sr.summary = f"{method} {path} -> {response.status_code}"
        self.step_hook(Answer(step, method, path, expect, response, None, target, sr, variables))
        if seen is not None and sr.outcome == "passed":  # after captures: its fields may use this step's
            problems = check_webhook(target.emulator, substitute(step["expect_webhook"], resolve), seen)
            if problems:
                sr.outcome, sr.message = "failed", "\n".join(problems)

    def _webhooks_seen(self, step: dict[str, Any], target: _Target, sr: StepResult) -> int | None:
        """How many deliveries the journal holds before an `expect_webhook:` step (None: no such step)."""
        if "expect_webhook" not in step:
            return None
        if not target.has_control:
            raise ControlUnavailable(
                f"{sr.name}: expect_webhook reads the target's /__emulator/webhooks/deliveries; "
                f"{target.emulator.base_url} has no control plane (use an emulator, or --skip-control)"
            )
        return len(delivered(target.emulator))

    def check_answer(self, answer: Answer) -> None:
        """The default step hook: the step's `expect:` (a failed step on a difference), then its captures."""
        sr, expect, response = answer.result, answer.expect, answer.response
        if response is None:
            sr.summary = f"{answer.method} {answer.path} -> connection dropped"
            if not expect.get("disconnected"):
                sr.outcome, sr.message = "failed", f"the connection dropped without a response ({answer.dropped})"
            return
        if expect.get("disconnected"):
            sr.outcome, sr.message = "failed", f"expected the connection to drop, got {response.status_code}"
            return
        problems, details = check_response(
            expect, response, sr.duration_ms, answer.target.spec, answer.method, answer.path
        )
        if problems:
            sr.outcome, sr.message, sr.details = "failed", "\n".join(problems), details
            return
        for var, how in (answer.step.get("capture") or {}).items():
            answer.variables[var] = extract(how, response)

    def _control(
        self, step: dict[str, Any], target: _Target, resolve: Callable[[str], Any], sr: StepResult, scenario: Scenario
    ) -> None:
        if not target.has_control:
            raise ControlUnavailable(
                f"{sr.name}: the target {target.emulator.base_url} has no /__emulator "
                "control plane (use an emulator, or --skip-control)"
            )
        emu = target.emulator
        if "clock" in step:
            now = emu.control("POST", "/clock", json=substitute(step["clock"], resolve))
            sr.summary = f"clock -> {now['now']}" + (" (frozen)" if now.get("frozen") else "")
        elif "fault" in step:
            rule = substitute(step["fault"], resolve)
            sr.summary = f"fault {emu.faults.add(**rule)}: " + ", ".join(f"{k}={v}" for k, v in rule.items())
        elif "clear_faults" in step:
            emu.faults.clear()
            sr.summary = "faults cleared"
        elif "stub" in step:
            rule = substitute(step["stub"], resolve)
            summary = ", ".join(f"{k}={v}" for k, v in rule.items() if k != "respond")
            sr.summary = f"stub {emu.stubs.add(**rule)}: " + summary
        elif "clear_stubs" in step:
            emu.stubs.clear()
            sr.summary = "stubs cleared"
        elif "clear_journal" in step:
            emu.journal.clear()
            sr.summary = "journal cleared"
        elif "reset" in step:
            emu.reset()
            sr.summary = "reset to fixtures"
        elif "load_state" in step:
            src = step["load_state"]
            data = load_data_file(scenario.resolve(src)) if isinstance(src, str) else src
            emu.state.load(substitute(data, resolve))
            sr.summary = f"state loaded{' from ' + src if isinstance(src, str) else ''}"

    def _report(self, sr: StepResult, scenario: Scenario) -> None:
        tag = {"passed": "ok  ", "failed": "FAIL", "error": "ERR ", "skipped": "skip"}[sr.outcome]
        text = f"  {tag} {sr.index:>2} {shown(sr.name)}"
        if sr.summary and sr.summary != sr.name:
            text += f"  [{shown(sr.summary)}]"
        if sr.outcome != "skipped":
            text += f"  {sr.duration_ms:.1f} ms"
        self.out(text)
        if sr.outcome in ("failed", "error"):
            self.out(f"       at {scenario.source}:{sr.line}")
            for line in sr.message.splitlines():
                self.out(f"       {shown(line)}")
            for line in sr.details.splitlines():
                self.out(f"       {shown(line)}")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # not TAB or LF


def shown(text: str) -> str:
    """`text` with terminal control characters (ESC, BEL, CR ...) written as escapes: a step name from a
    scenario file never sets the window title or clears the screen."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _request_kwargs(req: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    headers = {str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in (req.get("headers") or {}).items()}
    lower = {k.lower() for k in headers}
    kwargs: dict[str, Any] = {}
    if req.get("query"):
        kwargs["params"] = {
            k: (_q(v) if not isinstance(v, list) else [_q(x) for x in v]) for k, v in req["query"].items()
        }
    content_type = req.get("content_type")
    if "json" in req:
        kwargs["json"] = req["json"]
    elif "xml" in req:
        kwargs["content"] = req["xml"].encode("utf-8")
        content_type = content_type or "application/xml"
    elif "body" in req:
        kwargs["content"] = req["body"].encode("utf-8")
    elif "body_base64" in req:
        kwargs["content"] = base64.b64decode(req["body_base64"])
    elif "files" in req:
        files = {}
        for name, f in req["files"].items():
            if "path" in f:
                data = scenario.resolve(f["path"]).read_bytes()
            elif "content_base64" in f:
                data = base64.b64decode(f["content_base64"])
            else:
                data = f["content"].encode("utf-8")
            files[name] = (f.get("filename") or name, data, f.get("content_type") or "application/octet-stream")
        kwargs["files"] = files
        if req.get("form"):
            kwargs["data"] = {
                k: _q(v) if not isinstance(v, list) else [_q(x) for x in v] for k, v in req["form"].items()
            }
    elif "form" in req:
        kwargs["data"] = {k: _q(v) if not isinstance(v, list) else [_q(x) for x in v] for k, v in req["form"].items()}
    if req.get("basic_auth") is not None:
        headers["Authorization"] = _basic(req["basic_auth"])
    if content_type and "content-type" not in lower:
        headers["Content-Type"] = content_type
    if headers:
        kwargs["headers"] = headers
    return kwargs


def _basic(cred: Any) -> str:
    """`basic_auth` ({user, password} or "user:password") -> the Authorization header value."""
    if isinstance(cred, dict) and "user" in cred and "password" in cred:
        pair = f"{cred['user']}:{cred['password']}"
    elif isinstance(cred, str) and ":" in cred:
        pair = cred
    else:
        raise ValueError("basic_auth needs {user, password} or 'user:password'")
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def _q(v: Any) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def assert_scenario(path: str | Path, target: str | dict[str, str] | None = None, **kwargs: Any) -> ScenarioResult:
    """Run one scenario file; AssertionError with the progress output (diffs included) when it fails.
    A skipped scenario (its API's package is missing) is returned with outcome "skipped"."""
    lines: list[str] = []
    result = Runner(target, out=lines.append, **kwargs).run_file(path)
    if not result.ok:
        raise AssertionError("\n".join(lines))
    return result

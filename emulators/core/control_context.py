"""What the control plane knows of its emulator (handed over by the app; it never sees the app), and the
control plane's own error envelope, which the streamed journal (journal_stream.py) answers in too."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .call import Call
from .contract import Contract
from .errors import EmulatorError, ErrorBody, Issue
from .spec import EmulatorSpec
from .suggest import hint
from .world import World

if TYPE_CHECKING:
    from .journal import Entry, Redaction

# (context, world, entries, base_url, exact) -> a portable scenario (`GET requests?format=scenario`)
ScenarioExporter = Callable[["ControlContext", World, "list[Entry]", str, bool], dict[str, Any]]
# (context, world, entries, base_url, query) -> the body of an export built from the journal (the dashboard's)
ExportBuilder = Callable[["ControlContext", World, "list[Entry]", str, dict[str, str]], bytes]


@dataclass(frozen=True)
class BuiltExport:
    """A `GET` control route whose answer is built from the journal off the event loop, like
    `requests?format=scenario` (journal_stream.send_built): `build` runs in a worker thread."""

    build: ExportBuilder
    headers: tuple[tuple[str, str], ...] = ()
    check: Callable[[dict[str, str]], object] | None = None  # validates the query first (raises BadRequest)


@dataclass
class ControlContext:
    """What the control plane needs of its emulator, handed over by the app (it never sees the app)."""

    spec: EmulatorSpec
    contract: Contract
    fixtures: dict[str, Any]
    redaction: Redaction
    journal_size: int
    worlds: Mapping[str, World]  # live: the app's namespaces
    fresh_world: Callable[[str], World]  # a namespace as POST reset would restore it
    # a recording proxy's settings for `GET requests?format=scenario` (emulators/recording/proxy.py)
    recording_credentials: dict[str, Any] | None = None
    recording_base_urls: list[str] = field(default_factory=list)
    # the control guard (guard.py): a token (--control-token) and extra Host names (EMULATORS_CONTROL_HOSTS)
    control_token: str | None = None
    control_hosts: str = ""
    ca_path: str | None = None  # the local CA's certificate when served with `--tls` (GET /__emulator/ca.pem)


def render_control_error(err: EmulatorError, call: Call | None) -> ErrorBody:
    issues = [_with_hint(i, call) for i in err.issues]
    message = issues[0].message if issues and err.issues[0].message == err.message else err.message
    body: dict[str, Any] = {"error": message, "status": err.status}
    if issues:
        body["issues"] = [{"location": i.location, "name": i.name, "message": i.message} for i in issues]
    return ErrorBody(err.status, body)


def _with_hint(issue: Issue, call: Call | None) -> Issue:
    """An unknown body field ("advance_second") names the nearest valid one ("did you mean `advance_seconds`?")."""
    if issue.keyword != "additionalProperties" or call is None or "/" in issue.name:
        return issue
    schema = next(iter(call.operation.body_media.values()), None) or {}
    near = hint(issue.name, list(schema.get("properties") or {}))
    return Issue(issue.location, issue.name, issue.message + near, issue.keyword, issue.value) if near else issue

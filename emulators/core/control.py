"""The control plane `/__emulator/...`: health, reset, state, journal, faults, clock, contract,
credentials. It has its own contract (contracts/control/openapi.yaml) and runs through the same
pipeline as any API (validated; not journaled; no faults)."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .call import Call, Reply
from .clock import parse_iso
from .config import ConfigError, validate_clock, validate_fault, validate_state
from .contract import Contract
from .control_context import BuiltExport, ControlContext, ScenarioExporter, render_control_error
from .errors import BadRequest, Issue, NotFound
from .guard import ControlGuard
from .journal import Entry, entries_har, entry_json
from .journal_stream import (
    check_clock_range,
    export_entries,
    flag,
    query_params,
    send_built,
    send_error,
    send_head,
    stream_requests,
)
from .paths import contract_path
from .pipeline import Pipeline
from .spec import EmulatorSpec, Handler
from .verify import filter_entries
from .world import World


@contextlib.contextmanager
def _config_errors() -> Iterator[None]:
    """A ConfigError (pydantic-validated control body) becomes a 400 naming the field."""
    try:
        yield
    except ConfigError as exc:
        issues = [Issue("body", name, message) for name, message in exc.fields]
        raise BadRequest(str(exc), issues=issues) from None


def _portable(export: ScenarioExporter) -> BuiltExport:
    """`GET requests?format=scenario` as a BuiltExport: the portable scenario as JSON."""
    from .negotiation import encode_json

    def build(ctx: ControlContext, world: World, entries: list[Entry], base_url: str, q: dict[str, str]) -> bytes:
        return encode_json(export(ctx, world, entries, base_url, flag(q, "exact")))

    return BuiltExport(build, (("content-type", "application/json; charset=utf-8"),), check=lambda q: flag(q, "exact"))


@dataclass(frozen=True)
class ControlExtensions:
    """What the composition root (emulators.build_app) adds to the control plane from above the kernel."""

    # each given the control plane, answers more control operationIds (the dashboard's, emulators/ui)
    handlers: tuple[Callable[[ControlPlane], Mapping[str, Handler]], ...] = ()
    scenario: ScenarioExporter | None = None  # `GET requests?format=scenario` (emulators/recording/record.py)
    # more GET routes built from the journal off the event loop, by path (the dashboard's scenario export)
    exports: Mapping[str, BuiltExport] = field(default_factory=dict)


class ControlPlane:
    def __init__(
        self, ctx: ControlContext, *, strict: bool = False, extensions: ControlExtensions = ControlExtensions()
    ) -> None:
        self.ctx = ctx
        self.extensions = extensions
        handlers = {
            "health": self.health,
            "reset": self.reset,
            "getState": self.get_state,
            "putState": self.put_state,
            "getRequests": self.get_requests,
            "deleteRequests": self.delete_requests,
            "addFault": self.add_fault,
            "listFaults": self.list_faults,
            "clearFaults": self.clear_faults,
            "deleteFault": self.delete_fault,
            "addStub": self.add_stub,
            "listStubs": self.list_stubs,
            "clearStubs": self.clear_stubs,
            "deleteStub": self.delete_stub,
            "getCaCertificate": self.get_ca_certificate,
            "getClock": self.get_clock,
            "setClock": self.set_clock,
            "getContract": self.get_contract,
            "getCredentials": self.get_credentials,
            "runAction": self.run_action,
            "countRequests": self.count_requests,
            "findRequests": self.find_requests,
            "getWebhookDeliveries": self.webhook_deliveries,
            "addWebhookFault": self.add_webhook_fault,
            "listWebhookFaults": self.list_webhook_faults,
            "clearWebhookFaults": self.clear_webhook_faults,
            "getWebhookSubscriptions": self.webhook_subscriptions,
        }
        for more in extensions.handlers:
            handlers.update(more(self))
        spec = EmulatorSpec(
            name=f"{ctx.spec.name}-control",
            contract=contract_path("control"),
            fixtures=ctx.spec.fixtures,
            handlers=handlers,
            render_error=render_control_error,
            prefixes=["/__emulator"],
        )
        self.pipeline = Pipeline(spec, Contract.load(spec.contract), strict=strict, journaled=False)
        hosts = [h.strip() for h in ctx.control_hosts.split(",") if h.strip()]
        self.guard = ControlGuard(token=ctx.control_token, allowed_hosts=hosts)

    async def handle(
        self, world: World, scope: dict[str, Any], receive: Any, send: Any, path: str, base_url: str
    ) -> None:
        handoff = self.guard.token_handoff(scope, path)  # the dashboard's ?token= into a cookie
        if handoff is not None:
            await send({"type": "http.response.start", "status": 303, "headers": handoff})
            await send({"type": "http.response.body", "body": b""})
            return
        refused = self.guard.check(scope)  # Host, Content-Type, control token (guard.py)
        if refused is not None:
            rendered = render_control_error(refused, None)
            rendered.headers.update(refused.headers)
            await send_error(send, rendered)
            return
        route = path.rstrip("/")
        # only an export path asks the extensions, so serving /health never loads the dashboard's modules
        reading = scope["method"] in ("GET", "HEAD")
        exporting = reading and route.startswith("/__emulator/ui/export/")
        built = self.extensions.exports.get(route) if exporting else None
        if built is not None or (reading and route == "/__emulator/requests"):
            refused = self.pipeline.refusal(world, scope, path, base_url)  # the control contract's parameters
            if refused is not None:
                await send_error(send, render_control_error(refused, None))
                return
            if built is not None:
                await self._send_export(send, scope, world, base_url, built)
                return
            export = self.extensions.scenario
            if query_params(scope).get("format") != "scenario":
                await stream_requests(self.ctx, world, scope, send, base_url)  # paged, streamed (journal_stream.py)
                return
            if export is not None:
                await self._send_export(send, scope, world, base_url, _portable(export))
                return
        await self.pipeline.handle(world, scope, receive, send, path, base_url)

    # exports built from the journal, off the event loop ------------------------------------------
    async def _send_export(
        self, send: Any, scope: dict[str, Any], world: World, base_url: str, export: BuiltExport
    ) -> None:
        """`GET requests?format=scenario` and the dashboard's scenario export: the entries chosen here, on
        the loop (a snapshot of at most EXPORT_MAX_ENTRIES), the body built and encoded in a worker thread
        and sent in slices (journal_stream.send_built): `/health` and every API keep being served meanwhile."""
        q = query_params(scope)
        try:
            entries = export_entries(world, q)
            if export.check is not None:
                export.check(q)
        except BadRequest as err:
            await send_error(send, render_control_error(err, None))
            return
        ctx = self.ctx
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in export.headers]
        if scope["method"] == "HEAD":  # the headers only: building the body just to count it would stall
            await send_head(send, headers)
            return
        await send_built(send, lambda: export.build(ctx, world, entries, base_url, q), headers)

    # handlers ------------------------------------------------------------------------------
    def health(self, call: Call) -> Reply:
        return Reply(body={"status": "ok", "emulator": self.ctx.spec.name})

    def reset(self, call: Call) -> Reply:
        call.world.reset()
        return Reply(body={"status": "ok", "emulator": self.ctx.spec.name})

    def get_state(self, call: Call) -> Reply:
        return Reply(body=call.world.dump())

    def put_state(self, call: Call) -> Reply:
        with _config_errors():
            validate_state(self.ctx.spec, call.body)
        call.world.load(call.body, events=bool(call.query.get("events")))
        return Reply(body={"status": "ok", "emulator": self.ctx.spec.name})

    def get_requests(self, call: Call) -> Reply:
        """HEAD and `format=scenario` (GET json/har is streamed by journal_stream.py before the pipeline)."""
        q = call.query
        entries = call.world.journal.entries(
            operation=q.get("operation"),
            method=q.get("method"),
            status=q.get("status"),
            limit=q.get("limit"),
            after=q.get("after"),
        )
        red = self.ctx.redaction
        if q.get("format") == "scenario":  # portable: captures found on the raw values, then redacted
            export = self.extensions.scenario
            if export is None:
                raise NotFound("format=scenario: this emulator was built without a scenario exporter")
            return Reply(body=export(self.ctx, call.world, entries, call.base_url, bool(q.get("exact"))))
        if q.get("format") == "har":
            base = call.base_url
            return Reply(body=entries_har(entries, red, base, f"emulators/{self.ctx.spec.name}"))
        return Reply(body={"requests": [entry_json(e, red) for e in entries]})

    def count_requests(self, call: Call) -> Reply:
        q = call.query
        entries = call.world.journal.entries(
            operation=q.get("operation"), method=q.get("method"), status=q.get("status")
        )
        return Reply(body={"count": len(filter_entries(entries, self.ctx.redaction, path=q.get("path")))})

    def find_requests(self, call: Call) -> Reply:
        b = call.body or {}
        red = self.ctx.redaction
        entries = call.world.journal.entries(
            operation=b.get("operation"), method=b.get("method"), status=b.get("status")
        )
        found = filter_entries(
            entries, red, path=b.get("path"), body=b.get("body"), response_body=b.get("response_body")
        )
        if b.get("limit") is not None:
            found = found[-b["limit"] :] if b["limit"] > 0 else []
        return Reply(body={"count": len(found), "requests": [entry_json(e, red) for e in found]})

    def delete_requests(self, call: Call) -> Reply:
        n = len(call.world.journal)
        call.world.journal.clear()
        return Reply(body={"cleared": n})

    def add_fault(self, call: Call) -> Reply:
        with _config_errors():
            body = validate_fault(self.ctx.spec, call.body, list(self.ctx.contract.operations))
        rule = call.world.faults.add(body)
        return Reply(status=201, body={"id": rule.id})

    def list_faults(self, call: Call) -> Reply:
        return Reply(body={"faults": [r.as_dict() for r in call.world.faults.list()]})

    def clear_faults(self, call: Call) -> Reply:
        n = len(call.world.faults.list())
        call.world.faults.clear()
        return Reply(body={"cleared": n})

    def delete_fault(self, call: Call) -> Reply:
        if not call.world.faults.remove(call.path_params["id"]):
            raise NotFound(f"No fault rule {call.path_params['id']}")
        return Reply(body={"cleared": 1})

    def add_stub(self, call: Call) -> Reply:
        from .config import validate_fault

        with _config_errors():
            body = validate_fault(self.ctx.spec, call.body, list(self.ctx.contract.operations), kind="stub")
        rule = call.world.stubs.add(body)
        return Reply(status=201, body={"id": rule.id})

    def list_stubs(self, call: Call) -> Reply:
        return Reply(body={"stubs": [r.as_dict() for r in call.world.stubs.list()]})

    def clear_stubs(self, call: Call) -> Reply:
        n = len(call.world.stubs.list())
        call.world.stubs.clear()
        return Reply(body={"cleared": n})

    def delete_stub(self, call: Call) -> Reply:
        if not call.world.stubs.remove(call.path_params["id"]):
            raise NotFound(f"No stub rule {call.path_params['id']}")
        return Reply(body={"cleared": 1})

    def get_ca_certificate(self, call: Call) -> Reply:
        """The local CA a client must trust (served with `--tls`); 404 over plain http or a user's own cert."""
        if not self.ctx.ca_path:
            raise NotFound("This server does not use the emulators' local CA (serve with --tls)")
        try:
            with open(self.ctx.ca_path, "rb") as f:
                pem = f.read()
        except OSError as exc:
            raise NotFound(f"The local CA certificate is gone: {self.ctx.ca_path}") from exc
        return Reply(body=pem, media_type="application/x-pem-file")

    def get_clock(self, call: Call) -> Reply:
        return Reply(body=call.world.clock.as_dict())

    def set_clock(self, call: Call) -> Reply:
        with _config_errors():
            body = validate_clock(call.body or {})
        clock = call.world.clock
        target = None
        if "set" in body:
            try:
                target = parse_iso(str(body["set"]))
                check_clock_range(target.timestamp())
            except (ValueError, OverflowError) as exc:
                raise BadRequest(f"set: not an ISO 8601 date-time between years 1 and 9999: {body['set']}") from exc
        advance = 0.0
        if "advance_seconds" in body:
            try:
                advance = float(body["advance_seconds"])
            except (TypeError, ValueError, OverflowError) as exc:
                raise BadRequest("advance_seconds: not a number") from exc
            base = target.timestamp() if target is not None else (time.time() if body.get("reset") else clock.time())
            try:
                check_clock_range(base + advance)
            except (ValueError, OverflowError) as exc:
                raise BadRequest("advance_seconds: the clock would leave the years 1 to 9999") from exc
        # every value checked: only now is the clock changed (a refused command leaves it as it was)
        if body.get("reset"):
            clock.reset()
        if body.get("freeze") is True:
            clock.freeze(True)
        if target is not None:
            clock.set(target)
        if body.get("freeze") is False:
            clock.freeze(False)
        if advance:
            clock.advance(advance)
        return Reply(body=clock.as_dict())

    def webhook_deliveries(self, call: Call) -> Reply:
        from .outbound_har import deliveries_har

        q = call.query
        outbox = call.world.outbox
        found = outbox.deliveries(subscription=q.get("subscription"), event=q.get("event"))
        if q.get("format") == "har":
            return Reply(body=deliveries_har(found, f"emulators/{self.ctx.spec.name}"))
        return Reply(body={"deliveries": found, "pending": outbox.pending()})

    def add_webhook_fault(self, call: Call) -> Reply:
        return Reply(status=201, body={"id": call.world.outbox.faults.add(call.body).id})

    def list_webhook_faults(self, call: Call) -> Reply:
        return Reply(body={"faults": [r.as_dict() for r in call.world.outbox.faults.list()]})

    def clear_webhook_faults(self, call: Call) -> Reply:
        n = len(call.world.outbox.faults.list())
        call.world.outbox.faults.clear()
        return Reply(body={"cleared": n})

    def webhook_subscriptions(self, call: Call) -> Reply:
        view = self.ctx.spec.webhook_view
        return Reply(body={"subscriptions": view(call.world) if view is not None else []})

    def get_contract(self, call: Call) -> Reply:
        return Reply(body=json.loads(self.ctx.contract.as_json()))

    def get_credentials(self, call: Call) -> Reply:
        maker = self.ctx.spec.credentials
        return Reply(body=maker(self.ctx.fixtures) if maker is not None else {})

    def run_action(self, call: Call) -> Reply:
        name = call.path_params["name"]
        action = self.ctx.spec.control_routes.get(name)
        if action is None:
            raise NotFound(f"No control action {name!r} for {self.ctx.spec.name}")
        return Reply(body=action(call.world, call.body if call.body is not None else {}))

"""The control plane `/__emulator/...`: health, reset, state, journal, faults, clock, contract,
credentials. It has its own contract (contracts/control/openapi.yaml) and runs through the same
pipeline as any API (validated; not journaled; no faults)."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from .call import Call, Reply
from .clock import parse_iso
from .contract import Contract
from .errors import BadRequest, EmulatorError, ErrorBody, NotFound
from .guard import ControlGuard
from .journal_stream import check_clock_range, send_error, stream_requests
from .paths import contract_path
from .pipeline import Pipeline
from .spec import EmulatorSpec
from .world import World

if TYPE_CHECKING:
    from .app import EmulatorApp


def _render_control_error(err: EmulatorError, call: Call | None) -> ErrorBody:
    body: dict[str, Any] = {"error": err.message, "status": err.status}
    if err.issues:
        body["issues"] = [{"location": i.location, "name": i.name, "message": i.message} for i in err.issues]
    return ErrorBody(err.status, body)


class ControlPlane:
    def __init__(self, app: EmulatorApp, *, strict: bool = False, control_token: str | None = None) -> None:
        self.app = app
        handlers = {
            "health": self.health, "reset": self.reset, "getState": self.get_state, "putState": self.put_state,
            "getRequests": self.get_requests_unstreamed, "deleteRequests": self.delete_requests,
            "addFault": self.add_fault, "listFaults": self.list_faults, "clearFaults": self.clear_faults,
            "deleteFault": self.delete_fault, "getClock": self.get_clock, "setClock": self.set_clock,
            "getContract": self.get_contract, "getCredentials": self.get_credentials,
            "runAction": self.run_action,
        }
        spec = EmulatorSpec(name=f"{app.spec.name}-control", port=0, contract=contract_path("control"),
                            fixtures=app.spec.fixtures, handlers=handlers, render_error=_render_control_error,
                            prefixes=["/__emulator"])
        self.pipeline = Pipeline(spec, Contract.load(spec.contract), strict=strict, journaled=False)
        hosts = [h.strip() for h in app.limits.control_hosts.split(",") if h.strip()]
        self.guard = ControlGuard(token=control_token, allowed_hosts=hosts)

    async def handle(self, world: World, scope: dict[str, Any], receive: Any, send: Any,
                     path: str, base_url: str) -> None:
        refused = self.guard.check(scope)  # Host, Content-Type, control token (guard.py)
        if refused is not None:
            rendered = _render_control_error(refused, None)
            rendered.headers.update(refused.headers)
            await send_error(send, rendered)
            return
        if scope["method"] == "GET" and path.rstrip("/") == "/__emulator/requests":
            await stream_requests(self.app, world, scope, send, base_url)  # paged, streamed (journal_stream.py)
            return
        await self.pipeline.handle(world, scope, receive, send, path, base_url)

    # handlers ------------------------------------------------------------------------------
    def health(self, call: Call) -> Reply:
        return Reply(body={"status": "ok", "emulator": self.app.spec.name})

    def reset(self, call: Call) -> Reply:
        call.world.reset()
        return Reply(body={"status": "ok", "emulator": self.app.spec.name})

    def get_state(self, call: Call) -> Reply:
        return Reply(body=call.world.dump())

    def put_state(self, call: Call) -> Reply:
        if self.app.spec.validate_state is not None:
            self.app.spec.validate_state(call.body)
        call.world.load(call.body)
        return Reply(body={"status": "ok", "emulator": self.app.spec.name})

    def get_requests_unstreamed(self, call: Call) -> Reply:  # only HEAD reaches it: GET is streamed
        return Reply(body={"requests": []})

    def delete_requests(self, call: Call) -> Reply:
        n = len(call.world.journal)
        call.world.journal.clear()
        return Reply(body={"cleared": n})

    def add_fault(self, call: Call) -> Reply:
        rule = call.world.faults.add(call.body)
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

    def get_clock(self, call: Call) -> Reply:
        return Reply(body=call.world.clock.as_dict())

    def set_clock(self, call: Call) -> Reply:
        body = call.body or {}
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

    def get_contract(self, call: Call) -> Reply:
        return Reply(body=json.loads(self.app.contract.as_json()))

    def get_credentials(self, call: Call) -> Reply:
        maker = self.app.spec.credentials
        return Reply(body=maker(self.app.fixtures) if maker is not None else {})

    def run_action(self, call: Call) -> Reply:
        name = call.path_params["name"]
        action = self.app.spec.control_routes.get(name)
        if action is None:
            raise NotFound(f"No control action {name!r} for {self.app.spec.name}")
        return Reply(body=action(call.world, call.body if call.body is not None else {}))

"""One request, top to bottom. `Pipeline.handle` reads as the guide's list:

 1. open a journal entry            7. handler (a plain function; never touches HTTP)
 2. route -> operationId            8. encode by Accept
 3. faults "before"                 9. validate the response (strict mode)
 4. auth                           10. faults "after"
 5. decode by Content-Type         11. close the journal entry
 6. validate params and body
Errors anywhere are EmulatorErrors, rendered by the API's `render_error` in the vendor's envelope.
"""

from __future__ import annotations

import functools
import logging
import time
import traceback
from typing import Any

from .call import Call, Headers, Reply
from .contract import Contract
from .errors import (
    EmulatorError,
    ErrorBody,
    HandlerCrashed,
    InjectedFault,
    Issue,
    ResponseContractViolation,
    ValidationFailed,
)
from .faults import FaultRule, json_body
from .guard import unexpected
from .http import Receive, Scope, Send, send_response
from .journal import Entry, Redaction
from .limits import too_deep
from .negotiation import choose_media_type, encode_json, encode_xml, is_json, is_xml, media_type_of
from .request_io import (
    FRAMED,
    ConnectionDropped,
    check_characters,
    decode_body,
    decode_multipart_body,
    drop_connection,
    query_pairs,
    read_body,
)
from .routing import Router
from .spec import EmulatorSpec
from .validation import collect_params
from .world import World

log = logging.getLogger("emulators")


class Pipeline:
    def __init__(self, spec: EmulatorSpec, contract: Contract, *, strict: bool = False, journaled: bool = True) -> None:
        self.spec = spec
        self.journaled = journaled  # the control plane is neither journaled nor subject to faults
        self.contract = contract
        self.strict = strict
        ops = list(contract.operations.values())
        missing = sorted(o.operation_id for o in ops if o.operation_id not in spec.handlers)
        if missing:
            raise ValueError(f"{spec.name}: no handler for operations {missing}")
        self.router = Router(ops, spec.prefixes, spec.case_insensitive_paths, spec.trailing_slash)
        if strict:  # response checks need every response schema: compile them now, not mid-request
            for op in ops:
                op.response_validators.compile_all()
        self._accept_cache: dict[str | None, str] = {}
        self._query_index: dict[int, tuple[dict[str, list[int]], dict[str, list[int]]]] = {}  # id(op) ->
        self._empty_verdicts: dict[int, bool] = {}  # id(param validator) -> {} is valid (validators live as long)
        self.redaction = Redaction(
            frozenset(h.lower() for h in spec.redact_headers),
            frozenset(q.lower() for q in spec.redact_query),
            frozenset(k.lower() for k in spec.redact_body_keys),
        )

    # ------------------------------------------------------------------------------------
    async def handle(self, world: World, scope: Scope, receive: Receive, send: Send, path: str, base_url: str) -> None:
        started = time.perf_counter()
        method: str = scope["method"]
        query: str = scope.get("query_string", b"").decode("latin-1")
        headers = _headers(scope)
        if self.journaled:
            entry = world.journal.open(method, path, query, world.clock.time())  # 1
        else:
            entry = Entry(0, 0.0, method, path, query)
        entry.req_headers = headers.items_list
        accept_mt = self._accept(headers.get("accept"))
        call: Call | None = None
        try:
            try:
                operation, raw_params = self.router.match(method, path)  # 2
            except EmulatorError:
                if world.stubs and self.journaled:  # a stub may answer a route the contract does not have
                    await self._unrouted_stub(world, method, path, query, headers, receive, scope, entry)
                raise
            entry.operation = operation.operation_id
            call = self._new_call(world, scope, operation, raw_params, query, headers, base_url, accept_mt)
            if world.faults:
                await self._fault(world, "before", call, entry, receive)  # 3
            check_characters(headers, query)
            raw = await read_body(receive, headers, self.spec.max_body_bytes, FRAMED in scope)
            entry.req_body = raw
            call.raw_body = raw
            stub = self._stub(world, "before", call, entry) if world.stubs else None  # a stub answers instead
            if stub is not None:
                status, out_headers, body = await self._stub_answer(stub, entry)
            else:
                self._authenticate(call)  # 4
                if decode_body(call, raw, headers, self.spec):  # 5
                    await decode_multipart_body(call, raw, headers)
                self._validate(call)  # 6
                reply = self._run_handler(call, entry)  # 7
                status, out_headers, body = self._encode(reply, call)  # 8
                self._check_response(reply, call, status)  # 9
                if world.faults:
                    await self._fault(world, "after", call, entry, receive)  # 10
                stub = self._stub(world, "after", call, entry) if world.stubs else None  # the state change stays
                if stub is not None:
                    status, out_headers, body = await self._stub_answer(stub, entry)
        except _Answered as done:
            status, out_headers, body = done.answer
        except ConnectionDropped:
            entry.status = 0
            entry.duration_ms = (time.perf_counter() - started) * 1000
            if self.journaled:
                world.journal.seal(entry)
            await drop_connection(receive)
            return
        except EmulatorError as err:
            if err.issues:
                entry.issues = err.issues  # the dashboard explains a refusal with them
            if call is None:  # routing failed: tell render_error what was asked for
                err.extra.setdefault("method", method)
                err.extra.setdefault("path", path)
                err.extra.setdefault("base_url", base_url)
                err.extra.setdefault("query", query)
                err.extra.setdefault("headers", headers)
                err.extra.setdefault("world", world)
            status, out_headers, body = self._encode_error(err, call, accept_mt)
            if isinstance(err, HandlerCrashed):
                entry.error = err.extra.get("traceback")
        except Exception as exc:  # last resort (guard.py): the vendor's envelope, the traceback only journaled
            crash = unexpected(exc, method, path)
            status, out_headers, body = self._encode_error(crash, call, accept_mt)
            entry.error = crash.extra.get("traceback")
        if world.latency is not None and entry.delay_ms is None and self.journaled:
            entry.delay_ms = await _wait(world.latency.sample())
        await send_response(send, status, out_headers, body, head=method == "HEAD")
        if method == "HEAD":  # RFC 9110 §8.6: the Content-Length GET would send, no body
            body = b""
        entry.status = status  # 11
        entry.resp_headers_raw = out_headers  # decoded only when the journal is read
        entry.resp_body = body
        entry.duration_ms = (time.perf_counter() - started) * 1000
        if self.journaled:
            world.journal.seal(entry)  # bodies cut to the kept size, the byte budget charged

    # steps --------------------------------------------------------------------------------
    def refusal(self, world: World, scope: Scope, path: str, base_url: str) -> EmulatorError | None:
        """Route and validate the parameters of a request whose answer is written elsewhere (the streamed
        journal, journal_stream.py): the contract's refusal, or None."""
        query: str = scope.get("query_string", b"").decode("latin-1")
        headers = Headers(
            [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"]], lowered=True
        )
        try:
            operation, raw_params = self.router.match(scope["method"], path)
            accept_mt = self._accept(headers.get("accept"))
            self._validate(self._new_call(world, scope, operation, raw_params, query, headers, base_url, accept_mt))
        except EmulatorError as err:
            return err
        return None

    def _accept(self, accept: str | None) -> str:
        """The negotiated response media type, memoised per Accept value (clients repeat theirs)."""
        mt = self._accept_cache.get(accept)
        if mt is None:
            mt = choose_media_type(accept, self.spec.produces, self.spec.default_media_type)
            if len(self._accept_cache) < 512:
                self._accept_cache[accept] = mt
        return mt

    def _new_call(
        self,
        world: World,
        scope: dict[str, Any],
        operation: Any,
        raw_params: dict[str, str],
        query: str,
        headers: Headers,
        base_url: str,
        accept_mt: str,
    ) -> Call:
        multi: dict[str, list[str]] = {}
        if query:
            for k, v in query_pairs(query):
                multi.setdefault(k, []).append(v)
        client = scope.get("client") or ("127.0.0.1", 0)
        mt, _ = media_type_of(headers.get("content-type"))
        cookies: dict[str, str] = {}
        cookie_header = headers.get("cookie")
        if cookie_header:
            for part in cookie_header.split(";"):
                if "=" in part:
                    k, v = part.split("=", 1)
                    cookies[k.strip()] = v.strip()
        call = Call(
            operation=operation,
            method=scope["method"],
            path=scope["path"],
            path_params=dict(raw_params),
            query={k: v[0] for k, v in multi.items()},
            query_multi=multi,
            headers=headers,
            body=None,
            raw_body=b"",
            media_type=mt,
            form={},
            files={},
            world=world,
            base_url=base_url,
            client_ip=str(client[0]),
            response_media_type=accept_mt,
            cookies=cookies,
        )
        if self.spec.response_media_type is not None:
            call.response_media_type = self.spec.response_media_type(call, accept_mt)
        return call

    def _query_params_sent(self, call: Call, op: Any) -> list[Any]:
        """The operation's query parameters that can find a value in this request (by exact name, by any
        case where the API ignores case, or in a form body where the API reads form fields as parameters),
        in declaration order: every other one would find nothing (12Build's updateProject declares 42)."""
        params: list[Any] = op.params_in("query")
        if len(params) <= 6:
            return params
        index = self._query_index.get(id(op))
        if index is None:
            exact: dict[str, list[int]] = {}
            lower: dict[str, list[int]] = {}
            for i, p in enumerate(params):
                exact.setdefault(p.name, []).append(i)
                lower.setdefault(p.name.lower(), []).append(i)
            index = self._query_index[id(op)] = (exact, lower)
        exact, lower = index
        hits: set[int] = set()
        for k in call.query_multi:
            hits.update(exact.get(k, ()))
            if self.spec.case_insensitive_params:
                hits.update(lower.get(k.lower(), ()))
        if self.spec.form_params:
            for k in call.form:
                hits.update(exact.get(k, ()))
        return [params[i] for i in sorted(hits)]

    def _empty_ok(self, validator: Any) -> bool:
        """Whether no parameters at all pass `validator` (memoised: a schema's verdict on {} never changes)."""
        verdict = self._empty_verdicts.get(id(validator))
        if verdict is None:
            verdict = self._empty_verdicts[id(validator)] = not validator.issues({}, "")
        return verdict

    def _authenticate(self, call: Call) -> None:
        if call.operation.secured and self.spec.authenticate is not None:
            self.spec.authenticate(call)
        elif self.spec.resolve_tenant is not None:
            self.spec.resolve_tenant(call)

    def _validate(self, call: Call) -> None:
        op = call.operation
        issues = []
        lower_q = {k.lower(): k for k in call.query_multi} if self.spec.case_insensitive_params else {}
        no_query = not call.query_multi and not (self.spec.form_params and call.form)
        for location, validator in op.param_validators.items():
            if location == "query":
                in_location = () if no_query else self._query_params_sent(call, op)
            else:
                in_location = op.params_in(location)
            values = collect_params(
                location,
                in_location,
                path_params=call.path_params,
                query_multi=call.query_multi,
                headers=call.headers,
                form=call.form if self.spec.form_params else None,
                lower_query=lower_q,
            )
            if values or not self._empty_ok(validator):  # nothing sent where nothing is required: valid
                issues.extend(validator.issues(values, location))  # fast verdict first, full walk if invalid
            target = call.path_params if location == "path" else call.query if location == "query" else None
            if target is not None:
                target.update(values)
            elif location == "header":
                call.header_params = values
        if call.body is None and not call.files and op.body_required and op.body_media:
            issues.append(Issue("body", "", "Request body is required", "required"))
        elif call.body is not None and call.media_type is not None:
            body_validator = op.body_validators.get(call.schema_media or call.media_type)
            if body_validator is not None:
                issues.extend(body_validator.issues(call.body, "body"))
        if issues:
            raise ValidationFailed(issues[0].message, issues=issues)

    def _run_handler(self, call: Call, entry: Entry) -> Reply:
        handler = self.spec.handlers[call.operation.operation_id]
        try:
            return handler(call)
        except EmulatorError:
            raise
        except ConnectionDropped:
            raise
        except Exception as exc:
            tb = traceback.format_exc()
            log.error("handler %s crashed:\n%s", call.operation.operation_id, tb)
            if isinstance(exc, RecursionError):
                raise too_deep() from exc
            raise HandlerCrashed(traceback=tb) from exc  # the class and text stay in the journal

    def _encode(
        self, reply: Reply, call: Call | None, media_type: str | None = None
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        mt = reply.media_type or media_type or (call.response_media_type if call else self.spec.default_media_type)
        hdrs = (
            [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in reply.headers.items()]
            if reply.headers
            else []
        )
        if reply.empty:
            return reply.status, hdrs, b""
        body = reply.body
        if isinstance(body, bytes | bytearray):
            data = bytes(body)
        elif mt in self.spec.encoders:
            data = self.spec.encoders[mt](body, reply, call)
        elif is_xml(mt):
            data = encode_xml(body, reply.xml_root or "Response")
        else:
            data = encode_json(body)
        if not hdrs or not any(k == b"content-type" for k, _ in hdrs):
            hdrs.append((b"content-type", _content_type_header(mt)))
        return reply.status, hdrs, data

    def _check_response(self, reply: Reply, call: Call, status: int) -> None:
        if not self.strict:
            return
        op = call.operation
        media = None
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in op.responses:
                media = op.responses[key]
                break
        if media is None:
            raise ResponseContractViolation(f"{op.operation_id}: status {status} is not documented")
        if reply.empty or isinstance(reply.body, bytes | bytearray) or not media:
            return
        mt = reply.media_type or call.response_media_type
        schema_mt = mt if (str(status), mt) in op.response_validators else "application/json"
        validator = op.response_validators.get((str(status), schema_mt))
        if validator is None:
            return
        errs = validator.issues(reply.body, "response")
        if errs:
            raise ResponseContractViolation(f"{op.operation_id} {status}: {errs[0].name}: {errs[0].message}")

    async def _fault(self, world: World, when: str, call: Call, entry: Entry, receive: Receive) -> None:
        if not world.faults or not self.journaled:
            return
        rule: FaultRule | None = world.faults.match(
            when, call.operation.operation_id, call.method, call.path, call.query_multi
        )
        if rule is None:
            return
        entry.fault = rule.id
        await self._rule_delay(rule, entry)
        if rule.disconnect:
            raise ConnectionDropped()
        if rule.status is not None:
            raise InjectedFault(rule.message, status=rule.status, rule=rule.id)

    @staticmethod
    async def _rule_delay(rule: FaultRule, entry: Entry) -> None:
        ms = rule.sampler.sample() if rule.sampler is not None else float(rule.delay_ms or 0)
        if ms > 0:
            entry.delay_ms = await _wait(ms)

    def _stub(self, world: World, when: str, call: Call, entry: Entry) -> FaultRule | None:
        if not self.journaled:
            return None
        raw = call.raw_body
        return world.stubs.match(
            when, call.operation.operation_id, call.method, call.path, call.query_multi, lambda: json_body(raw)
        )

    async def _unrouted_stub(
        self,
        world: World,
        method: str,
        path: str,
        query: str,
        headers: Headers,
        receive: Receive,
        scope: dict[str, Any],
        entry: Entry,
    ) -> None:
        """A `before` stub without `operation` answers a request no route matched (raises _Answered)."""
        raw = await read_body(receive, headers, self.spec.max_body_bytes, FRAMED in scope)
        entry.req_body = raw
        multi: dict[str, list[str]] = {}
        for k, v in query_pairs(query) if query else ():
            multi.setdefault(k, []).append(v)
        rule = world.stubs.match("before", None, method, path, multi, lambda: json_body(raw))
        if rule is not None:
            raise _Answered(await self._stub_answer(rule, entry))

    async def _stub_answer(self, rule: FaultRule, entry: Entry) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """The stub's `respond` as sent: `json` encoded, `body` as UTF-8 text; its headers as given."""
        entry.stub = rule.id
        await self._rule_delay(rule, entry)
        respond = rule.respond or {}
        headers = [
            (str(k).lower().encode("latin-1"), str(v).encode("latin-1"))
            for k, v in (respond.get("headers") or {}).items()
        ]
        if "json" in respond:
            body = encode_json(respond["json"])
            default_type = b"application/json; charset=utf-8"
        else:
            body = str(respond.get("body") or "").encode("utf-8")
            default_type = b"text/plain; charset=utf-8"
        if body and not any(k == b"content-type" for k, _ in headers):
            headers.append((b"content-type", default_type))
        return int(respond.get("status", 200)), headers, body

    def _encode_error(
        self, err: EmulatorError, call: Call | None, accept_mt: str
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        reply = self._render_error(err, call)
        exempt = InjectedFault | ResponseContractViolation | HandlerCrashed
        if self.strict and call is not None and not isinstance(err, exempt):
            try:  # 9, for errors too: a status or envelope the operation does not document is our bug
                self._check_response(reply, call, reply.status)
            except ResponseContractViolation as bad:
                reply = self._render_error(bad, call)
        mt = call.response_media_type if call is not None else accept_mt
        return self._encode(reply, call, mt)

    def _render_error(self, err: EmulatorError, call: Call | None) -> Reply:
        try:
            rendered: ErrorBody = self.spec.render_error(err, call)
        except Exception:
            log.exception("render_error failed")
            rendered = ErrorBody(500, {"error": "Internal server error"})
        return Reply(
            status=rendered.status,
            body=rendered.body,
            headers={**err.headers, **rendered.headers},
            xml_root=rendered.xml_root,
            empty=rendered.body is None and rendered.status in (204, 304),
        )


def _headers(scope: Scope) -> Headers:
    """The request's headers as text; a head our server protocol parsed has its names in lower case already."""
    if FRAMED in scope:
        return Headers([(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]], lowered=True)
    return Headers([(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"]], lowered=True)


@functools.lru_cache(maxsize=256)
def _content_type_header(mt: str) -> bytes:
    textual = is_json(mt) or is_xml(mt) or mt.startswith("text/")
    return (mt + "; charset=utf-8" if textual else mt).encode("latin-1")


class _Answered(Exception):
    """A stub answered a request the router refused: its (status, headers, body)."""

    def __init__(self, answer: tuple[int, list[tuple[bytes, bytes]], bytes]) -> None:
        self.answer = answer


async def _wait(ms: float) -> float:
    """Sleep `ms` without holding up other requests; `ms` is what the journal shows (the delay applied:
    the time really waited adds the event loop's scheduling, which `make bench` measures)."""
    import asyncio

    await asyncio.sleep(ms / 1000)
    return ms

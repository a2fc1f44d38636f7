"""The ASGI application of one emulator: namespaces, the control plane, and the API pipeline."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from . import journal_budget, outbound
from .contract import Contract
from .control import ControlExtensions, ControlPlane
from .control_context import ControlContext
from .datafile import load_yaml
from .errors import EmulatorError, RouteNotFound
from .guard import refuse_websocket
from .http import send_response
from .namespaces import Namespaces
from .pipeline import Pipeline
from .request_io import FRAMED
from .sockets import Limits, check_request_head
from .spec import EmulatorSpec
from .world import World

NS_PREFIX = "/__ns/"
CONTROL_PREFIX = "/__emulator"


@functools.lru_cache(maxsize=32)
def _load_fixtures_cached(path: str) -> dict[str, Any]:
    data = load_yaml(path)
    return data if isinstance(data, dict) else {}


@functools.lru_cache(maxsize=32)
def _load_user_fixtures(path: str, model: str | None) -> dict[str, Any]:
    """A fixture file the user named: parsed and validated (errors name the file, line and field)."""
    from .config import ConfigError, validate_fixtures_with
    from .datafile import parse_yaml, read_bytes

    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not UTF-8 text"]) from None
    data = parse_yaml(text, path)
    if not isinstance(data, dict):
        raise ConfigError([f"{path}:1: (top level): a fixtures file is a mapping (tenants, credentials, ...)"])
    if model:
        validate_fixtures_with(model, data, path, text)
    return data


def load_fixtures(
    source: str | Path | dict[str, Any] | None, default: Path, spec: EmulatorSpec | None = None
) -> dict[str, Any]:
    """Fixtures from a dict, a YAML/JSON file, or the API's default file (parsed once, shared read-only).
    With `spec`, a file the user named (not the shipped default) is validated against the API's models."""
    if isinstance(source, dict):
        return source
    if source is not None and spec is not None and Path(source) != default:
        return _load_user_fixtures(str(source), spec.fixtures_model)
    return _load_fixtures_cached(str(Path(source) if source is not None else default))


class EmulatorApp:
    """`await app(scope, receive, send)`; one per API per process. No globals: two apps are independent."""

    # the server protocol may start a request outside a task (server_protocol.py): nothing on the way to the
    # first wait needs a current task (no anyio, no sniffio, no asyncio.timeout)
    runs_inline = True

    def __init__(
        self,
        spec: EmulatorSpec,
        *,
        fixtures: str | Path | dict[str, Any] | None = None,
        strict: bool = False,
        journal_size: int = 10_000,
        seed: int | str = 0,
        limits: Limits | None = None,
        extensions: ControlExtensions = ControlExtensions(),
        latency: dict[str, Any] | None = None,
    ) -> None:
        self.spec = spec
        self.latency = latency  # a validated delay distribution for every API request (core/latency.py)
        self.limits = limits or Limits.from_env()
        journal_budget.PROCESS.limit = self.limits.journal_total_budget  # process-wide: the last app built sets it
        self.fixtures = load_fixtures(fixtures, spec.fixtures, spec)
        self.contract = Contract.load(spec.contract)
        self.pipeline = Pipeline(spec, self.contract, strict=strict)
        self.journal_size = journal_size
        self.seed = seed
        self.worlds: dict[str, World] = {"": self._new_world("")}
        self.control = ControlPlane(
            ControlContext(
                spec,
                self.contract,
                self.fixtures,
                self.pipeline.redaction,
                journal_size,
                self.worlds,
                self._new_world,
                control_token=self.limits.control_token,
                control_hosts=self.limits.control_hosts,
            ),
            strict=strict,
            extensions=extensions,
        )
        self.namespaces = Namespaces(
            self.worlds, self._new_world, self.limits.max_namespaces, self.limits.namespace_policy
        )

    def _new_world(self, name: str) -> World:
        seed = self.seed if name == "" else f"{self.seed}/{name}"  # tokens differ across namespaces
        w = World(self.spec, self.fixtures, name, self.journal_size, seed)
        w.journal.body_budget = self.limits.journal_body_budget
        w.journal.body_keep = min(self.limits.journal_body_keep, w.journal.body_budget)
        if self.latency:
            from .latency import Delay

            w.latency = Delay.from_spec(self.latency, seed)
        return w

    def world(self, namespace: str = "") -> World:
        """The World of `namespace`, made on first use; past the cap the least recently used one goes
        (never the default), or, with the `refuse` policy, NamespaceLimit is raised (a 503)."""
        if namespace == "":
            return self.worlds[""]
        return self.namespaces.get(namespace)

    @property
    def default_world(self) -> World:
        return self.worlds[""]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "websocket":
            await refuse_websocket(receive, send)
        elif kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    async def _http(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """The edge of one request, step by step; each early answer is rendered in the API's envelope."""
        try:
            self._check_head(scope)  # 1. head limits
            namespace, path = _split_namespace(scope["path"])  # 2. namespace
            world = self.world(namespace)
        except EmulatorError as err:  # too many or too big headers, a URI too long, no name, past the cap
            await self.reject(send, err)
            return
        base_url = _base_url(scope) + (NS_PREFIX + namespace if namespace else "")
        held = outbound.hold()  # the deliveries this request causes start once its answer is written
        try:
            if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
                await self.control.handle(world, scope, receive, send, path, base_url)  # 3. control guard, 4. control
            else:
                await self.pipeline.handle(world, scope, receive, send, path, base_url)  # 4. API pipeline
        finally:
            outbound.release(held)

    def _check_head(self, scope: dict[str, Any]) -> None:
        """Header count and size, URI length (sockets.py); a head our server protocol parsed was checked there."""
        refused = None if FRAMED in scope else check_request_head(scope, self.limits)
        if refused is not None:
            raise refused

    async def reject(self, send: Any, err: EmulatorError) -> None:
        """A refusal outside the pipeline (too many headers, namespace cap) in the API's own envelope."""
        await send_response(send, *self.render_rejection(err))

    def render_rejection(self, err: EmulatorError) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """The one renderer of an early answer (the app's and the server protocol's): the API's envelope."""
        err.extra.setdefault("world", self.default_world)  # e.g. bouwsoft's RequestId reads its clock and ids
        return self.pipeline._encode_error(err, None, self.spec.default_media_type)


def _split_namespace(path: str) -> tuple[str, str]:
    """`/__ns/<name>/rest` -> (name, "/rest"); any other path is in the default namespace ""."""
    if not path.startswith(NS_PREFIX):
        return "", path
    namespace, _, tail = path[len(NS_PREFIX) :].partition("/")
    if not namespace:
        raise RouteNotFound("namespace name missing")
    return namespace, "/" + tail


def _base_url(scope: dict[str, Any]) -> str:
    scheme = scope.get("scheme", "http")
    host = None
    for k, v in scope.get("headers", ()):
        if k == b"host":
            host = v.decode("latin-1")
            break
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}" if server[1] not in (80, 443) else str(server[0])
    return f"{scheme}://{host}{scope.get('root_path', '')}"

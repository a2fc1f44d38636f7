"""The ASGI application of one emulator: namespaces, the control plane, and the API pipeline."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from .contract import Contract
from .control import ControlExtensions, ControlPlane
from .control_context import ControlContext
from .datafile import load_yaml
from .errors import EmulatorError
from .guard import refuse_websocket
from .namespaces import NamespaceLimit, Namespaces
from .pipeline import Pipeline, json_error
from .request_io import FRAMED
from .sockets import Limits, check_request_head, send_rendered
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
    ) -> None:
        self.spec = spec
        self.limits = limits or Limits.from_env()
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
            # header count / size (sockets.py); a request our server protocol parsed was checked there
            refused = None if FRAMED in scope else check_request_head(scope, self.limits)
            if refused is not None:
                await self.reject(send, refused)
                return
            try:
                await self._http(scope, receive, send)
            except NamespaceLimit as err:
                await self.reject(send, err)
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
        path: str = scope["path"]
        namespace = ""
        ns_base = ""
        if path.startswith(NS_PREFIX):
            rest = path[len(NS_PREFIX) :]
            namespace, _, tail = rest.partition("/")
            if not namespace:
                status, headers, body = json_error(404, "namespace name missing")
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            ns_base = NS_PREFIX + namespace
            path = "/" + tail
        world = self.world(namespace)
        base_url = _base_url(scope) + ns_base
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            await self.control.handle(world, scope, receive, send, path, base_url)
        else:
            await self.pipeline.handle(world, scope, receive, send, path, base_url)

    async def reject(self, send: Any, err: EmulatorError) -> None:
        """A refusal outside the pipeline (too many headers, namespace cap) in the API's own envelope."""
        await send_rendered(send, *self.render_rejection(err))

    def render_rejection(self, err: EmulatorError) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        err.extra.setdefault("world", self.default_world)  # e.g. bouwsoft's RequestId reads its clock and ids
        return self.pipeline._encode_error(err, None, self.spec.default_media_type)


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
